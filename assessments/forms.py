"""The forms of the final assessment's page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.form_fields import WholeNumberField


class DraftForm(forms.Form):
    """Freeze the figures as of now into a new draft version."""

    doc_number = forms.CharField(label=_("Document number"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=100, required=False)


class StepForm(forms.Form):
    """Check or issue one version."""

    version = WholeNumberField(min_value=1)
