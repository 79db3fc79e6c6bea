"""``{% load cn %}``: ``{{ period|quarter_cn }}`` → 2026年第三季度, ``{{ day|date_cn }}`` →
2026年11月30日, ``{{ moment|moment_cn }}`` → 2026年11月30日 14:05:09 (kernel/dates.py);
``{% as_of quarter %}`` → the line saying which quarter a page shows (数据截至2026年第三季度), with
未到期 while that quarter's reporting is not yet due."""

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kernel.dates import as_quarter, date_text, moment_text, quarter_text

register = template.Library()
register.filter("quarter_cn", quarter_text)
register.filter("date_cn", date_text)
register.filter("moment_cn", moment_text)


@register.filter
def not_yet_due(value) -> bool:
    """True while the quarter (a Quarter, a period, a label) is running or its reporting not yet due."""
    quarter = as_quarter(value)
    if quarter is None:
        return False
    return timezone.localdate() <= quarter.end + datetime.timedelta(days=settings.REPORT_DUE_DAYS)


@register.simple_tag
def as_of(value) -> str:
    """The line saying which quarter the page shows; 未到期 beside a quarter not yet due."""
    if as_quarter(value) is None:
        return ""
    pending = format_html(' <span class="badge text-bg-light border">{}</span>', _("Not yet due")) \
        if not_yet_due(value) else ""
    return format_html('<p class="small text-body-secondary mb-1 as-of">{}{}</p>',
                       _("Figures as of %(quarter)s") % {"quarter": quarter_text(value)}, pending)
