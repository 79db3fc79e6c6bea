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


@register.simple_tag(takes_context=True)
def county_link(context, code: str, name: str) -> str:
    """The county's name, linked to its page only when the reader may open it (the one rule:
    ``selectors.counties_for``); a county officer reads the others' names without dead links."""
    from django.utils.html import format_html

    from dashboards.selectors import counties_for
    from dashboards.views import url_filled

    request = context.get("request")
    if request is None:
        return format_html("{}", name)
    codes = getattr(request, "_open_county_codes", None)
    if codes is None:
        codes = request._open_county_codes = set(counties_for(request.user).values_list("code", flat=True))
    if code not in codes:
        return format_html("{}", name)
    return format_html('<a href="{}">{}</a>', url_filled("dashboards:county", code), name)
