"""The forms of the certification pages. Each POST is read through one of these: a malformed
version, id, figure or date is a field error on the page, and the pipeline is not called.

The HTML field names are the pages' own (``community``, ``met_<criterion id>``, ``day`` …)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from divisions.models import Region
from kernel.form_fields import TEXT_MAX, DayField, VersionField, WholeNumberField

from .models import Application, ApplicationCheck, Certification, Tier

UNKNOWN_ACTION = {"required": _("Unknown action."), "invalid_choice": _("Unknown action.")}


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


class ApplicationNewForm(forms.Form):
    """Open an application: a village or community the user may see, by its NBS code, and a tier.
    Whether the user's county may apply for it is the pipeline's rule (application_create)."""

    community = forms.CharField(error_messages={"required": _("Enter the NBS code of the village or community.")})
    tier = forms.ModelChoiceField(queryset=Tier.objects.none(), to_field_name="code", error_messages={
        "required": _("Choose a tier."), "invalid_choice": _("Choose a tier.")})
    summary = forms.CharField(label=_("Summary"), required=False, max_length=TEXT_MAX)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = Region.objects.for_user(user).filter(level=Region.Level.VILLAGE)
        self.fields["tier"].queryset = Tier.objects.for_user(user)

    def clean_community(self) -> Region:
        code = self.cleaned_data["community"]
        well_formed = len(code) == 12 and code.isascii() and code.isdigit()
        community = self.villages.filter(code=code).first() if well_formed else None
        if community is None:
            raise forms.ValidationError(_("%(code)s is not the NBS code of a village or community."),
                                        params={"code": code})
        return community


class ApplicationActionForm(forms.Form):
    """Which of the application page's forms was sent."""

    ACTIONS = ("save", "evidence", "evidence_remove", "submit", "approve", "return", "cancel")

    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS],
                               error_messages=UNKNOWN_ACTION)


class EvidenceRemoveForm(forms.Form):
    """Which of the application's files to remove (only its own files are offered)."""

    evidence = forms.ModelChoiceField(queryset=None, label=_("Evidence"))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = application.evidence.all()


class ChecklistForm(forms.Form):
    """The checklist and the summary of a draft or returned application: for each of its
    criteria, met or not (``met_<id>``: yes, no or blank) or the recorded figure (``value_<id>``,
    read by the pipeline's rule for figures), and a note (``note_<id>``)."""

    version = VersionField()
    summary = forms.CharField(label=_("Summary"), required=False, max_length=TEXT_MAX)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = list(application.checks.select_related("criterion"))
        note_length = _max_length(ApplicationCheck, "note")
        for check in self.checks:
            criterion = check.criterion
            self.fields[f"met_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.name, required=False, choices=[("", "—"), ("yes", _("Met")), ("no", _("Not met"))])
            self.fields[f"value_{criterion.pk}"] = forms.CharField(label=criterion.name, required=False, max_length=40)
            self.fields[f"note_{criterion.pk}"] = forms.CharField(label=criterion.name, required=False,
                                                                  max_length=note_length)

    def answers(self) -> dict[int, dict]:
        """Criterion id → {met, value, note}, as application_checklist_save takes them."""
        data = self.cleaned_data
        return {check.criterion_id: {"met": {"yes": True, "no": False}.get(data[f"met_{check.criterion_id}"]),
                                     "value": data[f"value_{check.criterion_id}"],
                                     "note": data[f"note_{check.criterion_id}"]}
                for check in self.checks}


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), error_messages={"required": _("Choose a file.")})


class SubmitForm(forms.Form):
    version = VersionField()
    comment = forms.CharField(label=_("Comment"), required=False, max_length=TEXT_MAX)


class ReviewForm(forms.Form):
    """A decision at the current review step; at the city's step, approving certifies with a
    certificate number and date."""

    version = VersionField()
    comment = forms.CharField(label=_("Comment"), required=False, max_length=TEXT_MAX)
    certificate_number = forms.CharField(label=_("Certificate number"), required=False,
                                         max_length=_max_length(Certification, "certificate_number"))
    certified_on = DayField(label=_("Certified on"), required=False)


class CancelForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(label=_("Reason"), required=False, max_length=TEXT_MAX)


class CertificationActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("review", "review"), ("withdraw", "withdraw")],
                               error_messages=UNKNOWN_ACTION)


class CertificationReviewForm(forms.Form):
    """A periodic review (复核): the day, passed or failed, and a comment (the reason if failed)."""

    day = DayField(label=_("Reviewed on"))
    passed = forms.ChoiceField(label=_("Outcome"), choices=[("yes", _("passed")), ("no", _("failed"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=TEXT_MAX)


class CertificationWithdrawForm(forms.Form):
    day = DayField(label=_("Withdrawn from"))
    reason = forms.CharField(label=_("Reason"), required=False,
                             max_length=_max_length(Certification, "withdrawal_reason"))


class CommunityProfileForm(forms.Form):
    """A village's or community's households, population and relocation status."""

    version = VersionField()
    # the range of the columns (PositiveIntegerField): a larger number is a field error, not a database error
    households = WholeNumberField(label=_("Households"), required=False)
    population = WholeNumberField(label=_("Population"), required=False)
    is_relocation = forms.BooleanField(label=_("Relocation community (易地搬迁社区)"), required=False)
