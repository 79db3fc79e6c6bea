from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``{{ labels|lookup:key }}``: a dict's value by a variable key."""
    return mapping.get(key, "") if mapping else ""
