from django import template
from django.utils.translation import get_language

from kernel.templatetags.cn import num

register = template.Library()


@register.filter
def tr(obj, field: str):
    """``{{ task|tr:"title" }}``: the English variant (``title_en``) when the page is in English
    and one exists, else the Chinese original."""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


# ``{{ value|num }}`` / ``{{ value|num:unit }}``: the platform's one number filter (kernel.numbers,
# also in ``{% load cn %}``), here too for the pages that load plan_tags.
register.filter("num", num)


STATUS_SYMBOLS = {"green": "●", "amber": "▲", "red": "■"}


@register.simple_tag
def status_badge(snapshot):
    """A snapshot's status as a badge: colour, a symbol and the word (never colour alone). A simple
    tag, not an inclusion template: dashboards draw one per county and tier."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    status = getattr(snapshot, "status", "none") or "none"
    label = snapshot.get_status_display() if snapshot is not None else ""
    if status == "none" and getattr(snapshot, "value", None) is not None:
        label = _("No target")  # a figure (0 included) without a target to judge it by is not "no data"
    return format_html('<span class="status status-{}">{} {}</span>', status, STATUS_SYMBOLS.get(status, "○"),
                       label or _("No data"))
