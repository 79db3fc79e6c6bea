"""The forms of the import pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    """A spreadsheet to preview. An empty or unreadable file is not refused here: the import's
    gate reads it and the batch page says why it was refused."""

    file = forms.FileField(allow_empty_file=True, error_messages={"required": _("Choose a file to upload.")})

