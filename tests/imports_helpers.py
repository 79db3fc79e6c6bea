"""Building the files of the imports tests: workbooks and CSVs, good and bad, made in the test."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from divisions.models import Region

HEADER = ["统计用区划代码", "名称", "县（市、区）", "户数", "人口", "易地搬迁社区"]


def villages(county: str, n: int) -> list[Region]:
    return list(Region.objects.filter(level="village", county__name=county).order_by("code")[:n])


def community_rows(regions: list[Region], *, base: int = 100, county: str | None = None) -> list[list]:
    return [[r.code, r.short_name, county if county is not None else r.county.name, base + i, (base + i) * 3,
             "是" if i == 0 else "否"] for i, r in enumerate(regions)]


def xlsx_bytes(rows: list[list], *, title: str = "Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def upload(data: bytes, name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, edit=None) -> bytes:
    """The same workbook with parts added or edited (``edit(name, bytes) -> bytes``)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, edit(info.filename, content) if edit else content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    """Give a formula cell the value Excel would have cached when saving (openpyxl writes none)."""

    def edit(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        text = content.decode()
        text, n = re.subn(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{value}</v>", text)
        assert n == 1
        return text.encode()

    return rezip(data, edit=edit)


def zip_bomb(*, size: int = 60 * 1024 * 1024) -> bytes:
    """A valid-looking workbook with one part that unpacks to ``size`` bytes of zeros."""
    base = xlsx_bytes([HEADER])
    return rezip(base, add={"xl/media/padding.bin": b"\0" * size})


def ole_file(*, encrypted: bool) -> bytes:
    """The first bytes of a Compound File: an encrypted OOXML package or a legacy .xls."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    body = "EncryptedPackage".encode("utf-16-le") if encrypted else "Workbook".encode("utf-16-le")
    return head + body + b"\0" * 2048
