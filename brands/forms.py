"""The labour-brand page's forms. The figures are read as typed text and judged by the service
(labour_brand_save: a whole number of workers, a year from 2000 to this year), so the page and the
import refuse them with the same words; a malformed county or version is a field error here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from divisions.models import Region
from kernel.form_fields import RecordChoiceField, VersionField

from .models import LabourBrand


def _max_length(field: str) -> int:
    return LabourBrand._meta.get_field(field).max_length


class LabourBrandForm(forms.Form):
    name = forms.CharField(label=_("brand name"), max_length=_max_length("name"))
    work_type = forms.CharField(label=_("work type"), max_length=_max_length("work_type"))
    county = RecordChoiceField(label=_("county"), queryset=Region.objects.none(), error_messages={
        "required": _("Choose a county."), "invalid_choice": _("Choose a county.")})
    year_recognised = forms.CharField(label=_("year recognised"), max_length=12)
    workers_employed = forms.CharField(label=_("workers employed"), max_length=12)
    note = forms.CharField(label=_("note"), max_length=_max_length("note"), required=False)
    version = VersionField(required=False)

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class LabourBrandDeleteForm(forms.Form):
    version = VersionField()
