from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``{{ labels|lookup:key }}``: a dict's value by a variable key."""
    return mapping.get(key, "") if mapping else ""


@register.simple_tag
def sources_url(plan, target, region, quarter_label: str) -> str:
    """``{% url 'targets:snapshot-sources' … %}`` without a reverse() per cell (see
    dashboards.views._sources_url); the same URL."""
    from dashboards.views import _sources_url

    return _sources_url(plan, target, region, quarter_label)


@register.filter
def county_url(code: str) -> str:
    """``{% url 'dashboards:county' code %}`` without a reverse() per row (see url_filled)."""
    from dashboards.views import url_filled

    return url_filled("dashboards:county", code)
