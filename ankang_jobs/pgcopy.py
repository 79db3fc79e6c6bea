"""COPY … FROM STDIN for bulk writes on PostgreSQL: rows as tuples, no model instances, one round
trip per table. Callers keep a generic path (bulk_create) for other databases."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """One value in COPY's text format (NULL as \\N, tabs, newlines and backslashes escaped)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY ``rows`` into ``table`` (its ``columns`` in order); returns how many were written."""
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(map(_text, row)))
        buffer.write("\n")
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN", buffer)
    return count


def next_ids(table: str, n: int, column: str = "id") -> list[int]:
    """Reserve ``n`` ids from ``table``'s identity sequence, so rows COPYed with them can be
    referred to (history rows, audit events) without reading them back."""
    if n <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, n])
        return sorted(r[0] for r in cursor.fetchall())
