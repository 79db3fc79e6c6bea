"""The demo successor plan, 【演示】2026–2030: a clearly labelled, invented plan that follows the
2021–2025 plan, created the way the office would create one — by importing the successor-plan
workbook (imports/samples/successor_plan_2026.xlsx) through the import flow (upload, preview,
confirm) — with demo targets, county quotas, a new indicator and its 2026 demo figures.

The sample workbook is built from the 2021–2025 plan's data file (its sections and tasks with
their units) with new demo targets: ``successor_sample_rows`` (and ``python manage.py
successor_sample`` writes the file). Figures of the indicators both plans share need nothing new:
a value is a fact about a region and a quarter, and the demo's 2026 values count toward both plans,
each within its own window (the 2021–2025 plan's window has ended, so they count toward the
successor only).
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from divisions.models import Region
from imports.models import ImportBatch
from imports.plan_kind import SHEETS
from imports.plan_workbook import plan_workbook
from imports.services import import_confirm, import_upload
from kernel.quarters import Quarter
from targets.models import Indicator, IndicatorValue
from tasks.models import Plan
from tasks.services import plan_data_read

from .figures import DEMO_REF, LAST, LAST_APPROVED, WEIGHTS

SAMPLE = Path(settings.BASE_DIR) / "imports" / "samples" / "successor_plan_2026.xlsx"
CODE = "ankang-2026"
NEW_INDICATOR = "gig_workers_insured"
# the demo's new targets for 2026–2030 (the 2021–2025 plan's other targets carry over unchanged)
VALUES = {"urban_new_jobs": "110000", "rural_labour_local_transfer": "105000", "registered_unemployment_rate": "3.8",
          "full_employment_communities": "1800", "internship_posts_per_year": "2200"}
SHARED = ("urban_new_jobs", "rural_labour_local_transfer", NEW_INDICATOR)  # amounts split across the counties
NEW_TARGET_VALUE = 20000


def _split(total: int) -> list[tuple[str, int]]:
    """``total`` split by the demo weights into whole numbers that add up exactly."""
    share = sum(WEIGHTS.values())
    parts = {name: round(total * w / share) for name, w in WEIGHTS.items()}
    largest = max(WEIGHTS, key=WEIGHTS.get)
    parts[largest] += total - sum(parts.values())
    return list(parts.items())


def _row(key: str, values: dict) -> list:
    return [values.get(field) for field, _header, _required in SHEETS[key][1]]


def successor_sample_rows() -> dict[str, list[list]]:
    """The sample workbook's rows: the 2021–2025 plan's structure, demo targets and quotas."""
    data = plan_data_read()
    rows: dict[str, list[list]] = {key: [] for key in SHEETS}
    rows["plan"].append(_row("plan", {
        "code": CODE, "title": "【演示】安康市就业促进规划（2026—2030年）", "doc_number": "【演示】安政办发〔2026〕1号",
        "issuer": "安康市人民政府办公室", "issue_date": "2026-03-20", "period_start": "2026-01-01",
        "period_end": "2030-12-31", "period_label": "“十五五”期间（演示）",
        "preamble": "【演示数据】本规划为平台演示用的虚构后续规划，不是正式文件。"}))
    for s in data["sections"]:
        text = s["text"]
        if s["key"] == "general.2":
            text = ("【演示】“十五五”期间，全市城镇新增就业11万人，引导农民就地就近转移就业10.5万人，登记失业率控制在3.8%以内，"
                    "新就业形态劳动者参保2万人，全市充分就业村（社区）达到1800家。")
        kinds = {"general": "总体要求", "targets": "主要目标", "tasks": "主要任务", "task_group": "任务组",
                 "requirements": "工作要求"}
        rows["sections"].append(_row("sections", {"key": s["key"], "parent": s["parent"], "ordinal": s["ordinal"],
                                                  "title": s["title"], "kind": kinds[s["kind"]], "text": text}))
    for t in data["tasks"]:
        units = sorted(t["responsibilities"], key=lambda r: r["order"])
        lead = next((r["department"] for r in units if r["role"] == "lead"), "")
        rows["tasks"].append(_row("tasks", {
            "number": t["number"], "section": t["section"], "title": t["title"],
            "kind": "任务" if t["kind"] == "task" else "工作要求", "lead": lead,
            "co": "、".join(r["department"] for r in units if r["role"] == "co"),
            "addressed_to": t["addressed_to"], "clause": t["clause"]}))
    rows["indicators"].append(_row("indicators", {
        "code": NEW_INDICATOR, "name": "新就业形态劳动者参保人数", "unit": "人", "kind": "流量", "direction": "不低于",
        "reported_by": "县区报送", "period_type": "按季度",
        "description": "【演示】新就业形态劳动者（平台骑手、网约车司机等）新参加职业伤害保障和社会保险的人数。"}))
    categories = {"main": "主要目标", "task": "任务指标"}
    directions = {"at_least": "不低于", "at_most": "不高于", "zero": "动态清零"}
    for t in data["targets"]:
        rows["targets"].append(_row("targets", {
            "code": t["code"], "indicator": t["indicator"], "name": t["name"], "category": categories[t["category"]],
            "task": t["task"], "direction": directions[t["direction"]], "value": VALUES.get(t["code"], t["value"]),
            "value_max": t["value_max"], "unit": t["unit"], "span": "每年" if t["span"] == "year" else "规划期内",
            "scope": "每个县" if t["scope"] == "per_county" else "全市", "clause": f"【演示】{t['clause']}"}))
    rows["targets"].append(_row("targets", {
        "code": NEW_INDICATOR, "indicator": NEW_INDICATOR, "name": "新就业形态劳动者参保", "category": "主要目标",
        "direction": "不低于", "value": NEW_TARGET_VALUE, "unit": "人", "span": "规划期内", "scope": "全市",
        "clause": "【演示】新就业形态劳动者参保2万人"}))
    totals = {code: int(VALUES.get(code, NEW_TARGET_VALUE)) for code in SHARED}
    for code in SHARED:
        for county, value in _split(totals[code]):
            rows["quotas"].append(_row("quotas", {"target": code, "county": county, "value": value}))
    for county in WEIGHTS:
        rows["quotas"].append(_row("quotas", {"target": "registered_unemployment_rate", "county": county,
                                              "value": VALUES["registered_unemployment_rate"]}))
    return rows


def successor_sample_write(path: Path = SAMPLE) -> Path:
    path.write_bytes(plan_workbook(successor_sample_rows()))
    return path


def demo_successor_seed(*, admin) -> Plan | None:
    """Import the sample workbook as the demo administrator (upload, preview, confirm: the import
    flow, so the batch and its audit event are there to see), then the new indicator's 2026 demo
    figures (2026Q1–Q2 approved, Q3 submitted, like the demo's other figures). Once: a second
    call finds the plan and does nothing. Returns the plan, or None if it was there already."""
    if not settings.DEMO_MODE:
        raise RuntimeError("the demo successor plan is only created with DEMO_MODE on (never in production)")
    if Plan.objects.filter(code=CODE).exists():
        return None
    with transaction.atomic():
        batch = import_upload(user=admin, kind=ImportBatch.Kind.PLAN,
                              upload=SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes()))
        if batch.state != ImportBatch.State.READY:
            raise RuntimeError(f"the demo successor workbook was refused: {batch.errors[:3]}")
        batch = import_confirm(batch=batch, user=admin)
        if batch.state != ImportBatch.State.APPLIED:
            raise RuntimeError(f"the demo successor workbook was not applied: {batch.errors[:3]}")
        _new_indicator_figures(approver=admin)
    return Plan.objects.get(code=CODE)


def _new_indicator_figures(*, approver) -> None:
    indicator = Indicator.objects.get(code=NEW_INDICATOR)
    component = indicator.components.get()
    rnd = random.Random(20260101)
    now = timezone.now()
    rows = []
    for region in Region.objects.counties().order_by("code"):
        weight = WEIGHTS[region.name]
        for q in Quarter.between(Quarter(2026, 1).start, LAST.end):
            approved = q <= LAST_APPROVED
            rows.append(IndicatorValue(
                indicator=indicator, component=component, region=region, year=q.year, quarter=q.number,
                value=Decimal(round(weight / 10.15 * 1100 * rnd.uniform(0.8, 1.2))), source=IndicatorValue.Source.SYSTEM,
                source_ref=DEMO_REF,
                status=IndicatorValue.Status.APPROVED if approved else IndicatorValue.Status.SUBMITTED,
                submitted_by=approver, submitted_at=now, approved_by=approver if approved else None,
                approved_at=now if approved else None))
    IndicatorValue.objects.bulk_create(rows)
