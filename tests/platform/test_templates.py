"""Every quarter and date a person reads in a template goes through the ``cn`` filters
(``quarter_cn``, ``date_cn``, ``moment_cn``): 2026年第三季度, 2026年11月30日. Codes like 2026Q3
stay where a machine reads them: URLs, query strings, form values, data attributes."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

CN_FILTERS = ("quarter_cn", "date_cn", "moment_cn")
# an output of a quarter's code: period.label, quarter.label, snapshot.quarter_label, quarter_label …
QUARTER_CODE = re.compile(r"(?:\.label|\bquarter_label)\b")
NOT_A_QUARTER = ("change.label", "field.label")  # the audit trail's and a form's field names
MACHINE_ATTRIBUTES = re.compile(r"""\b(?:value|href|action|src|data-[\w-]+|name|id|for)="[^"]*$""")
VARIABLE = re.compile(r"{{\s*(.*?)\s*}}")
HAND_MADE_QUARTER = re.compile(r"}}\s*Q\s*{{")  # {{ value.year }}Q{{ value.quarter }}
BLOCK_WITH = re.compile(r"{%\s*blocktrans(?:late)?\b[^%]*?\bwith\b(.*?)%}")


def violations_in(text: str) -> list[str]:
    """What in one template's text shows a quarter code or a date without the cn filters."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if HAND_MADE_QUARTER.search(line):
            found.append(f"{number}: a quarter's code put together by hand")
        for match in VARIABLE.finditer(line):
            expression = match.group(1)
            before = line[:match.start()]
            if MACHINE_ATTRIBUTES.search(before[before.rfind("<"):] if "<" in before else before):
                continue  # read by the browser or the server, not by a person
            if _bad(expression):
                found.append(f"{number}: {{{{ {expression} }}}}")
        for match in BLOCK_WITH.finditer(line):
            for expression in re.findall(r"\w+=(\S+)", match.group(1)):
                if _bad(expression):
                    found.append(f"{number}: blocktranslate with {expression}")
    return found


def _bad(expression: str) -> bool:
    if any(name in expression for name in CN_FILTERS):
        return False
    if "|date:" in expression or "|time:" in expression:
        return True
    value = expression.split("|")[0]
    return bool(QUARTER_CODE.search(value)) and not value.startswith(NOT_A_QUARTER)


def test_the_scanner_catches_raw_quarters_and_dates_and_leaves_codes_in_urls():
    assert violations_in("<h1>{{ period.label }}</h1>")
    assert violations_in("<td>{{ snapshot.quarter_label }}</td>")
    assert violations_in("<td>{{ value.year }}Q{{ value.quarter }}</td>")
    assert violations_in("<span>{{ period.due_on|date:\"Y-m-d\" }}</span>")
    assert violations_in('<a title="{{ column.label }}">')
    assert violations_in("{% blocktranslate with quarter=period.label %}x {{ quarter }}{% endblocktranslate %}")
    assert violations_in('{% blocktranslate with when=batch.created_at|date:"Y-m-d H:i" %}{% endblocktranslate %}')
    assert not violations_in("<h1>{{ period|quarter_cn }}</h1><p>{{ period.due_on|date_cn }}</p>")
    assert not violations_in('<a href="{% url \'x\' %}?period={{ period.label }}">')
    assert not violations_in('<option value="{{ choice.label }}">{{ choice|quarter_cn }}</option>')
    assert not violations_in("{% blocktranslate with quarter=period|quarter_cn %}{% endblocktranslate %}")
    assert not violations_in("<span>{{ change.label }}</span>")


def test_no_template_shows_a_quarter_code_or_a_date_without_the_cn_filters():
    problems = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        problems += [f"{path.relative_to(settings.BASE_DIR)}:{line}" for line in violations_in(path.read_text())]
    assert not problems, "use |quarter_cn, |date_cn or |moment_cn:\n" + "\n".join(problems)
