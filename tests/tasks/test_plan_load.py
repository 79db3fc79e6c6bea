"""The loaded plan matches the document (安政办发〔2022〕11号), and loading is idempotent.

The expected department lists below were typed from the document by hand, independently of the
extractor, so a parsing mistake in either one fails here."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from simple_history.utils import get_history_manager_for_model

from audit.models import AuditEvent
from seeding.plan import plan_clone, plan_load
from targets.models import Target
from tasks.models import Department, DepartmentAlias, Plan, Responsibility, Section, Task
from tasks.services import government_units_ensure

DOCUMENT = (Path(settings.BASE_DIR) / "data" / "plan_2022_anzhengbanfa_11.txt").read_text(encoding="utf-8")
JOINED = "".join(line.strip() for line in DOCUMENT.splitlines() if line.strip())

EXPECTED = {
    1: ("增强市场吸纳就业能力", "市发改委 市工信局 市文旅广电局 市商务局 市人社局 市富硒办"),
    2: ("扩大园区承载就业容量", "市工信局 市发改委 市招商和经济合作局 市农业农村局 市商务局 市重点产业链牵头单位"),
    3: ("支持乡村振兴扩大就业", "市乡村振兴局 市农业农村局 市文旅广电局"),
    4: ("发展新社区工厂吸纳就业", "市人社局 市财政局 市招商和经济合作局 市工信局 市妇联"),
    5: ("实施新时代就业促进机制", "市人社局 市考核办 市发改委 市财政局 安康职业技术学院"),
    6: ("建立企业用工保障机制", "市工信局 市人社局 市教体局 市文旅广电局 市商务局 市农业农村局 市总工会"),
    7: ("发挥促进就业的市场机制", "市人社局 市工信局 市文旅广电局 市商务局 市农业农村局 市科技局 市总工会"),
    8: ("开展充分就业社区创建", "市人社局 市退役军人事务局 市民政局 市总工会"),
    9: ("强化载体就业服务", "市人社局 市退役军人事务局 市科技局 市农业农村局 市总工会"),
    10: ("畅通市场化就业渠道", "市人社局 市教体局 市总工会"),
    11: ("发挥劳务品牌作用", "市人社局 市民政局 市农业农村局 市总工会"),
    12: ("开展就业技能培训", "市人社局 市退役军人事务局 市总工会 团市委 市残联"),
    13: ("落实政策稳定脱贫人口就业", "市乡村振兴局 市农业农村局 市人社局"),
    14: ("扩大基层就业规模", "市人社局 市公务员局 市退役军人事务局 市教体局 市民政局 市卫健委 市科技局"),
    15: ("鼓励创业带动就业", "市招商和经济合作局 市工信局 市商务局 市发改委 市人社局 市农业农村局 市财政局 市总工会"),
    16: ("加强高质量充分就业金融支持", "市金融办 市人社局 市工信局 市商务局"),
    17: ("加强县镇标准化创业中心建设", "市人社局 市工信局 市招商和经济合作局"),
    18: ("提升搬迁社区就业服务能力", "市发改委 市民政局 市乡村振兴局 市农业农村局 市人社局"),
    19: ("创新智慧就业服务内容", "市人社局 市发改委 市民政局"),
    20: ("加强组织领导", ""),
    21: ("夯实工作责任", ""),
    22: ("营造浓厚氛围", ""),
}

# (code, value, direction, unit, span) — the plan's figures, read off the document by hand.
EXPECTED_TARGETS = {
    "urban_new_jobs": ("100000", "at_least", "人", "plan"),
    "rural_labour_local_transfer": ("100000", "at_least", "人", "plan"),
    "willing_able_employment_rate": ("100", "at_least", "%", "plan"),
    "hard_to_employ_assistance_rate": ("100", "at_least", "%", "plan"),
    "zero_employment_households": ("0", "zero", "户", "plan"),
    "registered_unemployment_rate": ("4", "at_most", "%", "plan"),
    "surveyed_unemployment_rate": ("5.5", "at_most", "%", "plan"),
    "new_labour_local_share": ("50", "at_least", "%", "plan"),
    "full_employment_communities": ("1500", "at_least", "家", "plan"),
    "national_fe_communities": ("4", "at_least", "家", "plan"),
    "provincial_star_fe_communities": ("20", "at_least", "家", "plan"),
    "provincial_fe_communities": ("45", "at_least", "家", "plan"),
    "municipal_fe_communities": ("1500", "at_least", "家", "plan"),
    "public_vacancies_graduate_share": ("70", "at_least", "%", "plan"),
    "internship_posts_per_year": ("2000", "at_least", "个", "year"),
}


def test_plan_metadata(plan):
    assert plan.doc_number == "安政办发〔2022〕11号"
    assert plan.title == "关于创建高质量充分就业市的实施意见"
    assert plan.issuer == "安康市人民政府办公室"
    assert str(plan.issue_date) == "2022-04-21"
    assert (str(plan.period_start), str(plan.period_end)) == ("2021-01-01", "2025-12-31")
    assert plan.full_text == DOCUMENT
    assert plan.preamble.startswith("为深入贯彻习近平新时代中国特色社会主义思想")


def test_sections_follow_the_document(plan):
    titles = [(s.ordinal, s.title, s.parent.key if s.parent else None) for s in plan.sections.order_by("order")]
    assert titles == [
        ("一", "总体要求", None), ("（一）", "指导思想", "general"), ("（二）", "主要目标", "general"),
        ("二", "主要任务", None),
        ("（一）", "夯实经济发展基础，扩大就业容量", "tasks"), ("（二）", "优化就业机制，拓展就业空间", "tasks"),
        ("（三）", "搭建就业平台，提升就业质量", "tasks"), ("（四）", "落实就业政策，激励就业（创业）意愿", "tasks"),
        ("（五）", "提升就业服务，保障就业畅通", "tasks"), ("三", "工作要求", None),
    ]
    groups = {s.ordinal: sorted(s.tasks.values_list("number", flat=True)) for s in plan.sections.filter(kind="task_group")}
    assert groups == {"（一）": [1, 2, 3, 4], "（二）": [5, 6, 7], "（三）": [8, 9, 10, 11],
                      "（四）": [12, 13, 14, 15, 16], "（五）": [17, 18, 19]}
    assert sorted(plan.sections.get(key="requirements").tasks.values_list("number", flat=True)) == [20, 21, 22]


def test_nineteen_tasks_and_three_requirements(plan):
    assert plan.tasks.filter(kind=Task.Kind.TASK).count() == 19
    assert list(plan.tasks.filter(kind=Task.Kind.REQUIREMENT).values_list("number", flat=True)) == [20, 21, 22]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_task_title_clause_and_departments_in_document_order(plan, number):
    title, departments = EXPECTED[number]
    task = plan.tasks.get(number=number)
    assert task.title == title
    assert task.clause.startswith(f"{number}.{title}。")
    assert task.clause in JOINED  # verbatim, nothing added or lost
    rows = list(task.responsibilities.order_by("order").select_related("department"))
    assert [r.department.name for r in rows] == departments.split()
    assert [r.role for r in rows] == (["lead"] + ["co"] * (len(rows) - 1) if rows else [])
    if number <= 19:
        assert task.lead.name == departments.split()[0]


def test_clauses_cover_the_task_part_of_the_document_without_gaps(plan):
    """Headings and clauses, put back together, give the document's parts 二 and 三 exactly."""
    rebuilt = "二、主要任务"
    for group in plan.sections.filter(kind="task_group").order_by("order"):
        rebuilt += f"{group.ordinal}{group.title}。" + "".join(t.clause for t in group.tasks.order_by("number"))
    rebuilt += "三、工作要求" + "".join(t.clause for t in plan.tasks.filter(number__gte=20).order_by("number"))
    assert rebuilt == JOINED[JOINED.index("二、主要任务") : JOINED.index("抄送：")]


def test_quirk_task_6_one_department_with_an_alias(plan):
    dept = Department.objects.get(name="市工信局")
    assert list(dept.aliases.values_list("name", flat=True)) == ["市国资委"]
    assert not Department.objects.filter(name="市国资委").exists()
    assert plan.tasks.get(number=6).lead == dept


def test_quirk_task_2_group_of_units(plan):
    group = Department.objects.get(name="市重点产业链牵头单位")
    assert group.kind == Department.Kind.GROUP
    assert list(group.responsibilities.values_list("task__number", "role")) == [(2, "co")]


def test_quirk_task_14_without_closing_phrase_still_led_by_first(plan):
    task = plan.tasks.get(number=14)
    assert task.clause.endswith("市卫健委、市科技局）")
    assert task.lead.name == "市人社局"
    assert task.responsibilities.count() == 7


def test_requirements_name_no_departments_but_say_whom_they_address(plan):
    for number, who in [(20, "市、县（市、区）政府"), (21, "各级人社部门牵头"), (22, "各级政府")]:
        task = plan.tasks.get(number=number)
        assert task.responsibilities.count() == 0
        assert who in task.addressed_to
        assert who.split("；")[-1] in task.clause


def test_every_department_named_once(db):
    municipal = Department.objects.exclude(kind__in=[Department.Kind.GOVERNMENT, Department.Kind.COUNTY_HR])
    assert municipal.count() == 24
    named = {name for _, names in EXPECTED.values() for name in names.split()}
    assert set(municipal.values_list("name", flat=True)) == named


def test_government_units_for_city_and_counties(db):
    assert Department.objects.filter(kind=Department.Kind.GOVERNMENT).count() == 11
    hr = Department.objects.filter(kind=Department.Kind.COUNTY_HR).select_related("region")
    assert sorted(d.region.name for d in hr) == sorted(
        ["汉滨区", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县", "白河县", "旬阳市"])
    assert Department.objects.get(name="旬阳市人社局").full_name == "旬阳市人力资源和社会保障局"


@pytest.mark.parametrize("code", sorted(EXPECTED_TARGETS))
def test_target_values(plan, code):
    value, direction, unit, span = EXPECTED_TARGETS[code]
    target = plan.targets.get(code=code)
    assert (target.value, target.direction, target.unit, target.span) == (Decimal(value), direction, unit, span)
    assert target.clause in JOINED


def test_main_targets_are_the_nine_of_the_document(plan):
    main = list(plan.targets.filter(category=Target.Category.MAIN).order_by("order").values_list("code", flat=True))
    assert main == ["urban_new_jobs", "rural_labour_local_transfer", "willing_able_employment_rate",
                    "hard_to_employ_assistance_rate", "zero_employment_households", "registered_unemployment_rate",
                    "surveyed_unemployment_rate", "new_labour_local_share", "full_employment_communities"]
    assert all(t.clause in plan.sections.get(key="general.2").text for t in plan.targets.filter(category="main"))
    assert set(plan.targets.filter(category="task").values_list("task__number", flat=True)) == {8, 11, 14, 17, 18, 19}
    brands = plan.targets.get(code="labour_brands_per_county")
    assert (brands.value, brands.value_max, brands.scope, brands.display_value) == (1, 2, "per_county", "1–2 个")
    assert plan.targets.get(code="registered_unemployment_rate").display_value == "≤ 4.00%"
    assert plan.targets.get(code="urban_new_jobs").display_value == "≥ 100,000 人"


def _row_counts():
    models = [Plan, Section, Task, Department, DepartmentAlias, Responsibility, Target]
    rows = {m.__name__: m.objects.count() for m in models}
    history = {m.__name__: get_history_manager_for_model(m).count() for m in models}
    return rows, history, AuditEvent.objects.count()


def test_loading_twice_changes_nothing(plan):
    before = _row_counts()
    _, summary = plan_load()
    gov = government_units_ensure()
    assert not summary.changed and not gov.changed
    assert summary.total("unchanged") > 150
    assert _row_counts() == before


def test_reload_restores_an_edited_clause_and_audits_it(plan):
    task = plan.tasks.get(number=3)
    task.title = "被改动的标题"
    task.save()
    _, summary = plan_load()
    assert summary.total("updated") == 1
    task.refresh_from_db()
    assert task.title == "支持乡村振兴扩大就业"
    event = AuditEvent.objects.filter(model="tasks.task", object_pk=str(task.pk)).first()
    assert event.changes[0]["old"] == "被改动的标题" and event.changes[0]["new"] == "支持乡村振兴扩大就业"
    assert event.reason == "plan_load plan_2022.json"


def test_extractor_reproduces_the_committed_data_file():
    script = Path(settings.BASE_DIR) / "tasks" / "data" / "extract_plan_2022.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_clone_plan_for_the_successor_period(plan):
    import datetime

    clone = plan_clone(source=plan, code="ankang-2026", title="（草案）2026—2030年实施意见", doc_number="待定",
                       period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2030, 12, 31))
    assert clone.cloned_from == plan
    assert clone.tasks.count() == 22 and clone.sections.count() == 10 and clone.targets.count() == plan.targets.count()
    for number in (1, 6, 14):
        assert (list(clone.tasks.get(number=number).responsibilities.values_list("department__name", "role", "order"))
                == list(plan.tasks.get(number=number).responsibilities.values_list("department__name", "role", "order")))
    assert clone.targets.get(code="internship_posts_per_year").task.plan == clone
    assert clone.tasks.get(number=8).section.plan == clone
    # the source is untouched and the clone is independent
    clone.tasks.filter(number=1).update(title="新任务")
    assert plan.tasks.get(number=1).title == "增强市场吸纳就业能力"
    with pytest.raises(ValueError):
        plan_clone(source=plan, code="ankang-2026", title="x", doc_number="x",
                   period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2030, 12, 31))
