"""Form fields the pages share, and how a form's errors are shown.

Every page POST is read through a Django form, so a malformed number, id, date or version is a
field error (the page again, status 400), never a server error, and the service is not called."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .quarters import Quarter

# The range of Django's PositiveIntegerField on every database it supports; PostgreSQL refuses a
# larger number with an error, so the form refuses it first.
POSITIVE_INT_MAX = 2147483647
# A cap for free text stored in a TextField (a comment, a summary, a reason): a few pages of text.
TEXT_MAX = 5000

_WHOLE = re.compile(r"-?[0-9]+")


class WholeNumberField(forms.IntegerField):
    """A whole number in ASCII digits, within ``min_value``..``max_value`` (by default a
    PositiveIntegerField's range). Django's IntegerField reads "３５０", "3_50" and "350.0" as 350
    (Python's int() does); a figure typed with full-width digits is refused here instead, as the
    services refuse it."""

    default_error_messages = {"invalid": gettext_lazy("Write a whole number with the digits 0–9.")}

    def __init__(self, *, min_value: int = 0, max_value: int = POSITIVE_INT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not _WHOLE.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class VersionField(WholeNumberField):
    """The version of a record the form was filled in from (a hidden field): a stale one is a
    conflict the service reports; a malformed one is refused here."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Version"))
        super().__init__(**kwargs)


class DayField(forms.DateField):
    """A day written YYYY-MM-DD (what a date input sends), within the years the platform records
    (a year like 9999 would overflow the date arithmetic behind a validity period)."""

    FIRST = datetime.date(1990, 1, 1)
    LAST = datetime.date(2099, 12, 31)
    default_error_messages = {
        "invalid": gettext_lazy("%(value)s is not a date (YYYY-MM-DD)."),
        "out_of_range": gettext_lazy("%(value)s is outside the years the platform records (%(first)s–%(last)s)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            try:
                value = datetime.datetime.strptime(str(value).strip(), "%Y-%m-%d").date()
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid",
                                            params={"value": value}) from None
        if not self.FIRST <= value <= self.LAST:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range", params={
                "value": value.isoformat(), "first": self.FIRST.year, "last": self.LAST.year})
        return value


class QuarterField(forms.CharField):
    """A quarter written like 2024Q3, read as a Quarter."""

    default_error_messages = {"invalid": gettext_lazy("Choose a quarter."),
                              "required": gettext_lazy("Choose a quarter.")}

    def clean(self, value):
        label = super().clean(value)
        if label in self.empty_values:
            return None
        try:
            if not label.isascii():  # Quarter.parse's \d would take "２０２４Q1"
                raise ValueError(label)
            return Quarter.parse(label)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def form_errors(form: forms.Form) -> list[str]:
    """A form's errors as the pages list them: each prefixed with its field's label, where the
    field has one (a field without a label has messages that name what they are about)."""
    messages = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        for message in errors:
            messages.append(_("%(field)s: %(message)s") % {"field": label, "message": message} if label else message)
    return messages


def posted_action(data, actions) -> str:
    """Which of a page's forms was sent: the posted ``action``, read by a form like every other
    field; one that is not among ``actions`` is a 404 (no such form on the page)."""
    from django.http import Http404

    form = forms.Form(data)
    form.fields["action"] = forms.ChoiceField(choices=[(name, name) for name in actions])
    if not form.is_valid():
        raise Http404
    return form.cleaned_data["action"]


_LARGEST_ID = 2**63 - 1  # the largest bigint: a larger id cannot be looked up (SQLite overflows, PostgreSQL errs)


def _is_id(value) -> bool:
    text = str(value).strip()
    return text.isdigit() and int(text) <= _LARGEST_ID


class RecordChoiceField(forms.ModelChoiceField):
    """A record chosen by its id: anything that is not a whole number within the database's range
    is an invalid choice (a field error), never a query that overflows."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by their ids, with RecordChoiceField's rule for each."""

    def _check_values(self, value):
        for pk in value:
            if not _is_id(pk):
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})
        return super()._check_values(value)
