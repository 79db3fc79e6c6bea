from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from kernel.exports import respond

from .exports import units_table
from .models import Region
from .selectors import region_children_with_counts, region_totals


@login_required
@require_safe
def region_list(request, code: str | None = None):
    if not Region.objects.for_user(request.user).exists():
        raise Http404  # not a plan reader: no empty list, the same refusal as elsewhere
    region = get_object_or_404(Region.objects.for_user(request.user), code=code) if code else None
    ancestors = []
    node = region
    while node is not None and node.parent_id:
        node = node.parent
        ancestors.insert(0, node)
    rows = region_children_with_counts(user=request.user, parent=region)
    response = respond(request, {"units": lambda: units_table(region, rows)}, region.name if region else "")
    if response is not None:
        return response
    return render(request, "divisions/region_list.html", {
        "region": region, "ancestors": ancestors,
        "rows": rows,
        "totals": region_totals(user=request.user) if region is None else None,
    })
