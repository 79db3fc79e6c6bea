"""The form of the report packs' page."""

from __future__ import annotations

from django import forms

from kernel.form_fields import QuarterField


class PackRequestForm(forms.Form):
    """Ask for the pack of one quarter (whether it is a reporting period that has begun is the
    service's rule)."""

    quarter = QuarterField()
