from django import template
from django.utils.translation import get_language

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
