"""The file gate: every upload is judged here, by its bytes, before any parser sees it.

Order matters: size first (nothing is read beyond the cap), then the type by content (never by
the name), then the zip directory of a workbook (entry count, declared uncompressed sizes and
compression ratios, macros) — read from the central directory without extracting anything — and
for CSV the encoding (UTF-8 with or without BOM, else GB18030, which covers GBK and GB2312).
Every refusal is a ``FileRefused`` with a message in Chinese saying what to do.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kernel.refusals import refuse

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: legacy .xls or an encrypted OOXML package
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_NAMES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb")


class FileRefused(ValidationError):
    """The file was refused before parsing; nothing was read from it and nothing written."""


@dataclass(frozen=True)
class GatedFile:
    kind: str  # "xlsx" or "csv"
    encoding: str = ""  # CSV only: "utf-8-sig", "utf-8" or "gb18030"
    text: str = ""  # CSV only: the decoded text

    @property
    def label(self) -> str:
        return "xlsx" if self.kind == "xlsx" else f"csv ({self.encoding})"


def _refuse(message: str) -> None:
    refuse(message, error=FileRefused)


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f}"


def gate_size(*, name: str, size: int) -> None:
    """The size cap, checked from the upload's declared size before its bytes are read."""
    if size == 0:
        _refuse(_("%(name)s is empty.") % {"name": name})
    if size > settings.IMPORT_MAX_BYTES:
        _refuse(_("%(name)s is %(size)s MB; the limit is %(limit)s MB. Split it into several files.") % {
            "name": name, "size": _mb(size), "limit": _mb(settings.IMPORT_MAX_BYTES)})


def gate(*, name: str, data: bytes) -> GatedFile:
    """Judge an upload by its content; return what it is, or raise ``FileRefused``."""
    gate_size(name=name, size=len(data))
    lower = name.lower()
    if lower.endswith((".xlsm", ".xltm")):
        _refuse(_("%(name)s is a macro-enabled workbook; macros are not accepted. Save it as an Excel workbook "
                  "(.xlsx) and upload that.") % {"name": name})
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            _refuse(_("%(name)s is protected by a password; the platform cannot read it. Remove the password in "
                      "Excel (File → Info → Protect Workbook) and upload again.") % {"name": name})
        _refuse(_("%(name)s is an old-format Excel file (.xls) or another Office document; save it as an Excel "
                  "workbook (.xlsx) or CSV and upload that.") % {"name": name})
    if data.startswith(ZIP_MAGIC):
        _gate_workbook(name, data)
        return GatedFile(kind="xlsx")
    if lower.endswith(EXCEL_NAMES):
        _refuse(_("%(name)s is named like an Excel file but is not an Excel workbook (judged by its content, not "
                  "its name).") % {"name": name})
    return _gate_csv(name, data)


def _gate_workbook(name: str, data: bytes) -> None:
    not_a_workbook = _("%(name)s is not an Excel workbook (.xlsx): judged by its content, not its name.") % {
        "name": name}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()  # the central directory only: nothing is decompressed here
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        _refuse(not_a_workbook)
    if len(entries) > settings.IMPORT_ZIP_MAX_ENTRIES:
        _refuse(_("%(name)s has %(n)s parts inside; the limit is %(limit)s. It is not an ordinary workbook.") % {
            "name": name, "n": len(entries), "limit": settings.IMPORT_ZIP_MAX_ENTRIES})
    total = sum(e.file_size for e in entries)
    if total > settings.IMPORT_ZIP_MAX_UNCOMPRESSED:
        _refuse(_("%(name)s would unpack to %(size)s MB; the limit is %(limit)s MB. It is not an ordinary "
                  "workbook.") % {"name": name, "size": _mb(total), "limit": _mb(settings.IMPORT_ZIP_MAX_UNCOMPRESSED)})
    for entry in entries:
        # Tiny parts compress oddly; a ratio only means something for parts of real size.
        if entry.file_size > 1024 * 1024 and entry.file_size > settings.IMPORT_ZIP_MAX_RATIO * max(entry.compress_size, 1):
            _refuse(_("%(name)s is compressed %(ratio)s to 1 (part %(part)s); the limit is %(limit)s to 1. It is "
                      "not an ordinary workbook.") % {"name": name, "part": entry.filename[:80],
                                                      "ratio": entry.file_size // max(entry.compress_size, 1),
                                                      "limit": settings.IMPORT_ZIP_MAX_RATIO})
    names = {e.filename for e in entries}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        _refuse(_("%(name)s contains macros (VBA); macros are not accepted. Save it as an Excel workbook (.xlsx) "
                  "and upload that.") % {"name": name})
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        _refuse(not_a_workbook)
    content_types = archive.getinfo("[Content_Types].xml")
    if content_types.file_size > 1024 * 1024:
        _refuse(not_a_workbook)
    try:
        declared = archive.read(content_types).lower()
    except (zipfile.BadZipFile, OSError, ValueError):  # a bad CRC, a truncated part
        _refuse(not_a_workbook)
    if b"macroenabled" in declared or b"vbaproject" in declared:
        _refuse(_("%(name)s is a macro-enabled workbook; macros are not accepted. Save it as an Excel workbook "
                  "(.xlsx) and upload that.") % {"name": name})


def _gate_csv(name: str, data: bytes) -> GatedFile:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        _refuse(_("%(name)s is UTF-16 text (Excel's \"Unicode text\"); save it as CSV (UTF-8) or as an Excel "
                  "workbook.") % {"name": name})
    if b"\x00" in data:
        _refuse(_("%(name)s is neither an Excel workbook (.xlsx) nor a CSV text file (judged by its content, not "
                  "its name).") % {"name": name})
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "gb18030"  # what Chinese Excel writes for "CSV (逗号分隔)"; a superset of GBK
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        _refuse(_("%(name)s is not readable text in UTF-8 or GBK/GB18030; save it from Excel as CSV (UTF-8) and "
                  "upload again.") % {"name": name})
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:65536]):
        _refuse(_("%(name)s is neither an Excel workbook (.xlsx) nor a CSV text file (judged by its content, not "
                  "its name).") % {"name": name})
    return GatedFile(kind="csv", encoding=encoding, text=text)
