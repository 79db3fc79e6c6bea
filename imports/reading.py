"""Reading a gated file into rows of cells, each cell knowing its sheet, row and column; and reading
numbers out of cells without ever guessing.

Workbooks are opened twice with openpyxl in read-only (streaming) mode: once for the formulas
(``data_only=False``) and once for the values Excel cached when it last saved (``data_only=True``).
A formula whose cached value is missing (the file was written by a program that does not
calculate, or saved without recalculation) would read as empty — so it is an error naming the
cell. A formula that cached an error value (#DIV/0!, #REF!) is an error too.

Numbers (docs/imports.md): full-width digits (１２３, what a Chinese input method types) are read
as their ASCII digits; thousands separators are accepted only in correct groups of three
(1,234,567 — never 1,23 or 1.234,5); anything else — units (万, 人), percent signs, spaces inside
a number, exponents — is an error naming the cell. Nothing is silently mis-read: the preview shows
the value as read.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .gate import FileRefused, GatedFile

FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－＋", "0123456789,.-+")
PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Table:
    sheet: str
    header_row: int = 0
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (spreadsheet row number, cell values)
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # the hidden sheet of the platform's templates


META_SHEET = "_meta"  # the hidden sheet of a template: what it was made for (imports/templates.py)


def where(sheet: str, row: int, column: str = "") -> str:
    """"Sheet1 第3行 C列" — the place of a cell as the user sees it in Excel."""
    parts = [sheet] if sheet else []
    if row:
        parts.append(_("row %(n)s") % {"n": row})
    if column:
        parts.append(_("column %(c)s") % {"c": column})
    return " ".join(parts)


def read_table(*, gated: GatedFile, data: bytes) -> Table:
    table = _read_xlsx(data) if gated.kind == "xlsx" else _read_csv(gated.text)
    # the header: the first row with anything in it
    while table.rows and all(_blank(v) for v in table.rows[0][1]):
        table.rows.pop(0)
    if not table.rows:
        raise FileRefused(_("The file has no rows: it needs a header row and at least one row of data."))
    table.header_row, header = table.rows.pop(0)
    table.header = [str(v).strip() if not _blank(v) else "" for v in header]
    table.rows = [(n, cells) for n, cells in table.rows if not all(_blank(v) for v in cells)]
    if len(table.rows) > settings.IMPORT_MAX_ROWS:
        raise FileRefused(_("The file has %(n)s rows; the limit is %(limit)s. Split it into several files.") % {
            "n": len(table.rows), "limit": settings.IMPORT_MAX_ROWS})
    return table


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_csv(text: str) -> Table:
    table = Table(sheet="")
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if number > settings.IMPORT_MAX_ROWS + 1000:  # blank lines aside, the row cap: stop reading
            table.rows.append((number, cells))
            break
        table.rows.append((number, cells))
    return table


def _dimensions_from_head(self) -> None:
    """ReadOnlyWorksheet._get_size without reading the whole sheet: openpyxl looks for the
    <dimension> element on "end" events and stops at the end of <sheetData>, i.e. after parsing
    every cell when a file has no <dimension> (files written in openpyxl's write-only mode, our
    own exports among them: 0.4 s for 10,000 rows, twice per read). The schema puts <dimension>
    before <sheetData>, so stopping at the start of <sheetData> finds the same thing."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    source = self._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                self._min_column, self._min_row, self._max_column, self._max_row = (
                    SheetDimension.from_tree(element).boundaries)
                return
            if element.tag == DATA_TAG:
                return
    finally:
        source.close()


def _read_xlsx(data: bytes) -> Table:
    values, formulas = _workbooks_open(data)
    try:
        sheet_f, sheet_v = formulas.worksheets[0], values.worksheets[0]
        table = _read_sheet(sheet_f, sheet_v, same=formulas is values)
        table.meta = _meta(values)
        others = [ws.title for ws in formulas.worksheets[1:] if ws.title != META_SHEET]
        if others:
            table.notes.append(_("Only the first sheet, %(sheet)s, is read; %(others)s are not.") % {
                "sheet": sheet_f.title, "others": "、".join(others)})
        return table
    finally:
        formulas.close()
        values.close()


def read_sheets(*, data: bytes) -> list[Table]:
    """Every visible sheet of a gated workbook, each read like ``read_table``'s first sheet (a header
    row, then the rows with anything in them), for imports whose file is a whole workbook (a plan).
    Each table keeps its sheet's name, so an error names the sheet; the template's ``_meta`` goes
    on the first table."""
    values, formulas = _workbooks_open(data)
    try:
        tables = []
        for sheet_v in values.worksheets:
            if sheet_v.title == META_SHEET:
                continue
            table = _read_sheet(formulas[sheet_v.title], sheet_v, same=formulas is values)
            while table.rows and all(_blank(v) for v in table.rows[0][1]):
                table.rows.pop(0)
            if table.rows:
                table.header_row, header = table.rows.pop(0)
                table.header = [str(v).strip() if not _blank(v) else "" for v in header]
            table.rows = [(n, cells) for n, cells in table.rows if not all(_blank(v) for v in cells)]
            tables.append(table)
        if tables:
            tables[0].meta = _meta(values)
        total = sum(len(t.rows) for t in tables)
        if total > settings.IMPORT_MAX_ROWS:
            raise FileRefused(_("The file has %(n)s rows; the limit is %(limit)s. Split it into several files.") % {
                "n": total, "limit": settings.IMPORT_MAX_ROWS})
        return tables
    finally:
        formulas.close()
        values.close()


def _workbooks_open(data: bytes):
    """A gated workbook opened read-only twice: its cached values, and its formulas (the same
    workbook when it has none). Refused (FileRefused) when it cannot be read."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _dimensions_from_head  # see above; read-only sheets are only read here
    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # The formula pass is only needed when a sheet has formulas; without one it would read the
        # same cells again (half the reading time of a 10,000-row file).
        formulas = (load_workbook(io.BytesIO(data), read_only=True, data_only=False) if _has_formulas(data)
                    else values)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileRefused(_("The workbook cannot be read (%(error)s); open it in Excel, save it again as .xlsx and "
                            "upload that.") % {"error": type(exc).__name__}) from exc
    return values, formulas


def _meta(workbook) -> dict[str, str]:
    meta: dict[str, str] = {}
    if META_SHEET in workbook.sheetnames:
        for row in workbook[META_SHEET].iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
            if row and row[0] is not None:
                meta[str(row[0]).strip()] = "" if len(row) < 2 or row[1] is None else str(row[1]).strip()
    return meta


def _read_sheet(sheet_f, sheet_v, *, same: bool) -> Table:
    """One sheet's rows of cell values; formulas without a cached result and error values are
    errors naming the cell."""
    table = Table(sheet=sheet_v.title)
    limit = settings.IMPORT_MAX_ROWS + 1000
    rows_f = None if same else sheet_f.iter_rows()
    for number, row_v in enumerate(sheet_v.iter_rows(), start=1):
        row_f = next(rows_f, ()) if rows_f is not None else row_v
        cells = []
        for index, (cell_f, cell_v) in enumerate(zip(row_f, row_v, strict=False), start=1):
            value = getattr(cell_v, "value", None)
            if getattr(cell_f, "data_type", None) == "f":
                column = get_column_letter(index)
                if value is None:
                    table.errors.append(CellError(table.sheet, number, column, _(
                        "the formula has no calculated result; open the file in Excel, save it and upload it "
                        "again")))
                elif getattr(cell_v, "data_type", None) == "e":
                    table.errors.append(CellError(table.sheet, number, column, _(
                        "the formula's result is an error (%(value)s)") % {"value": value}))
                    value = None
            elif getattr(cell_v, "data_type", None) == "e":
                table.errors.append(CellError(table.sheet, number, get_column_letter(index), _(
                    "the cell holds an error value (%(value)s)") % {"value": value}))
                value = None
            cells.append(value)
        table.rows.append((number, cells))
        if number > limit:
            break
    return table


FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """Does any worksheet part hold a formula element? Streamed through the decompressor in
    chunks (the gate has already bounded the parts' sizes), never unpacked whole."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as part:
                tail = b""
                while chunk := part.read(1024 * 1024):
                    if FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


class NotANumber(ValueError):
    pass


def _as_text(raw) -> str:
    return str(raw).translate(FULL_WIDTH).strip()


def read_whole(raw) -> int | None:
    """A count (households, people): a whole number ≥ 0, or None for an empty cell."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise NotANumber(_("%(value)s is not a whole number") % {"value": raw})
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise NotANumber(_("%(value)s is not a whole number") % {"value": raw})
        value = int(raw)
    else:
        text = _as_text(raw)
        if GROUPED.match(text):
            text = text.replace(",", "")
        if not PLAIN.match(text) or "." in text:
            raise NotANumber(_("“%(value)s” is not a whole number") % {"value": raw})
        value = int(text)
    if value < 0:
        raise NotANumber(_("%(value)s is negative") % {"value": value})
    return value


def read_decimal(raw) -> Decimal | None:
    """A figure: a number as written (Excel's number, or text in the rules above), or None."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise NotANumber(_("%(value)s is not a number") % {"value": raw})
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NotANumber(_("%(value)s is not a number") % {"value": raw})
        return Decimal(repr(raw))  # the shortest text that reads back as the same float: 0.1, not 0.1000000000000000055
    text = _as_text(raw)
    if GROUPED.match(text):
        text = text.replace(",", "")
    if not PLAIN.match(text):
        raise NotANumber(_("“%(value)s” is not a number") % {"value": raw})
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise NotANumber(_("“%(value)s” is not a number") % {"value": raw}) from exc


YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", ""}


def read_yes_no(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw is None:
        return False
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    text = _as_text(raw).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise NotANumber(_("“%(value)s” is not 是 or 否") % {"value": raw})
