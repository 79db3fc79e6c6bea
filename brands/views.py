"""The labour-brand pages (task 11): every plan reader sees the counties' brands and how many
counties meet "1–2 per county"; a county officer records their own county's brands, the city
administrator any county's. Every write is brands.services' (its rules, its audit, its roll-up)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.scoping import can_read_plan, is_city_admin, officer_county_id
from divisions.models import Region
from kernel.form_fields import form_errors, posted_action

from .forms import LabourBrandDeleteForm, LabourBrandForm
from .models import LabourBrand
from .selectors import brands_by_county, counties_meeting
from .services import labour_brand_delete, labour_brand_save


def _editable_counties(user):
    if is_city_admin(user):
        return Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
    return Region.objects.filter(level=Region.Level.COUNTY, pk=officer_county_id(user) or 0)


def _save(request, form: LabourBrandForm, brand: LabourBrand | None):
    if not form.is_valid():
        return form_errors(form)
    data = form.cleaned_data
    try:
        labour_brand_save(brand=brand, name=data["name"], work_type=data["work_type"], county=data["county"],
                          year_recognised=data["year_recognised"], workers_employed=data["workers_employed"],
                          note=data["note"], version=data["version"] if brand is not None else None,
                          user=request.user)
    except ValidationError as exc:
        return exc.messages
    return None


@login_required
def brand_list(request):
    user = request.user
    if not can_read_plan(user):
        raise PermissionDenied
    counties = _editable_counties(user)
    can_add = counties.exists()
    errors, status, form = [], 200, None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        form = LabourBrandForm(request.POST, counties=counties)
        errors = _save(request, form, None)
        if not errors:
            messages.success(request, _("Labour brand recorded."))
            return redirect("brands:list")
        status = 400
    rows = brands_by_county(user=user)
    meeting, total = counties_meeting(rows)
    return render(request, "brands/list.html", {
        "rows": rows, "meeting": meeting, "total": total, "can_add": can_add, "counties": counties,
        "errors": errors, "posted": request.POST if form is not None else {},
        "own_county": officer_county_id(user),
    }, status=status)


@login_required
def brand_detail(request, pk: int):
    user = request.user
    brand = get_object_or_404(LabourBrand.objects.for_user(user).select_related("county", "updated_by"), pk=pk)
    editable = LabourBrand.objects.editable_by(user).filter(pk=brand.pk).exists()
    errors, status = [], 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = posted_action(request.POST, ("save", "delete"))
        if action == "save":
            errors = _save(request, LabourBrandForm(request.POST, counties=_editable_counties(user)), brand)
            if not errors:
                messages.success(request, _("Saved."))
                return redirect("brands:brand", pk=brand.pk)
        else:
            form = LabourBrandDeleteForm(request.POST)
            if not form.is_valid():
                errors = form_errors(form)
            else:
                try:
                    labour_brand_delete(brand=brand, user=user, version=form.cleaned_data["version"])
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    messages.success(request, _("Labour brand removed."))
                    return redirect("brands:list")
        status = 400
    return render(request, "brands/brand.html", {
        "brand": brand, "editable": editable, "errors": errors, "counties": _editable_counties(user),
        "history": brand.history.select_related("history_user")[:20],
    }, status=status)
