"""The dashboards' exports now live in the platform's one export module (ankang_jobs/exports.py);
these names stay importable from here."""

from kernel.exports import (  # noqa: F401
    FORMULA_START,
    XLSX_TYPE,
    Table,
    cell,
    content_disposition,
    export_response,
    safe_text,
    to_csv,
    to_xlsx,
)
