"""Task measures' figures (任务指标) in the departments' parts and reports: validated, entered next
to the narrative, rolled up into the lead's report, by year and over the plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from kernel.quarters import Quarter
from reports.models import ReportingPeriod, TaskMeasureFigure, TaskReport
from reports.selectors import measure_entries, measure_rollups
from reports.services import (
    measures_entered_by,
    task_part_open,
    task_part_save,
    task_part_submit,
    task_report_approve,
    task_report_open,
    task_report_save,
    task_report_submit,
)
from tasks.models import Department, Task
from tests.conftest import make_user
from tests.targets_helpers import approve

pytestmark = pytest.mark.django_db
FIELDS = {"measures": "开展用工调查", "progress": "按计划推进", "self_status": "on_track"}
REASON = "其余单位本季度无新进展"


def period(year=2024, quarter=3) -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=year, quarter=quarter)


def task(number: int) -> Task:
    return Task.objects.get(plan__code="ankang-2022", number=number)


def in_window(p: ReportingPeriod) -> dt.date:
    return p.as_quarter.end + dt.timedelta(days=5)


def quarter_of_task6(personas, p, *, co=None, lead=None, approve=True):
    """市商务局 (co) and 市工信局 (lead) enter task 6's demand-list enterprises for quarter ``p``."""
    day = in_window(p)
    if co is not None:
        part = task_part_open(task=task(6), department=Department.objects.get(name="市商务局"), period=p,
                              user=personas["co_officer"])
        part = task_part_save(part=part, fields=FIELDS, version=part.version, user=personas["co_officer"], today=day,
                              figures={"t6_demand_list_enterprises": co, "t6_demand_surveys": "2"})
        task_part_submit(part=part, version=part.version, user=personas["co_officer"], today=day)
    report = task_report_open(task=task(6), period=p, user=personas["lead_officer"])
    report = task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"],
                              today=day, figures={"t6_demand_list_enterprises": lead, "t6_demand_surveys": "3"})
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=day,
                                missing_parts_reason=REASON)
    if approve:
        task_report_approve(report=report, version=report.version, reviewer=personas["city_admin"])
    return report


def test_each_unit_enters_the_measures_it_reports(plan):
    co = [m.code for m in measures_entered_by(task=task(6), department=Department.objects.get(name="市商务局"),
                                              period=period())]
    assert co == ["t6_demand_surveys", "t6_demand_list_enterprises"]
    hr = [m.code for m in measures_entered_by(task=task(14), department=Department.objects.get(name="市人社局"),
                                              period=period())]
    assert "t14_vacancies" not in hr  # a yearly measure: in Q4 only
    assert "t14_internship_posts" not in hr  # read from the counties' returns (internship_posts), never typed twice
    assert "t14_vacancy_share" not in hr  # a ratio is computed, never typed in
    q4 = [m.code for m in measures_entered_by(task=task(14), department=Department.objects.get(name="市人社局"),
                                              period=period(2024, 4))]
    assert {"t14_vacancies", "t14_vacancies_graduates"} <= set(q4)


@pytest.mark.parametrize("raw, message", [("12.5", "小数"), ("-3", "负"), ("12人", "不是数字"), ("1e3", "不是数字")])
def test_a_bad_figure_is_refused_with_the_measure_and_nothing_is_written(personas, raw, message):
    p = period()
    part = task_part_open(task=task(6), department=Department.objects.get(name="市商务局"), period=p,
                          user=personas["co_officer"])
    with pytest.raises(ValidationError) as exc:
        task_part_save(part=part, fields=FIELDS, version=part.version, user=personas["co_officer"], today=in_window(p),
                       figures={"t6_demand_list_enterprises": raw, "t6_demand_surveys": "2"})
    text = " ".join(exc.value.messages)
    assert "纳入用工需求清单的企业（户）" in text and message in text
    assert not TaskMeasureFigure.objects.exists()
    part.refresh_from_db()
    assert part.measures == ""  # the narrative was not saved either


def test_money_takes_two_decimals_and_a_part_cannot_exceed_its_whole(personas):
    officer = make_user("hr_officer", roles=[Role.DEPT_OFFICER], department="市人社局")
    p = period(2024, 4)
    report = task_report_open(task=task(14), period=p, user=officer)
    with pytest.raises(ValidationError, match="不能大于"):
        task_report_save(report=report, fields=FIELDS, version=report.version, user=officer, today=in_window(p),
                         figures={"t14_vacancies": "100", "t14_vacancies_graduates": "120"})
    finance = make_user("fin_officer", roles=[Role.DEPT_OFFICER], department="市金融办")
    loans = task_report_open(task=task(16), period=p, user=finance)
    loans = task_report_save(report=loans, fields=FIELDS, version=loans.version, user=finance, today=in_window(p),
                             figures={"t16_guaranteed_loan_amount": "1234.56", "t16_guaranteed_loan_people": "80"})
    assert TaskMeasureFigure.objects.get(measure__code="t16_guaranteed_loan_amount").value == Decimal("1234.56")


def test_a_part_figure_rolls_up_into_the_leads_report_and_the_city_figure(personas, plan):
    quarter_of_task6(personas, period(2024, 2), co="40", lead="60")
    quarter_of_task6(personas, period(2024, 3), co="45", lead="70")
    entries = {m.code: (e, total) for m, e, total in measure_entries(task=task(6), period=period(2024, 3))}
    units, total = entries["t6_demand_list_enterprises"]
    assert {e.department.name: e.value for e in units if e.value is not None} == {"市商务局": 45, "市工信局": 70}
    assert total == 115
    rollups = {r.measure.code: r for r in measure_rollups(plan=plan, task=task(6), quarter=Quarter(2024, 3))}
    stock, flow = rollups["t6_demand_list_enterprises"], rollups["t6_demand_surveys"]
    assert stock.quarter == 115 and stock.years[2024] == 115 and stock.total == 115  # a stock: the latest quarter
    assert flow.years[2024] == 10 and flow.total == 10  # a flow: summed over the quarters (2+3, twice)
    assert stock.met is None and stock.target_text == ""  # tracked, no target


def test_only_approved_quarters_count_unless_asked(personas, plan):
    quarter_of_task6(personas, period(2024, 3), co="45", lead="70", approve=False)
    rollup = {r.measure.code: r for r in measure_rollups(plan=plan, task=task(6))}["t6_demand_list_enterprises"]
    assert rollup.total is None
    pending = {r.measure.code: r for r in measure_rollups(plan=plan, task=task(6), approved_only=False)}
    assert pending["t6_demand_list_enterprises"].total == 115
    report = TaskReport.objects.get()
    assert report.state == "submitted"
    report = task_report_approve(report=report, version=report.version, reviewer=personas["city_admin"])

    def total(**cut_off):
        rollups = {r.measure.code: r for r in measure_rollups(plan=plan, task=task(6), **cut_off)}
        return rollups["t6_demand_list_enterprises"].total

    assert total() == 115
    assert total(approved_as_of=report.reviewed_at - dt.timedelta(seconds=1)) is None  # approved after the cut-off
    assert total(approved_as_of=report.reviewed_at) == 115


def test_a_yearly_target_is_judged_each_year_and_a_ratio_from_its_parts(plan):
    officer = make_user("hr_officer", roles=[Role.DEPT_OFFICER], department="市人社局")
    admin = make_user("office", roles=[Role.CITY_ADMIN], department="市人社局")
    for year, posts, vacancies, graduates in ((2023, "1500", "200", "150"), (2024, "2100", "300", "180")):
        for quarter, share in ((3, "1000"), (4, str(int(posts) - 1000))):
            # internship posts: the counties' returns (the plan indicator), not the task report
            approve("internship_posts", "汉滨区" if quarter == 3 else "石泉县", f"{year}Q{quarter}", value=share)
            p = period(year, quarter)
            report = task_report_open(task=task(14), period=p, user=officer)
            figures = {"t14_vacancies": vacancies, "t14_vacancies_graduates": graduates} if quarter == 4 else {}
            report = task_report_save(report=report, fields=FIELDS, version=report.version, user=officer,
                                      today=in_window(p), figures=figures)
            report = task_report_submit(report=report, version=report.version, user=officer, today=in_window(p),
                                        missing_parts_reason=REASON)
            task_report_approve(report=report, version=report.version, reviewer=admin)
    rollups = {r.measure.code: r for r in measure_rollups(plan=plan, task=task(14))}
    posts = rollups["t14_internship_posts"]
    assert posts.years[2023] == 1500 and posts.years[2024] == 2100 and posts.target_text == "≥2000个"
    assert posts.years_met == {2023: False, 2024: True} and posts.met is False
    share = rollups["t14_vacancy_share"]
    assert share.years[2023] == Decimal("75.00") and share.years[2024] == Decimal("60.00")
    assert share.years_met == {2023: True, 2024: False}
    assert share.total == Decimal("66.00")  # 330/500 over the plan, never the mean of 75 % and 60 %


def test_the_page_shows_the_fields_and_saves_them(personas, client_for):
    url = "/reports/tasks/6/2024Q3/"
    with mock.patch("django.utils.timezone.localdate", return_value=in_window(period())):
        co = client_for("co_officer")
        page = co.get(url).content.decode()
        assert 'name="m__t6_demand_list_enterprises"' in page and "形成企业用工需求清单" in page
        response = co.post(url, {"action": "part_save", "version": 0, **FIELDS, "m__t6_demand_list_enterprises": "12.5"})
        assert response.status_code == 400 and "小数" in response.content.decode()
        response = co.post(url, {"action": "part_save", "version": 0, **FIELDS, "m__t6_demand_list_enterprises": "45"})
        assert response.status_code == 302
        assert TaskMeasureFigure.objects.get().value == 45
        lead_page = client_for("lead_officer").get(url).content.decode()
        assert "纳入用工需求清单的企业（户）" in lead_page and "45" in lead_page


def test_the_task_page_the_task_board_and_the_pack_show_the_rolled_up_measures(personas, client_for, plan):
    quarter_of_task6(personas, period(2024, 3), co="45", lead="70")
    task_page = client_for("leader").get("/plans/ankang-2022/tasks/6/").content.decode()
    assert "纳入用工需求清单的企业（户）" in task_page and "115" in task_page and "形成企业用工需求清单" in task_page
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 12)):
        board = client_for("leader").get("/dashboards/tasks/?period=2024Q3").content.decode()
    assert "任务指标" in board and "纳入用工需求清单的企业（户）" in board and "115" in board
    from packs.selectors import pack_content

    content = pack_content(user=personas["city_admin"], plan=plan, quarter=Quarter(2024, 3))
    measures = next(t for t in content.tables if t.key == "measures")
    row = next(r for r in measures.rows if r[1] == "纳入用工需求清单的企业")
    assert row[0] == 6 and row[5] == 115 and row[7] == 115
