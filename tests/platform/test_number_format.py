"""Issue 17 part 4: one number format everywhere. A figure a person reads goes through the one
filter, ``num`` (kernel.numbers.figure_text): thousands grouped, the decimals fixed by the unit
(decided once, in kernel.numbers.UNIT_PLACES), % without a space, other units after one, — for none.
Templates formatting numbers another way (floatformat, intcomma, a figure's field shown raw or
with ``default``, ``num`` told a number of decimals instead of a unit) fail here."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from kernel.numbers import UNIT_PLACES, figure_text

OTHER_FORMATTING = re.compile(r"\|\s*(?:floatformat|intcomma|intword)\b|\|\s*num\s*:\s*[\"']?\d")
FIGURE_FIELD = re.compile(
    r"\.(?:value|values|total|quota|quotas|amount|percent\w*|numerator|denominator|households|population"
    r"|workers_employed|previous|cumulative|expected_to_date|projected_end_value|required_run_rate|old_value"
    r"|new_value|target_value|period_value|mean|completeness|timeliness|\w*_rate)$")
VARIABLE = re.compile(r"{{\s*(.*?)\s*}}")
MACHINE_ATTRIBUTES = re.compile(r"""\b(?:value|href|action|src|data-[\w-]+|name|id|for|style|aria-value\w+)="[^"]*$""")
NOT_A_FIGURE = ("form.", "field.", "choice.", "option.", "change.label", "f.value")


def violations_in(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in VARIABLE.finditer(line):
            expression = match.group(1)
            before = line[:match.start()]
            if MACHINE_ATTRIBUTES.search(before[before.rfind("<"):] if "<" in before else before):
                continue  # read by the browser (an input's value, a bar's width), not by a person
            if OTHER_FORMATTING.search(expression):
                found.append(f"{number}: {{{{ {expression} }}}}")
                continue
            head, *filters = [part.strip() for part in expression.split("|")]
            if FIGURE_FIELD.search(head) and not head.startswith(NOT_A_FIGURE) \
                    and not any(f == "num" or f.startswith("num:") for f in filters):
                found.append(f"{number}: {{{{ {expression} }}}} (a figure without |num)")
        for match in re.finditer(r"{%\s*blocktrans(?:late)?\b[^%]*?\bwith\b(.*?)%}", line):
            for expression in re.findall(r"\w+=(\S+)", match.group(1)):
                head, *filters = expression.split("|")
                if OTHER_FORMATTING.search(expression) or (FIGURE_FIELD.search(head) and not any(
                        f == "num" or f.startswith("num:") for f in filters)):
                    found.append(f"{number}: blocktranslate with {expression}")
    return found


def test_the_scanner_catches_other_formatting_and_raw_figures():
    assert violations_in("<td>{{ r.total|floatformat:\"-2\" }}</td>")
    assert violations_in("<td>{{ r.total|intcomma }}</td>")
    assert violations_in("<td>{{ snapshot.value|num:4 }}</td>")
    assert violations_in("<td>{{ snapshot.value }}</td>")
    assert violations_in("<td>{{ profile.households|default:\"—\" }}</td>")
    assert violations_in("{% blocktranslate with total=x.total|floatformat:0 %}{{ total }}{% endblocktranslate %}")
    assert violations_in("{% blocktranslate with percent=row.percent %}{{ percent }}%{% endblocktranslate %}")
    assert not violations_in("<td>{{ snapshot.value|num:target.unit }}</td><td>{{ s.percent_achieved|num:\"%\" }}</td>")
    assert not violations_in('<input name="v" value="{{ cell.value }}">')
    assert not violations_in("<td>{{ form.value }}</td>")


def test_no_template_formats_numbers_another_way():
    found = {}
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            problems = violations_in(path.read_text(encoding="utf-8"))
            if problems:
                found[str(path.relative_to(directory))] = problems
    assert not found, found


@pytest.mark.parametrize(("value", "unit", "shown"), [
    (Decimal("100000.0000"), "人", "100,000 人"),
    (Decimal("1234567.5"), "人", "1,234,568 人"),
    (Decimal("3.8462"), "%", "3.85%"),
    (Decimal("4"), "%", "4.00%"),
    (Decimal("1234.5"), "万元", "1,234.50 万元"),
    (Decimal("12.5000"), None, "12.5"),
    (Decimal("12.0000"), "", "12"),
    (Decimal("-0.001"), "%", "0.00%"),
    (0, "个", "0 个"),
    (None, "人", "—"),
    ("", "%", "—"),
])
def test_one_rule_per_unit(value, unit, shown):
    assert figure_text(value, unit) == shown


def test_the_filter_is_the_rule_and_counts_have_no_decimals():
    assert all(places == 0 for unit, places in UNIT_PLACES.items() if unit in ("人", "户", "个", "家"))
    rendered = Template('{% load cn %}{{ a|num:"人" }} · {{ b|num:"%" }} · {{ c|num }}').render(
        Context({"a": Decimal("100000.0000"), "b": Decimal("87.555"), "c": None}))
    assert rendered == "100,000 人 · 87.56% · —"
    plan_tags = Template('{% load plan_tags %}{{ a|num:"%" }}').render(Context({"a": Decimal("3.8")}))
    assert plan_tags == "3.80%"  # the pages that load plan_tags use the same filter
