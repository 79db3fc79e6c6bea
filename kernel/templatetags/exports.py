"""``{% load exports %}{% export_links "key" %}``: the Excel · CSV links beside a list, keeping the
page's filters (not its page number: an export holds the whole filtered list)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def export_links(context, key: str, label: str = "") -> str:
    request = context["request"]
    params = request.GET.copy()
    for name in ("page", "export", "format"):
        params.pop(name, None)
    params["export"] = key

    def url(fmt: str) -> str:
        params["format"] = fmt
        return "?" + params.urlencode()

    return format_html('<span class="export-links d-print-none small">{}: <a href="{}" rel="nofollow">Excel</a> · '
                       '<a href="{}" rel="nofollow">CSV</a></span>', label or _("Export"), url("xlsx"), url("csv"))
