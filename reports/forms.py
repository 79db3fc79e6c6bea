"""The forms of the reporting pages: one per kind of POST. Each checks the type and the range of
what is posted (a version is a non-negative integer, an id names a record the user may act on, a
figure is a number the database can hold, a text fits) so that a malformed value is a message on
the page and nothing is written. What a valid value may do — a state, a deadline, a role — is for
the services to say.

The fields keep the names the pages have always posted (``version``, ``comment``,
``v__<indicator>__<component>``, …)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.form_fields import RecordChoiceField, RecordsChoiceField
from kernel.sms import MOBILE_RE
from targets.models import IndicatorValue

from .models import CHOOSABLE_KINDS, CountyReturn, Notification, PeriodException, SelfStatus, TaskReport
from .selectors import period_for_label
from .services import EXTENSION_EXCEPTION_PREFIX, REPORT_FIELDS

# Records' versions are PositiveIntegerFields.
VERSION_MAX = 2_147_483_647
# The review comments, reasons and explanations are TextFields, which have no length of their own;
# these caps keep a page's texts to what a person writes.
COMMENT_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 1000
EXPLANATION_MAX_LENGTH = 2000
INSTRUCTION_MAX_LENGTH = 2000
REPORT_TEXT_MAX_LENGTH = 10000
# An approved extension's reason is copied, after a prefix, into the period exception's reason.
EXTENSION_REASON_MAX_LENGTH = (PeriodException._meta.get_field("reason").max_length
                               - len(EXTENSION_EXCEPTION_PREFIX))

FIGURE_PREFIX = "v__"
_VALUE_FIELD = IndicatorValue._meta.get_field("value")
# Digits grouped in thousands, as people copy them from spreadsheets: 12,345 or 1,234,567.89.
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


def figure_field_name(indicator_code: str, component_code: str) -> str:
    return f"{FIGURE_PREFIX}{indicator_code}__{component_code}"


def _line(label, message) -> str:
    return _("%(field)s: %(message)s") % {"field": label, "message": message} if label else str(message)


class PageForm(forms.Form):
    """A form whose errors a page shows as a list of lines, each naming its field."""

    def error_lines(self, *, exclude=()) -> list[str]:
        lines = []
        for name, messages in self.errors.items():
            if name in exclude:
                continue
            label = self.fields[name].label if name in self.fields else ""
            lines += [_line(label, message) for message in messages]
        return lines


def version_field(*, required: bool = True) -> forms.IntegerField:
    """The version of the record the user saw (a stale one is refused by the service)."""
    return forms.IntegerField(label=gettext_lazy("version"), min_value=0, max_value=VERSION_MAX, required=required)


class FigureField(forms.DecimalField):
    """One figure of a return: a number IndicatorValue.value holds (at most 18 digits, 4 of them
    decimals), not negative; thousands may be grouped with commas."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=_VALUE_FIELD.max_digits, decimal_places=_VALUE_FIELD.decimal_places,
                         min_value=0, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and "," in value:
            text = value.strip()
            if not _GROUPED.fullmatch(text):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = text.replace(",", "")
        return super().to_python(value)


class PeriodField(forms.CharField):
    """A reporting period by its label, such as 2024Q3."""

    def clean(self, value):
        label = super().clean(value)
        period = period_for_label(label)
        if period is None:
            raise ValidationError(forms.ChoiceField.default_error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": label})
        return period


# ---------------------------------------------------------------- county returns


class FigureGridForm(PageForm):
    """The figure grid of a county's return: one field per component of each indicator the
    counties report. A field not posted at all is left out of ``figures()`` (its figure is not
    touched); a posted blank is "" (a draft's figure cleared)."""

    version = version_field()

    def __init__(self, data=None, *, indicators, **kwargs):
        super().__init__(data, **kwargs)
        self.cells = {}
        for indicator in indicators:
            for component in indicator.components.all():
                name = figure_field_name(indicator.code, component.code)
                self.fields[name] = FigureField(required=False, label=component.name)
                self.cells[name] = (indicator.code, component.code)

    def clean(self):
        unknown = sorted(key for key in self.data if key.startswith(FIGURE_PREFIX) and key not in self.fields)
        if unknown:
            raise ValidationError([_("%(code)s is not in a county return.") % {"code": key[len(FIGURE_PREFIX):]}
                                   for key in unknown])
        return super().clean()

    def figures(self) -> dict[str, dict[str, object]]:
        """Indicator code → component code → the posted figure (a Decimal, or "" for a blank)."""
        figures: dict[str, dict[str, object]] = {}
        for name, (indicator_code, component_code) in self.cells.items():
            if name in self.data:
                value = self.cleaned_data[name]
                figures.setdefault(indicator_code, {})[component_code] = "" if value is None else value
        return figures

    def figure_errors(self) -> dict[str, list[str]]:
        """Indicator code → the messages of its figures, each naming the component."""
        by_indicator: dict[str, list[str]] = {}
        for name, messages in self.errors.items():
            if name in self.cells:
                by_indicator.setdefault(self.cells[name][0], []).extend(
                    _line(self.fields[name].label, message) for message in messages)
        return by_indicator

    def error_lines(self, *, exclude=()) -> list[str]:
        return super().error_lines(exclude={*exclude, *self.cells})


class ReturnFiguresForm(FigureGridForm):
    """Save a return as a draft, or submit it (with the explanation its warnings need)."""

    explanation = forms.CharField(label=CountyReturn._meta.get_field("explanation").verbose_name, required=False,
                                  max_length=EXPLANATION_MAX_LENGTH)


class CorrectionRequestForm(FigureGridForm):
    """Ask to correct an approved return: the changed figures and the reason."""

    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=REASON_MAX_LENGTH)


class ReviewForm(PageForm):
    """The office approves a submitted return or task report, or returns it with a comment."""

    version = version_field()
    comment = forms.CharField(label=gettext_lazy("Comment (required to return)"), required=False,
                              max_length=COMMENT_MAX_LENGTH)


class WithdrawForm(PageForm):
    """The unit withdraws (撤回) what it sent, before a reviewer opens it; a reason is optional."""

    version = version_field()
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=REASON_MAX_LENGTH)


class CorrectionDecisionForm(PageForm):
    """The office approves or rejects one correction of the return on the page."""

    correction = RecordChoiceField(label=gettext_lazy("correction"), queryset=None)
    comment = forms.CharField(label=gettext_lazy("Comment (required to reject)"), required=False,
                              max_length=COMMENT_MAX_LENGTH)
    version = version_field(required=False)  # the page sends the return's; a correction has none

    def __init__(self, data=None, *, corrections, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["correction"].queryset = corrections


# ---------------------------------------------------------------- task reports


MEASURE_PREFIX = "m__"


def measure_field_name(code: str) -> str:
    return f"{MEASURE_PREFIX}{code}"


class ReportContentForm(PageForm):
    """What a department writes in its part or in the task's compiled report: the narrative, and
    the figures of the task measures it reports (``measures``), read by the service's number rule."""

    version = version_field()
    missing_parts_reason = forms.CharField(label=TaskReport._meta.get_field("missing_parts_reason").verbose_name,
                                           required=False, max_length=REASON_MAX_LENGTH)
    # evidence attached with the text, in the same form: saved together or not at all (the text is
    # shown back if the file is refused)
    file = forms.FileField(label=gettext_lazy("Evidence file"), required=False)

    def __init__(self, data=None, *, measures=(), **kwargs):
        super().__init__(data, **kwargs)
        self.measure_codes = []
        for measure in measures:
            name = measure_field_name(measure.code)
            self.fields[name] = forms.CharField(label=f"{measure.name}（{measure.unit}）", required=False,
                                                max_length=30)
            self.measure_codes.append(measure.code)
        for name in REPORT_FIELDS:
            label = TaskReport._meta.get_field(name).verbose_name
            if name == "self_status":
                self.fields[name] = forms.ChoiceField(label=label, required=False,
                                                      choices=[("", "—"), *SelfStatus.choices])
            else:
                self.fields[name] = forms.CharField(label=label, required=False, max_length=REPORT_TEXT_MAX_LENGTH)

    def clean(self):
        unknown = sorted(key for key in self.data if key.startswith(MEASURE_PREFIX) and key not in self.fields)
        if unknown:
            raise ValidationError([_("%(code)s is not a measure this unit reports here.") % {
                "code": key[len(MEASURE_PREFIX):]} for key in unknown])
        return super().clean()

    def report_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}

    def figures(self) -> dict[str, str]:
        """Measure code → the posted figure as text ("" clears it); measures not posted are left alone."""
        return {code: self.cleaned_data[measure_field_name(code)].strip() for code in self.measure_codes
                if measure_field_name(code) in self.data}


class PartReturnForm(PageForm):
    """The lead returns one submitted part of its task to its unit, with a comment."""

    part = RecordChoiceField(label=gettext_lazy("task report part"), queryset=None)
    version = version_field()
    return_comment = forms.CharField(label=gettext_lazy("Comment (required to return)"), required=False,
                                     max_length=COMMENT_MAX_LENGTH)

    def __init__(self, data=None, *, parts, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["part"].queryset = parts


class QuotePartsForm(PageForm):
    """The lead quotes submitted parts into its compiled report."""

    quoted = RecordsChoiceField(label=gettext_lazy("Parts to quote"), queryset=None)
    version = version_field()

    def __init__(self, data=None, *, parts, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["quoted"].queryset = parts


class EvidenceForm(PageForm):
    """A file of evidence for a part or a report (its content is checked by the service)."""

    file = forms.FileField(label=gettext_lazy("Evidence file"), error_messages={
        "required": gettext_lazy("Choose a file, and save the report first.")})
    version = version_field(required=False)  # the page sends it; evidence is added to any version


class EvidenceRemoveForm(PageForm):
    """Which file of a report or part to remove (only that record's own files are offered; the
    service refuses once it is submitted)."""

    evidence = RecordChoiceField(label=gettext_lazy("Evidence"), queryset=None)

    def __init__(self, data=None, *, record, **kwargs):
        from .models import Evidence

        super().__init__(data, **kwargs)
        self.fields["evidence"].queryset = record.evidence.all() if record is not None else Evidence.objects.none()


class InstructionForm(PageForm):
    """A leader's instruction on a task (督办): its text, the units responsible (departments and/or
    counties; at least one, the service refuses none) and a deadline."""

    instruction = forms.CharField(label=gettext_lazy("Instruction"), required=False,
                                  max_length=INSTRUCTION_MAX_LENGTH)
    deadline = forms.DateField(label=gettext_lazy("Deadline"), input_formats=["%Y-%m-%d"], error_messages={
        "invalid": gettext_lazy("Give the date as YYYY-MM-DD."),
        "required": gettext_lazy("An instruction needs a deadline.")})
    departments = RecordsChoiceField(label=gettext_lazy("Departments"), required=False, queryset=None)
    counties = RecordsChoiceField(label=gettext_lazy("Counties"), required=False, queryset=None)

    def __init__(self, data=None, **kwargs):
        from divisions.models import Region
        from tasks.models import Department

        super().__init__(data, **kwargs)
        self.fields["departments"].queryset = Department.objects.all()
        self.fields["counties"].queryset = Region.objects.counties()

    def units(self) -> list:
        """The units ticked (departments, then counties)."""
        return [*self.cleaned_data["departments"], *self.cleaned_data["counties"]]


class InstructionReplyForm(PageForm):
    """A unit's reply to an instruction (办理情况反馈), with an optional file of evidence."""

    reply = forms.CharField(label=gettext_lazy("Reply"), required=False, max_length=REPORT_TEXT_MAX_LENGTH)
    file = forms.FileField(label=gettext_lazy("Evidence file"), required=False)
    version = version_field()


class InstructionReviewForm(PageForm):
    """The office closes a unit's reply or returns it with a comment."""

    addressee = RecordChoiceField(label=gettext_lazy("responsible unit"), queryset=None)
    comment = forms.CharField(label=gettext_lazy("Comment (required to return)"), required=False,
                              max_length=COMMENT_MAX_LENGTH)
    version = version_field()

    def __init__(self, data=None, *, addressees, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["addressee"].queryset = addressees


# ---------------------------------------------------------------- extensions


class ExtensionRequestForm(PageForm):
    """An officer asks for more time on a period for their own unit."""

    period = PeriodField(label=gettext_lazy("Period"), max_length=10)
    until = forms.DateField(label=gettext_lazy("Until"), input_formats=["%Y-%m-%d"], error_messages={
        "invalid": gettext_lazy("Give the date as YYYY-MM-DD."),
        "required": gettext_lazy("Give the date as YYYY-MM-DD.")})
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=EXTENSION_REASON_MAX_LENGTH)


class ExtensionDecisionForm(PageForm):
    """The office approves or refuses one pending request."""

    request = RecordChoiceField(label=gettext_lazy("extension request"), queryset=None)
    comment = forms.CharField(label=gettext_lazy("Comment (required to reject)"), required=False,
                              max_length=COMMENT_MAX_LENGTH)

    def __init__(self, data=None, *, requests, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["request"].queryset = requests


# ---------------------------------------------------------------- notification channels


class NotificationPreferenceForm(PageForm):
    """One person's channels: e-mail and text messages are opt-in, for every notification or the
    kinds ticked; the address of a chosen channel is required and checked."""

    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False, max_length=254, error_messages={
        "invalid": gettext_lazy("Enter a valid e-mail address, such as zhangsan@ankang.gov.cn.")})
    mobile = forms.CharField(label=gettext_lazy("Mobile number"), required=False, max_length=20)
    email_all = forms.BooleanField(label=gettext_lazy("Every notification by e-mail"), required=False)
    email_kinds = forms.MultipleChoiceField(label=gettext_lazy("By e-mail, only these kinds"), required=False,
                                            widget=forms.CheckboxSelectMultiple, choices=())
    sms_all = forms.BooleanField(label=gettext_lazy("Every notification by text message"), required=False)
    sms_kinds = forms.MultipleChoiceField(label=gettext_lazy("By text message, only these kinds"), required=False,
                                          widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name in ("email_kinds", "sms_kinds"):
            self.fields[name].choices = [(value, label) for value, label in Notification.Kind.choices
                                         if value in CHOOSABLE_KINDS]

    def clean_mobile(self) -> str:
        # people write numbers in groups (138 0000 0000, 138-0000-0000): spaces and hyphens are dropped
        mobile = re.sub(r"[\s-]", "", self.cleaned_data.get("mobile") or "")
        if mobile and not MOBILE_RE.fullmatch(mobile):
            raise ValidationError(_("Enter a mainland mobile number of 11 digits starting with 13–19."),
                                  code="mobile")
        return mobile

    def clean(self):
        data = super().clean()
        if (data.get("email_all") or data.get("email_kinds")) and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("E-mail was chosen: give the address to send to."))
        if (data.get("sms_all") or data.get("sms_kinds")) and not data.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", _("Text messages were chosen: give the mobile number to send to."))
        return data
