"""COPY … FROM STDIN for bulk writes on PostgreSQL: rows as tuples, no model instances, one round
trip per table. Callers keep a generic path (bulk_create) for other databases."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection


def escape(text: str) -> str:
    """Text in COPY's text format: backslashes, tabs, newlines and carriage returns escaped.
    (``str.translate`` with a table is ten times slower for the usual text that needs nothing.)"""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text:
        text = text.replace("\t", "\\t")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return text


def _other(value) -> str:
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (int, Decimal)):
        return str(value)
    return escape(str(value))


def _null(value) -> str:
    return "\\N"


_FORMATS = {str: escape, int: str, Decimal: str, type(None): _null, datetime.datetime: datetime.datetime.isoformat}


class _Stream:
    """A read-only file over lines made on demand, for ``copy_expert``: the rows are rendered as
    PostgreSQL reads them, never held as one text (10,000 audit events with their Chinese labels
    are ~80 MB as a single str)."""

    def __init__(self, lines):
        self._lines = lines
        self._rest = ""
        self.count = 0

    def read(self, size: int = -1) -> str:
        parts, length = [self._rest], len(self._rest)
        for line in self._lines:
            parts.append(line)
            length += len(line)
            self.count += 1
            if 0 <= size <= length:
                break
        text = "".join(parts)
        if 0 <= size < len(text):
            text, self._rest = text[:size], text[size:]
        else:
            self._rest = ""
        return text

    def readline(self, size: int = -1) -> str:  # psycopg2 only reads; here for the file protocol
        return self.read(size)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], constants: dict | None = None) -> int:
    """COPY ``rows`` into ``table`` (its ``columns`` in order); ``constants`` (column → value) are
    the same in every row and rendered once. Returns how many rows were written."""
    formats, other = _FORMATS, _other
    suffix = "".join("\t" + formats.get(type(v), other)(v) for v in (constants or {}).values()) + "\n"
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0

    def lines():
        for row in itertools.chain((first,), rows):
            yield "\t".join([formats.get(type(v), other)(v) for v in row]) + suffix

    stream = _Stream(lines())
    quoted = ", ".join(connection.ops.quote_name(c) for c in [*columns, *(constants or {})])
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor:
        if connection.queries_logged:  # DEBUG or a test's CaptureQueriesContext: count the COPY like a query
            with cursor.debug_sql(sql):
                cursor.cursor.copy_expert(sql, stream, size=1 << 20)
        else:
            cursor.cursor.copy_expert(sql, stream, size=1 << 20)
    return stream.count


def next_ids(table: str, n: int, column: str = "id") -> list[int]:
    """Reserve ``n`` ids from ``table``'s identity sequence, so rows COPYed with them can be
    referred to (history rows, audit events) without reading them back."""
    if n <= 0:
        return []
    with connection.cursor() as cursor:
        # the sequence's name as a constant: pg_get_serial_sequence() in the select list runs per row (10× slower)
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, n])
        return sorted(r[0] for r in cursor.fetchall())
