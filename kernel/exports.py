"""Every list as .xlsx or .csv, one module for the whole platform.

A list is a :class:`Table`: a key (``?export=<key>`` in the URL), a title (the sheet and the file
name), a header row and data rows of str / int / Decimal / date / datetime / None. Pages build
their tables from the same ``for_user`` querysets and selectors they render, so an export never
holds a row the page would not show. Rows may be a generator over ``queryset.iterator()``: the
CSV is then streamed and the workbook written in openpyxl's write-only mode, so a long list (the
registry's 1,924 villages and communities, the audit trail) is never held whole in memory.

Safety (OWASP "CSV injection"): a text cell beginning with ``= + - @``, tab, CR or LF gets a
leading apostrophe, so Excel, WPS and LibreOffice show it as text instead of running it; numbers
stay numbers (a negative number is a number, not text). Nothing else in the text is changed.
Every workbook the platform writes — these exports, the report pack, the import templates — puts
text in its cells through :func:`text_cell` (a string cell, never a formula or an error value,
marked "quote prefix" when it begins like a formula) and is serialised by :func:`workbook_save`,
which the test suite wraps to check every workbook any test makes (tests/conftest.py).
Chinese file names go in an RFC 5987 ``filename*`` with an ASCII fallback.

django-import-export resources fit model-backed lists: :func:`resource_table` turns a
``ModelResource`` and a queryset into a Table row by row (``Resource.export()`` would build the
whole tablib Dataset first, and its own formula escaping alters data by stripping characters).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


@dataclass
class Table:
    """One exportable table. ``rows`` is a list, or any iterable (consumed once) for long lists."""

    key: str
    title: str
    headers: list[str]
    rows: Iterable[Sequence] = field(default_factory=list)


def safe_text(value: str) -> str:
    """A text cell that begins like a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def cell(value):
    """One cell as a file holds it: numbers and dates as themselves, everything else as safe text.
    Aware datetimes are shown in local time (Asia/Shanghai), without the offset."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return safe_text(str(value))


def content_disposition(filename: str) -> str:
    """RFC 6266 with an RFC 5987 ``filename*`` for the Chinese name and an ASCII fallback."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _csv_value(value):
    v = cell(value)
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return v


class _Echo:
    def write(self, value):
        return value


def iter_csv(table: Table) -> Iterator[bytes]:
    """The CSV, line by line, UTF-8 with a BOM so that Excel on Chinese Windows reads it as UTF-8."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow([safe_text(str(h)) for h in table.headers])).encode("utf-8")
    for row in table.rows:
        yield writer.writerow([_csv_value(v) for v in row]).encode("utf-8")


def to_csv(table: Table) -> bytes:
    return b"".join(iter_csv(table))


def sheet_title(title: str, taken: set[str] | None = None) -> str:
    """A legal, unique sheet name: at most 31 characters, none of \\ / * ? : [ ]."""
    base = re.sub(r"[\\/*?:\[\]]", " ", str(title)).strip()[:31] or "Sheet"
    name, n = base, 1
    while taken is not None and name in taken:
        n += 1
        name = f"{base[:28]} {n}"
    if taken is not None:
        taken.add(name)
    return name


def text_cell(ws, text: str, *, font=None):
    """A cell of ``ws`` holding ``text`` exactly as text, for any workbook the platform writes
    (write-only or not: ``ws.append`` takes it). openpyxl would make text beginning with ``=`` a
    live formula and ``#REF!`` an error value; here the cell is a string whatever the text, and
    text that begins like a formula is marked "quote prefix", so Excel and WPS keep it text when
    someone edits the cell. Control characters a workbook cannot hold (XML 1.0) are dropped."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    c = WriteOnlyCell(ws, value=None)
    c._value, c.data_type = text, "s"  # not through the value setter, which turns "=…" into a formula
    if text.startswith(FORMULA_START):
        c.quotePrefix = True
    if font is not None:
        c.font = font
    return c


def xlsx_row(ws, values: Iterable) -> list:
    """A row for ``ws.append``: text through :func:`text_cell`, everything else as it is."""
    return [text_cell(ws, v) if isinstance(v, str) else v for v in values]


def _xlsx_cell(ws, value, bold=None):
    from openpyxl.cell import WriteOnlyCell

    v = cell(value)
    if isinstance(v, str):
        return text_cell(ws, v, font=bold)
    c = WriteOnlyCell(ws, value=float(v) if isinstance(v, Decimal) else v)
    if isinstance(v, datetime.datetime):
        c.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(v, datetime.date):
        c.number_format = "yyyy-mm-dd"
    if bold is not None:
        c.font = bold
    return c


def write_sheet(wb, table: Table, taken: set[str], preamble: Sequence[Sequence] = ()) -> int:
    """One table as one sheet of a write-only workbook (optionally after a few lines of preamble,
    e.g. the report pack's stamp). Returns the number of data rows written."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet_title(table.title, taken))
    widths = [max(10, min(40, 2 * len(str(h)) + 4)) for h in table.headers]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    if not preamble:
        ws.freeze_panes = "A2"
    for line in preamble:
        ws.append([_xlsx_cell(ws, v) for v in line])
    bold = Font(bold=True)
    ws.append([_xlsx_cell(ws, str(h), bold) for h in table.headers])
    n = 0
    for row in table.rows:
        ws.append([_xlsx_cell(ws, v) for v in row])
        n += 1
    return n


def to_xlsx(table: Table) -> bytes:
    return workbook_bytes([table])


def workbook_bytes(tables: Sequence[Table], preambles: dict[str, Sequence[Sequence]] | None = None) -> bytes:
    """Several tables as the sheets of one workbook (write-only: rows are streamed to the file)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        write_sheet(wb, table, taken, (preambles or {}).get(table.key, ()))
    return workbook_save(wb)


def _serialise(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook_save(wb) -> bytes:
    """The file of a workbook the platform made: the one way every writer serialises one."""
    return _serialise(wb)


def workbook_problems(data: bytes, *, limit: int = 20) -> list[str]:
    """Cells of a workbook that Excel would run or show as an error: formula cells, error values,
    and text that begins like a formula without being marked as text (neither a leading
    apostrophe nor the quote prefix). The test suite runs it on every workbook any test makes."""
    from openpyxl import load_workbook

    problems = []
    workbook = load_workbook(io.BytesIO(data))
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    problems.append(f"{ws.title}!{c.coordinate}: formula {str(c.value)[:40]!r}")
                elif c.data_type == "e":
                    problems.append(f"{ws.title}!{c.coordinate}: error value {c.value!r}")
                elif isinstance(c.value, str) and c.value.startswith(FORMULA_START) and not c.quotePrefix:
                    problems.append(f"{ws.title}!{c.coordinate}: formula-like text {c.value[:40]!r}")
                if len(problems) >= limit:
                    return problems
    return problems


def export_response(table: Table, fmt: str, stem: str) -> HttpResponse | StreamingHttpResponse:
    """The table as a download. A long list (rows given as an iterator) is streamed as CSV while
    it is read; a short one (a list) and any workbook (a zip) are sent in one piece."""
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(table), content_type=XLSX_TYPE)
    elif fmt == "csv" and isinstance(table.rows, (list, tuple)):
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    elif fmt == "csv":
        response = StreamingHttpResponse(iter_csv(table), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition(f"{stem}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def requested(request) -> tuple[str, str] | None:
    """(table key, format) when the request asks for a file (``?export=<key>&format=xlsx|csv``)."""
    key = request.GET.get("export")
    if not key:
        return None
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404
    return key, fmt


def respond(request, tables: Sequence[Table] | dict, stem: str):
    """The file a request asks for, or None when it asks for the page. ``tables`` is a list of
    tables or a dict key → callable returning a Table (built only when asked for), so a page
    pays nothing for its exports until one is downloaded. An unknown key is a 404."""
    asked = requested(request)
    if asked is None:
        return None
    key, fmt = asked
    if isinstance(tables, dict):
        build = tables.get(key)
        table = build() if build is not None else None
    else:
        table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404
    from .security_log import redact_query, security_event

    security_event("export", request=request, what=key, format=fmt, query=redact_query(request.GET.urlencode())[:300])
    return export_response(table, fmt, f"{stem}-{table.title}" if stem else table.title)


def file_download(request, file, *, filename: str, content_type: str | None, what: str | None,
                  subject_id=None) -> HttpResponse:
    """A file (an evidence file, an import's kept file, a generated template) as a download: logged
    once as an ``export`` security event naming ``what`` — here, so no view logs it again; ``what``
    None is a public file (a sample), not logged — sent as an attachment under its own name
    (Django's RFC 5987 header; the type guessed from the name if not given), never sniffed, never
    cached. Every file download of the platform is made here (tests/platform/test_security_findings.py)."""
    from django.http import FileResponse

    from .security_log import security_event

    if what is not None:
        security_event("export", request=request, what=what, subject_id=subject_id)
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def resource_table(key: str, title: str, resource, queryset) -> Table:
    """A django-import-export resource over a queryset as a Table, row by row over
    ``Resource.iter_queryset`` (``iterator()`` in chunks), numbers kept native."""

    def rows():
        for obj in resource.iter_queryset(queryset):
            yield resource.export_resource(obj, force_native_type=True)

    return Table(key, title, [str(h) for h in resource.get_export_headers()], rows())
