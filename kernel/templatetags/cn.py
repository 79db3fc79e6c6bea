"""``{% load cn %}``: ``{{ period|quarter_cn }}`` → 2026年第三季度, ``{{ day|date_cn }}`` →
2026年11月30日, ``{{ moment|moment_cn }}`` → 2026年11月30日 14:05:09 (kernel/dates.py);
``{{ value|num:unit }}`` → 100,000 人 / 3.85% (kernel/numbers.py); ``{% as_of quarter %}`` → the line saying which quarter a page shows (数据截至2026年第三季度), with
未到期 while that quarter's reporting is not yet due."""

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.dates import as_quarter, date_text, moment_text, quarter_text
from kernel.numbers import figure_text

register = template.Library()
register.filter("quarter_cn", quarter_text)
register.filter("date_cn", date_text)
register.filter("moment_cn", moment_text)


@register.filter
def num(value, unit=None) -> str:
    """The one way a page shows a figure (kernel.numbers.figure_text): ``{{ v|num:"人" }}`` →
    100,000 人, ``{{ v|num:"%" }}`` → 3.85%, ``{{ v|num }}`` → 12.5 (at most two decimals), — if none.
    The decimals follow the unit, decided once in kernel.numbers.UNIT_PLACES."""
    return figure_text(value, None if unit is None else str(unit))


_FILE_KINDS = {
    "application/pdf": gettext_lazy("PDF file"),
    "application/msword": gettext_lazy("Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": gettext_lazy("Word document"),
    "application/vnd.ms-excel": gettext_lazy("Excel workbook"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": gettext_lazy("Excel workbook"),
    "text/plain": gettext_lazy("Text file"), "text/csv": gettext_lazy("CSV file"),
    "application/zip": gettext_lazy("Compressed file"),
}


@register.filter
def file_kind(content_type) -> str:
    """A file's kind as a person says it (PDF文件, 图片), never a MIME type (application/pdf)."""
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type in _FILE_KINDS:
        return str(_FILE_KINDS[content_type])
    if content_type.startswith("image/"):
        return _("Image")
    return _("File")


@register.filter
def page_numbers(page) -> list:
    """The numbers to link for a page of a list: 1 2 … 7 8 9 … 40 41 (None marks the gap)."""
    return [None if number == page.paginator.ELLIPSIS else number
            for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)]


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
