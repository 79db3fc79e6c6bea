"""督办 pages: the leaders' instructions addressed to units, their replies and the office's review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kernel.form_fields import posted_action
from kernel.versioning import Conflict

from . import access
from .forms import InstructionReplyForm, InstructionReviewForm
from .models import Instruction, InstructionUnit
from .services import evidence_attach, instruction_reply, instruction_reply_close, instruction_reply_return

INSTRUCTION_ACTIONS = ("reply", "close", "return")


@login_required
@require_safe
def instructions_view(request):
    """The instructions the user sees: every one for the office and leaders, a unit's own otherwise."""
    user = request.user
    today = timezone.localdate()
    instructions = (Instruction.objects.for_user(user).select_related("task", "author")
                    .prefetch_related("addressees__region", "addressees__department"))
    if not instructions.exists() and not access.sees_every_unit(user) and not access.can_ask_for_extension(user):
        raise Http404
    return render(request, "reports/instructions.html", {"instructions": instructions[:200], "today": today})


def _form(request, addressees):
    action = posted_action(request.POST, INSTRUCTION_ACTIONS)
    if action == "reply":
        return action, InstructionReplyForm(request.POST, request.FILES)
    if not access.reviews_reporting(request.user):
        raise PermissionDenied
    return action, InstructionReviewForm(request.POST, addressees=addressees)


@login_required
def instruction_view(request, pk: int):
    """One instruction: its units and their replies; the unit replies, the office closes or returns."""
    user = request.user
    instruction = get_object_or_404(Instruction.objects.for_user(user).select_related("task", "author"), pk=pk)
    addressees = instruction.addressees.select_related("region", "department", "replied_by", "reviewed_by")
    mine = InstructionUnit.objects.for_user(user).filter(instruction=instruction) if not access.sees_every_unit(
        user) else InstructionUnit.objects.none()
    errors, status = [], 200
    if request.method == "POST":
        action, form = _form(request, addressees)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    if action == "reply":
                        addressee = mine.first()
                        if addressee is None:
                            raise PermissionDenied
                        addressee = instruction_reply(addressee=addressee, text=data["reply"],
                                                      version=data["version"], user=user)
                        if data["file"]:
                            evidence_attach(record=addressee, upload=data["file"], user=user)
                    elif action == "close":
                        instruction_reply_close(addressee=data["addressee"], version=data["version"], reviewer=user,
                                                comment=data["comment"])
                    else:
                        instruction_reply_return(addressee=data["addressee"], version=data["version"],
                                                 reviewer=user, comment=data["comment"])
                messages.success(request, _("Saved."))
                return redirect("reports:instruction", pk=instruction.pk)
            except Conflict as exc:
                errors, status = exc.messages, 409
            except ValidationError as exc:
                errors, status = exc.messages, 400
        else:
            errors, status = form.error_lines(), 400
    shown = addressees if access.sees_every_unit(user) else addressees.filter(pk__in=mine.values("pk"))
    return render(request, "reports/instruction.html", {
        "instruction": instruction, "addressees": list(shown.prefetch_related("evidence")),
        "mine": mine.first(), "reviews": access.reviews_reporting(user), "today": timezone.localdate(),
        "errors": errors,
    }, status=status)
