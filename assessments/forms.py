"""The forms of the final assessment's page."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.form_fields import RecordChoiceField, WholeNumberField
from targets.models import Indicator
from tasks.models import Plan

from .models import ItemKind


class DraftForm(forms.Form):
    """Freeze the figures as of now into a new draft version."""

    doc_number = forms.CharField(label=_("Document number"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=100, required=False)


class StepForm(forms.Form):
    """Check or issue one version."""

    version = WholeNumberField(min_value=1)


# ---------------------------------------------------------------- the annual assessment


SELECT = {"class": "form-select form-select-sm"}
INPUT = {"class": "form-control form-control-sm"}


class SchemeForm(forms.Form):
    """The scheme's own fields; its items are SchemeItemForms (a formset)."""

    plan = RecordChoiceField(label=_("Plan"), queryset=Plan.objects.all(), empty_label=None)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    based_on = WholeNumberField(min_value=0, required=False, widget=forms.HiddenInput)


class SchemeItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices, widget=forms.Select(attrs=SELECT))
    indicator = RecordChoiceField(label=_("Indicator"), queryset=Indicator.objects.all(), required=False,
                                  widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=_("Item"), max_length=100, widget=forms.TextInput(attrs=INPUT))
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"),
                                max_value=Decimal(100), widget=forms.NumberInput(attrs={**INPUT, "step": "0.01"}))
    rule = forms.CharField(label=_("Rule"), max_length=2000, widget=forms.Textarea(attrs={**INPUT, "rows": 2}))

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if indicators is not None:
            self.fields["indicator"].queryset = indicators


SchemeItemFormSet = forms.formset_factory(SchemeItemForm, extra=2, can_delete=True, max_num=30, validate_max=True,
                                          absolute_max=30)


class AnnualDraftForm(forms.Form):
    """Compute the year's assessment now: a new draft version with the 通报's 文号."""

    doc_number = forms.CharField(label=_("Document number"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=100, required=False)


class TemplateForm(forms.Form):
    file = forms.FileField(label=_("Template (.docx)"), max_length=200)
