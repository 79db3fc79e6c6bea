"""The dashboards' county rankings (/dashboards/rankings/) score every county target — amounts,
rates and "at most" targets — by the annual assessment's rule (targets.scoring), checked here
against a small case computed by hand: a capped over-achievement, a rate above and below its
ceiling, a missing figure, a figure with nothing to score against, and a tie (并列)."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.utils import timezone

from dashboards.selectors import county_rankings
from kernel.quarters import Quarter
from targets.models import Indicator, Snapshot, Target
from targets.scoring import ACHIEVEMENT_RULES, NO_VALUE, RANKING_RULE, score_figure
from tests.targets_helpers import county

QUARTER = "2025Q4"  # no figures of the demo plan there: only the snapshots below


def _snap(plan, code: str, name: str, value, *, target=None, expected=None):
    q = Quarter.parse(QUARTER)
    return Snapshot.objects.create(plan=plan, indicator=Indicator.objects.get(code=code), region=county(name),
                                   target=Target.objects.get(plan=plan, indicator__code=code), year=q.year,
                                   quarter=q.number, value=D(str(value)) if value is not None else None,
                                   target_value=D(str(target)) if target is not None else None,
                                   expected_to_date=D(str(expected)) if expected is not None else None,
                                   computed_at=timezone.now())


@pytest.fixture
def case(plan):
    """Jobs: quota to date 1,000 (of a quota of 5,000); registered unemployment rate: at most 4 %."""
    _snap(plan, "urban_new_jobs", "汉滨区", 1200, target=5000, expected=1000)  # 120 %: counts 100 %
    _snap(plan, "registered_unemployment_rate", "汉滨区", "3.5", target=4)   # under the ceiling: 100 %
    _snap(plan, "urban_new_jobs", "平利县", 1000, target=5000, expected=1000)  # 100 %
    _snap(plan, "registered_unemployment_rate", "平利县", 4, target=4)      # at the ceiling: 100 %
    _snap(plan, "urban_new_jobs", "岚皋县", 950, target=5000, expected=1000)   # 95 %
    _snap(plan, "registered_unemployment_rate", "岚皋县", 3, target=4)      # 100 %
    _snap(plan, "urban_new_jobs", "石泉县", 900, target=5000, expected=1000)   # 90 %
    _snap(plan, "registered_unemployment_rate", "石泉县", "4.4", target=4)  # above: 4 ÷ 4.4 = 90.91 %
    _snap(plan, "urban_new_jobs", "汉阴县", 500)                               # no quota: not applicable
    _snap(plan, "registered_unemployment_rate", "汉阴县", "4.8", target=4)  # 4 ÷ 4.8 = 83.33 %
    _snap(plan, "urban_new_jobs", "紫阳县", 2000, target=5000, expected=1000)  # 200 %: counts 100 %
    _snap(plan, "registered_unemployment_rate", "紫阳县", None, target=4)   # no figure: 0


# By hand: (jobs, rate) → mean, rank
EXPECTED = {
    "汉滨区": (D("100.00"), D("100.00"), D("100.00"), 1),
    "平利县": (D("100.00"), D("100.00"), D("100.00"), 1),   # tied with 汉滨区 (并列)
    "岚皋县": (D("95.00"), D("100.00"), D("97.50"), 3),     # the next rank skips: 1, 1, 3
    "石泉县": (D("90.00"), D("90.91"), D("90.45"), 4),      # (0.9 + 4/4.4) ÷ 2 = 90.4545…
    "汉阴县": (None, D("83.33"), D("83.33"), 5),            # only the rate applies
    "紫阳县": (D("100.00"), D("0.00"), D("50.00"), 6),      # the missing rate counts 0
}


def test_the_rankings_score_by_hand(plan, personas, case):
    targets, rows = county_rankings(user=personas["leader"], plan=plan, quarter=Quarter.parse(QUARTER))
    codes = [t.indicator.code for t in targets]
    assert codes == ["urban_new_jobs", "registered_unemployment_rate"]  # the rate (a ceiling) is ranked too
    by_name = {r.county.name: r for r in rows}
    for name, (jobs, rate, mean, rank) in EXPECTED.items():
        row = by_name[name]
        assert row.percents == [jobs, rate], name
        assert (row.mean, row.rank) == (mean, rank), name
        assert row.tied == (rank == 1), name
    assert [r.county.name for r in rows[:6]] == ["汉滨区", "平利县", "岚皋县", "石泉县", "汉阴县", "紫阳县"]
    # counties with no figures at all score 0 on each target, ranked last together
    assert all((r.rank, r.mean, r.tied) == (7, D("0.00"), True) for r in rows[6:]) and len(rows) == 10
    shiquan = by_name["石泉县"].cells
    assert shiquan[1].scored.detail == "实际值4.4%，上限4%，完成率90.91%"
    assert by_name["汉滨区"].cells[0].scored.detail == "实际值1,200万人，目标1,000万人，完成率100.00%（实际完成120.00%）" \
        .replace("万人", Target.objects.get(plan=plan, code="urban_new_jobs").unit)
    assert by_name["紫阳县"].cells[1].scored.detail == NO_VALUE


def test_one_rule_with_the_annual_assessment():
    """The rankings and the annual assessment call the same function (no second implementation)."""
    import assessments.annual as annual
    import dashboards.selectors as selectors

    assert selectors.score_figure is score_figure is annual.score_figure
    assert score_figure(direction="at_most", value=D("4.4"), goal=D(4), unit="%").share == D(4) / D("4.4")
    assert score_figure(direction="at_least", value=D(1200), goal=D(1000), unit="人").share == 1
    assert score_figure(direction="zero", value=None, goal=D(0), unit="人").percent == D("0.00")
    assert score_figure(direction="at_least", value=D(5), goal=None, unit="人").applicable is False
    assert score_figure(direction="at_least", value=D(300), goal=D("3897.0427"), unit="人").detail == \
        "实际值300人，目标3,897.04人，完成率7.70%（实际完成7.70%）"  # a quota to date, shown to the cent
    assert score_figure(direction="at_least", value=None, goal=None, unit="人").percent == D("0.00")  # unreported


def test_the_page_shows_ties_rules_and_links_to_the_figures(client_for, case):
    response = client_for("leader").get(f"/dashboards/rankings/?quarter={QUARTER}")
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert "1<span" in rows[0] and "（并列）" in rows[0] and "汉滨区" in rows[0]
    assert "（并列）" in rows[1] and "平利县" in rows[1]
    assert "（并列）" not in rows[2] and "岚皋县" in rows[2]
    assert "不适用" in rows[4]  # 汉阴县's jobs: no quota
    # each score links to the figures behind it; the detail is its title
    assert 'href="/targets/ankang-2022/registered_unemployment_rate/sources/610922000000/2025Q4/">90.91%</a>' in html
    assert 'title="实际值4.4%，上限4%，完成率90.91%"' in html
    # the rule in Chinese beside the scores
    for rule in (RANKING_RULE, ACHIEVEMENT_RULES["at_least"], ACHIEVEMENT_RULES["at_most"], NO_VALUE):
        assert rule in html
    assert "2025年第四季度" in html and "2025Q4<" not in html
    assert "tied" not in body and "n/a" not in body
    # the link opens
    assert client_for("leader").get(
        "/targets/ankang-2022/registered_unemployment_rate/sources/610922000000/2025Q4/").status_code == 200


def test_the_export_holds_the_scores(client_for, case):
    response = client_for("leader").get(f"/dashboards/rankings/?quarter={QUARTER}&export=counties&format=csv")
    assert response.status_code == 200 and "csv" in response["Content-Type"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert "石泉县,90.00,90.91,90.45" in [line.split(",", 1)[1] for line in lines[1:]]


def test_a_county_officer_reads_the_rankings_and_every_link_opens(client_for, case):
    client = client_for("county_a")  # 汉滨区
    html = client.get(f"/dashboards/rankings/?quarter={QUARTER}").content.decode()
    links = set(re.findall(r'href="(/targets/[^"]+/sources/[^"]+)"', html))
    assert len(links) == 11  # every scored cell of the case (汉阴县's jobs, with no quota, is 不适用, unlinked)
    for url in links:
        assert client.get(url).status_code == 200, url


def test_a_target_no_county_reports_is_not_ranked(plan, personas, case):
    """A rate every county has a goal for but none reports this quarter is left out, not scored 0
    for all ten counties (which would pull every mean down by the same amount and say nothing)."""
    q = Quarter.parse(QUARTER)
    jobs = Target.objects.get(plan=plan, indicator__code="urban_new_jobs")
    rate = (Target.objects.filter(plan=plan, indicator__kind=Indicator.Kind.RATIO)
            .exclude(indicator__code="registered_unemployment_rate").exclude(indicator__kind=Indicator.Kind.CITY_ONLY)
            .select_related("indicator").first())
    if rate is None or rate.pk == jobs.pk:
        pytest.fail("the plan has no second county rate to leave unreported")
    for name in ("汉滨区", "平利县", "岚皋县"):
        Snapshot.objects.create(plan=plan, indicator=rate.indicator, region=county(name), target=rate, year=q.year,
                                quarter=q.number, value=None, target_value=D("90"), computed_at=timezone.now())
    targets, rows = county_rankings(user=personas["leader"], plan=plan, quarter=q)
    assert [t.indicator.code for t in targets] == ["urban_new_jobs", "registered_unemployment_rate"]
    assert {r.county.name: r.mean for r in rows}["岚皋县"] == D("97.50")
