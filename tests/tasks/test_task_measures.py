"""Task measures (任务指标): every measure quotes its task's words verbatim, every task has its
measures, and the curated file loads whole or not at all, idempotently."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from kernel.loading import LoadSummary
from tasks.models import TaskMeasure
from tasks.services import MEASURES_2022_FILE, task_measures_load

pytestmark = pytest.mark.django_db
SEED = (Path(settings.BASE_DIR) / "data" / "plan_2022_anzhengbanfa_11.txt").read_text(encoding="utf-8")
JOINED = "".join(line.strip() for line in SEED.splitlines() if line.strip())
DATA = json.loads(MEASURES_2022_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("measure", DATA["measures"], ids=[m["code"] for m in DATA["measures"]])
def test_every_measure_quotes_its_clause_verbatim_from_the_seed(measure):
    assert measure["clause"] in JOINED
    task_text = JOINED.split(f"{measure['task']}.", 1)[1].split(f"{measure['task'] + 1}.", 1)[0]
    assert measure["clause"] in task_text, "the clause belongs to the measure's own task"


def test_every_task_has_measures_and_every_measure_says_how_it_adds_up():
    assert {m["task"] for m in DATA["measures"]} == set(range(1, 20))
    for m in DATA["measures"]:
        assert m["unit"] and m["kind"] in {"flow", "stock", "ratio"} and m["period"] in {"quarter", "year"}
        if m["kind"] == "ratio":
            assert m["numerator"] and m["denominator"] and m["unit"] == "%"
        elif not m["counted_from"]:
            assert m["reporting_units"], f"{m['code']} has nobody to report it"


def test_the_numbers_the_text_gives_are_targets():
    targets = {m["code"]: m["target"] for m in DATA["measures"] if m["target"]}
    assert targets["t14_internship_posts"] == {"direction": "at_least", "value": "2000", "span": "year",
                                               "scope": "city"}
    assert targets["t14_vacancy_share"]["value"] == "70"
    assert targets["t11_labour_brands"]["value_max"] == "2"
    assert {"t18_upgrade_coverage", "t18_window_coverage", "t19_urban_circle", "t19_rural_circle"} <= set(targets)
    untargeted = {m["code"] for m in DATA["measures"] if not m["target"]}
    assert {"t12_skills_training", "t4_community_factories", "t4_factory_jobs", "t13_public_welfare_posts",
            "t15_returning_entrepreneurs", "t15_returning_jobs", "t16_guaranteed_loan_amount",
            "t9_incubation_parks", "t13_poverty_employed", "t6_demand_list_enterprises"} <= untargeted


def test_the_plan_load_loads_them_with_units_and_reporters(plan):
    measures = TaskMeasure.objects.filter(task__plan=plan)
    assert measures.count() == len(DATA["measures"])
    internship = measures.get(code="t14_internship_posts")
    assert internship.target_value == Decimal("2000") and internship.target_span == "year"
    # the plan indicator internship_posts (the counties' returns) holds the figure: read, never typed twice
    assert (internship.indicator_code, internship.is_entered) == ("internship_posts", False)
    assert not internship.reporting_units.exists()
    share = measures.get(code="t14_vacancy_share")
    assert (share.numerator.code, share.denominator.code, share.is_entered) == (
        "t14_vacancies_graduates", "t14_vacancies", False)
    chain = measures.get(code="t2_chain_jobs")
    assert list(chain.reporting_units.values_list("kind", flat=True)) == ["group"]
    assert not measures.get(code="t11_labour_brands").is_entered  # counted from brand records
    assert measures.get(code="t16_guaranteed_loan_amount").whole_numbers is False
    assert measures.get(code="t12_skills_training").whole_numbers is True


def test_loading_again_writes_nothing(plan):
    summary = task_measures_load(plan=plan)
    assert not summary.changed


def test_a_clause_not_in_the_text_refuses_the_whole_file(plan, tmp_path):
    data = json.loads(MEASURES_2022_FILE.read_text(encoding="utf-8"))
    data["measures"][-1]["clause"] = "每年培训十万人"
    data["measures"][0]["name"] = "改过的名称"
    bad = tmp_path / "measures.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="verbatim"):
        task_measures_load(plan=plan, path=bad, summary=LoadSummary())
    assert TaskMeasure.objects.get(task__plan=plan, code=data["measures"][0]["code"]).name != "改过的名称"


def test_a_successor_plan_starts_with_copies_of_the_measures(plan):
    import datetime

    from seeding.plan import plan_clone

    clone = plan_clone(source=plan, code="ankang-2026", title="（草案）2026—2030年实施意见", doc_number="待定",
                       period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2030, 12, 31))
    copies = TaskMeasure.objects.filter(task__plan=clone)
    assert copies.count() == TaskMeasure.objects.filter(task__plan=plan).count()
    share = copies.get(code="t14_vacancy_share")
    assert share.numerator.task.plan == clone and share.denominator.task == share.task
    assert set(copies.get(code="t2_chain_jobs").reporting_units.values_list("name", flat=True)) == {
        "市重点产业链牵头单位"}
