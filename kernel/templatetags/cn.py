"""``{% load cn %}``: ``{{ period|quarter_cn }}`` → 2026年第三季度, ``{{ day|date_cn }}`` →
2026年11月30日, ``{{ moment|moment_cn }}`` → 2026年11月30日 14:05:09 (kernel/dates.py)."""

from django import template

from kernel.dates import date_text, moment_text, quarter_text

register = template.Library()
register.filter("quarter_cn", quarter_text)
register.filter("date_cn", date_text)
register.filter("moment_cn", moment_text)
