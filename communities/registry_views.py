"""The registry of villages and communities (the plan's tasks 8 and 18)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.scoping import is_city_admin, officer_county_id
from divisions.models import CommunityProfile, Region
from divisions.services import community_profile_save
from kernel.exports import respond
from kernel.form_fields import form_errors

from .access import can_apply
from .exports import registry_table
from .forms import CommunityProfileForm
from .models import Application, Certification, Tier
from .selectors import registry


@login_required
@require_safe
def registry_list(request):
    if not Region.objects.for_user(request.user).exists():
        raise Http404  # not a plan reader: no empty register, the same refusal as elsewhere
    params = {name: request.GET.get(name, "") for name in ("county", "town", "kind", "tier", "relocation", "q")}
    rows = registry(user=request.user, **params)
    response = respond(request, {"registry": lambda: registry_table(rows)}, "")
    if response is not None:
        return response
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    tiers = {tier.rank: tier for tier in Tier.objects.for_user(request.user)}
    for unit in page:
        unit.top_tier = tiers.get(unit.top_rank)
    query = urlencode({name: value for name, value in params.items() if value})
    return render(request, "communities/registry.html", {
        "page": page, "params": params, "query": query, "tiers": tiers.values(),
        # the import link only for who may import (imports.services.import_allowed: the office, a county's officer)
        "can_import": is_city_admin(request.user) or officer_county_id(request.user) is not None,
        "counties": Region.objects.for_user(request.user).counties().order_by("code"),
        "towns": (Region.objects.for_user(request.user).filter(parent__code=params["county"]).order_by("code")
                  if params["county"] else []),
    })


@login_required
def community_detail(request, code: str):
    user = request.user
    region = get_object_or_404(Region.objects.for_user(user).select_related("parent", "county"),
                               code=code, level=Region.Level.VILLAGE)
    profile = CommunityProfile.objects.filter(region=region).select_related("updated_by").first()
    editable = Region.objects.editable_by(user).filter(pk=region.pk).exists()
    errors, status = [], 200
    if request.method == "POST":
        if not editable:  # another county's, or a reader's: refused (and logged), never a silent 200
            raise PermissionDenied
        form = CommunityProfileForm(request.POST)
        if not form.is_valid():
            errors, status = form_errors(form), 400
        else:
            data = form.cleaned_data
            try:
                community_profile_save(region=region, households=data["households"], population=data["population"],
                                       is_relocation=data["is_relocation"], version=data["version"], user=user)
            except ValidationError as exc:
                errors, status = exc.messages, 400
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:community", code=region.code)
    certifications = Certification.objects.for_user(user).filter(community=region).select_related("tier")
    history = profile.history.select_related("history_user")[:20] if profile else []
    today = timezone.localdate()
    held = set(certifications.in_force_on(today).values_list("tier__rank", flat=True))
    next_tier = Tier.objects.for_user(user).next_above(max(held, default=0))
    if next_tier and next_tier.communities_only and not region.is_community:
        next_tier = None
    return render(request, "communities/community.html", {
        "region": region, "profile": profile, "editable": editable, "errors": errors,
        "certifications": certifications, "history": history, "next_tier": next_tier,
        "applications": Application.objects.for_user(user).filter(community=region).select_related("tier"),
        "can_apply": editable and next_tier is not None and can_apply(user),
    }, status=status)
