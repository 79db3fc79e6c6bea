"""Each dashboard table as .xlsx or .csv: the same rows the page shows, numbers as numbers, text
cells that a spreadsheet would run as a formula neutralised (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    """One exportable table: a key (in the URL), a title (the sheet and the file name), a header
    row and data rows of str / int / Decimal / date / None."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def safe_text(value: str) -> str:
    """A text cell that begins like a formula gets a leading apostrophe, so Excel, WPS and
    LibreOffice show it as text instead of running it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return safe_text(str(value))


def content_disposition(filename: str) -> str:
    """RFC 6266 with an RFC 5987 ``filename*`` for the Chinese name and an ASCII fallback."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_text(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([cell(v) for v in row])
    # a BOM so that Excel on Chinese Windows opens UTF-8 as UTF-8
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\\/*?:\[\]]", " ", table.title)[:31] or "Sheet1"
    ws.append([safe_text(h) for h in table.headers])
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in table.rows:
        ws.append([float(v) if isinstance(v, Decimal) else cell(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, str):
                c.data_type = "s"  # never a formula, whatever the text
    for i, h in enumerate(table.headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, min(40, 2 * len(str(h)) + 4))
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_response(table: Table, fmt: str, stem: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(table), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{stem}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    return response
