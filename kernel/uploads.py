"""Uploaded evidence (PDF, JPEG, PNG), judged by its first bytes, never by its name."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from .refusals import refuse

EVIDENCE_TYPES = {  # sniffed from the file's first bytes, never from its name
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def _sniff(head: bytes) -> str | None:
    return next((t for magic, t in EVIDENCE_TYPES.items() if head.startswith(magic)), None)


def evidence_upload_check(upload) -> str:
    """The content type of an evidence file: a PDF, JPEG or PNG judged by its first bytes, not its
    name, within EVIDENCE_MAX_BYTES; anything else is refused with a message naming the file."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        refuse(_("%(name)s is %(size)s MB; the limit is %(limit)s MB."), name=upload.name,
                size=f"{upload.size / 1048576:.1f}", limit=settings.EVIDENCE_MAX_BYTES // 1048576)
    head = upload.read(16)
    upload.seek(0)
    content_type = _sniff(head)
    if content_type is None:
        refuse(_("%(name)s is not a PDF, JPEG or PNG file (judged by its content, not its name)."), name=upload.name)
    return content_type
