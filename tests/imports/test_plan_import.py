"""The successor-plan workbook: a whole plan imported through the import flow (template, preview,
confirm, all or nothing), every refusal naming its sheet, row and column in Chinese."""

from __future__ import annotations

import copy
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from audit.models import AuditEvent
from imports.models import ImportBatch
from imports.plan_kind import SHEETS
from imports.plan_workbook import plan_workbook
from imports.services import import_allowed, import_confirm, import_upload
from seeding.demo.successor import SAMPLE, successor_sample_rows
from targets.models import Indicator, QuotaSet, Target
from targets.selectors import quota_check
from tasks.models import Plan, Responsibility, Task
from tests.imports_helpers import upload

pytestmark = pytest.mark.django_db


def _col(key: str, field: str) -> int:
    return [f for f, _h, _r in SHEETS[key][1]].index(field)


def _upload(user, rows=None, data: bytes | None = None) -> ImportBatch:
    data = data if data is not None else plan_workbook(rows)
    return import_upload(user=user, kind=ImportBatch.Kind.PLAN, upload=upload(data, "plan.xlsx"))


def _refused(user, rows) -> list[str]:
    plans = Plan.objects.count()
    batch = _upload(user, rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert Plan.objects.count() == plans and not Plan.objects.filter(code="ankang-2026").exists()
    return [f"{e['sheet']} {e['row']} {e['column']} {e['message']}" for e in batch.errors]


@pytest.fixture
def rows():
    return copy.deepcopy(successor_sample_rows())


def test_the_sample_workbook_creates_the_plan_whole(personas):
    admin = personas["city_admin"]
    batch = _upload(admin, data=SAMPLE.read_bytes())
    assert batch.state == ImportBatch.State.READY, batch.errors
    assert not Plan.objects.filter(code="ankang-2026").exists()  # the preview writes nothing
    batch = import_confirm(batch=batch, user=admin)
    assert batch.state == ImportBatch.State.APPLIED, batch.errors
    plan = Plan.objects.get(code="ankang-2026")
    assert plan.title.startswith("【演示】") and plan.doc_number == "【演示】安政办发〔2026〕1号"
    assert (plan.period_start.isoformat(), plan.period_end.isoformat()) == ("2026-01-01", "2030-12-31")
    assert plan.sections.count() == 10 and plan.tasks.count() == 22
    task6 = Task.objects.get(plan=plan, number=6)
    old6 = Task.objects.get(plan__code="ankang-2022", number=6)
    assert [(r.department.name, r.role) for r in task6.responsibilities.order_by("order")] == [
        (r.department.name, r.role) for r in old6.responsibilities.order_by("order")]
    assert task6.section.key == old6.section.key and task6.lead.name == old6.lead.name
    assert Responsibility.objects.filter(task__plan=plan, role="lead").count() == 19
    # targets on existing indicators and on the new one the workbook defines
    new = Indicator.objects.get(code="gig_workers_insured")
    assert new.kind == "flow" and new.reported_by == "county" and new.components.get().role == "value"
    assert Target.objects.filter(plan=plan).count() == 24
    jobs = Target.objects.get(plan=plan, code="urban_new_jobs")
    assert jobs.value == 110000 and jobs.indicator.code == "urban_new_jobs"
    assert Target.objects.get(plan=plan, code="internship_posts_per_year").task.number == 14
    # the county quotas, issued and adding up
    quota_set = QuotaSet.objects.get(target=jobs)
    assert quota_set.quotas.count() == 10 and quota_check(quota_set=quota_set).adds_up
    assert QuotaSet.objects.filter(target__plan=plan).count() == 4
    # audited: every row's event, and the import's own naming the file
    assert AuditEvent.objects.filter(model="tasks.plan", object_pk=str(plan.pk), action="created").exists()
    assert AuditEvent.objects.filter(model="tasks.task", reason__startswith=f"import #{batch.pk}").count() == 22
    assert AuditEvent.objects.filter(reason__contains=f"import #{batch.pk} plan.xlsx sha256:").exists() or \
        AuditEvent.objects.filter(reason__contains=f"import #{batch.pk}").exists()
    # the same workbook again: the code is taken now, refused whole
    again = _upload(admin, data=SAMPLE.read_bytes())
    assert again.state == ImportBatch.State.REFUSED
    assert any("ankang-2026" in e["message"] and e["sheet"] == "规划" and e["column"] == "A" for e in again.errors)


def test_an_unknown_department_is_refused_with_sheet_row_and_column(personas, rows):
    rows["tasks"][4][_col("tasks", "co")] = "市工信局、市不存在局"
    errors = _refused(personas["city_admin"], rows)
    assert errors == ["任务 6 F 平台上没有单位“市不存在局”（请核对名称，或先在后台管理中添加该单位）"]


def test_a_target_on_an_unknown_indicator_is_refused_unless_the_workbook_defines_it(personas, rows):
    rows["targets"][0][_col("targets", "indicator")] = "no_such_indicator"
    errors = _refused(personas["city_admin"], rows)
    assert errors == ["目标 2 B 平台上和“新增指标”表中都没有指标no_such_indicator"]
    # defined in the sheet 新增指标, the same target imports
    rows["indicators"].append(["no_such_indicator", "演示新指标", "人", "存量", "不低于", "县区报送", "", "", "", "", ""])
    batch = _upload(personas["city_admin"], rows)
    assert batch.state == ImportBatch.State.READY, batch.errors


def test_a_period_overlapping_the_previous_plan_or_not_in_whole_quarters_is_refused(personas, rows):
    rows["plan"][0][_col("plan", "period_start")] = "2025-07-01"
    errors = _refused(personas["city_admin"], rows)
    assert len(errors) == 1 and errors[0].startswith("规划 2 F ")
    assert "ankang-2022" in errors[0] and "重叠" in errors[0]
    rows["plan"][0][_col("plan", "period_start")] = "2026-02-01"
    errors = _refused(personas["city_admin"], rows)
    assert len(errors) == 1 and errors[0].startswith("规划 2 F ") and "整季度" in errors[0]
    rows["plan"][0][_col("plan", "period_start")] = "2031-01-01"
    errors = _refused(personas["city_admin"], rows)
    assert len(errors) == 1 and errors[0].startswith("规划 2 F ") and "开始" in errors[0]
    # another series may run beside it
    rows["plan"][0][_col("plan", "period_start")] = "2025-07-01"
    rows["plan"][0][_col("plan", "code")] = "youth-2025"
    assert _upload(personas["city_admin"], rows).state == ImportBatch.State.READY


def test_county_quotas_not_adding_up_to_the_city_target_are_refused(personas, rows):
    hanbin = next(r for r in rows["quotas"] if r[0] == "urban_new_jobs" and r[1] == "汉滨区")
    hanbin[2] += 5
    last = max(i for i, r in enumerate(rows["quotas"]) if r[0] == "urban_new_jobs") + 2
    errors = _refused(personas["city_admin"], rows)
    assert errors == [f"分县任务 {last} C 目标urban_new_jobs的各县分解数之和为110005，不等于全市目标110000"]


def test_rates_quotas_need_not_add_up_but_a_county_named_twice_is_refused(personas, rows):
    rows["quotas"].append(["registered_unemployment_rate", "汉滨区", 3.5])
    errors = _refused(personas["city_admin"], rows)
    assert errors == [f"分县任务 {len(rows['quotas']) + 1} B 汉滨区对registered_unemployment_rate有两个分解数"]


def test_duplicate_task_numbers_are_refused(personas, rows):
    rows["tasks"][5][_col("tasks", "number")] = 5
    errors = _refused(personas["city_admin"], rows)
    assert errors[0] == "任务 7 A 任务序号5重复出现（第一次在第6行）"


def test_every_error_of_a_bad_workbook_is_listed_and_nothing_is_written(personas, rows):
    rows["tasks"][0][_col("tasks", "lead")] = "市某某局"
    rows["tasks"][1][_col("tasks", "section")] = "nowhere"
    rows["targets"][1][_col("targets", "value")] = "十万"
    batch = _upload(personas["city_admin"], rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["sheet"], e["row"], e["column"]) for e in batch.errors] == [
        ("任务", 2, "E"), ("任务", 3, "B"), ("目标", 3, "G")]
    with pytest.raises(ValidationError, match="已拒收"):  # a refused batch cannot be confirmed
        import_confirm(batch=batch, user=personas["city_admin"])
    assert not Plan.objects.filter(code="ankang-2026").exists()


def test_a_workbook_without_its_sheets_or_a_csv_is_refused(personas):
    from tests.imports_helpers import csv_bytes, xlsx_bytes

    batch = _upload(personas["city_admin"], data=xlsx_bytes([["规划代码"], ["x-2026"]], title="规划"))
    assert batch.state == ImportBatch.State.REFUSED
    assert {e["sheet"] for e in batch.errors} >= {"章节", "任务", "目标"}
    batch = import_upload(user=personas["city_admin"], kind=ImportBatch.Kind.PLAN,
                          upload=upload(csv_bytes([["规划代码"], ["x-2026"]]), "plan.csv"))
    assert batch.state == ImportBatch.State.REFUSED and "CSV" in batch.errors[0]["message"]


def test_only_the_office_imports_a_plan(personas, client_for):
    assert import_allowed(user=personas["city_admin"], kind=ImportBatch.Kind.PLAN)
    for name in ("lead_officer", "county_a", "leader"):
        assert not import_allowed(user=personas[name], kind=ImportBatch.Kind.PLAN)
    assert client_for("county_a").get("/imports/plan/").status_code == 404
    assert client_for("leader").get("/imports/templates/plan/").status_code == 404


def test_the_template_has_the_sheets_and_headers_and_imports_through_the_page(personas, client_for):
    client = client_for("city_admin")
    page = client.get("/imports/plan/")
    assert page.status_code == 200 and "/imports/templates/plan/" in page.content.decode()
    response = client.get("/imports/templates/plan/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content
                                                 if response.streaming else [response.content])))
    for _key, (name, fields) in SHEETS.items():
        headers = [c.value for c in workbook[name][1]]
        assert headers == [("*" if required else "") + header for _f, header, required in fields]
    assert workbook["_meta"].sheet_state == "hidden"
    sample = client.get("/imports/samples/plan/")
    assert sample.status_code == 200
    # the sample, uploaded on the page, previews and is confirmed there
    response = client.post("/imports/plan/", {"file": upload(SAMPLE.read_bytes(), "successor_plan_2026.xlsx")})
    batch = ImportBatch.objects.get(kind=ImportBatch.Kind.PLAN)
    assert response.status_code == 302 and batch.state == ImportBatch.State.READY, batch.errors
    client.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    assert client.get("/plans/ankang-2026/").status_code == 200
