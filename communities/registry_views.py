"""The registry of villages and communities (task 8 and task 18)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import is_city_admin
from divisions.models import CommunityProfile, Region
from divisions.services import community_profile_save
from kernel.exports import respond

from .exports import registry_table
from .models import Application, Certification, Tier
from .selectors import registry


@login_required
def registry_list(request):
    params = {k: request.GET.get(k, "") for k in ("county", "town", "kind", "tier", "relocation")}
    rows = registry(user=request.user, **params)
    response = respond(request, {"registry": lambda: registry_table(rows)}, "")
    if response is not None:
        return response
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    tiers = {t.rank: t for t in Tier.objects.all()}
    for r in page:
        r.top_tier = tiers.get(r.top_rank)
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return render(request, "communities/registry.html", {
        "page": page, "params": params, "query": query, "tiers": tiers.values(),
        "counties": Region.objects.for_user(request.user).counties().order_by("code"),
        "towns": (Region.objects.for_user(request.user).filter(parent__code=params["county"]).order_by("code")
                  if params["county"] else []),
    })


@login_required
def community_detail(request, code: str):
    region = get_object_or_404(Region.objects.for_user(request.user).select_related("parent", "county"),
                               code=code, level=Region.Level.VILLAGE)
    profile = CommunityProfile.objects.filter(region=region).select_related("updated_by").first()
    editable = Region.objects.editable_by(request.user).filter(pk=region.pk).exists()
    errors, status = [], 200
    if request.method == "POST" and editable:
        try:
            community_profile_save(region=region, households=request.POST.get("households", "").strip(),
                                   population=request.POST.get("population", "").strip(),
                                   is_relocation=request.POST.get("is_relocation") == "on",
                                   version=int(request.POST.get("version") or 1), user=request.user)
            messages.success(request, _("Saved."))
            return redirect("registry:community", code=region.code)
        except ValidationError as exc:
            errors, status = exc.messages, 400
    certifications = Certification.objects.for_user(request.user).filter(community=region).select_related("tier")
    history = profile.history.select_related("history_user")[:20] if profile else []
    today = timezone.localdate()
    held = set(certifications.in_force_on(today).values_list("tier__rank", flat=True))
    next_tier = Tier.objects.next_above(max(held, default=0))
    if next_tier and next_tier.communities_only and not region.is_community:
        next_tier = None
    return render(request, "communities/community.html", {
        "region": region, "profile": profile, "editable": editable, "errors": errors,
        "certifications": certifications, "history": history, "next_tier": next_tier,
        "applications": Application.objects.for_user(request.user).filter(community=region).select_related("tier"),
        "can_apply": editable and next_tier is not None and (
            is_city_admin(request.user) or request.user.has_role(Role.COUNTY_OFFICER)),
    }, status=status)
