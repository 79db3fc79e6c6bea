"""The successor-plan workbook: a whole plan (title, 文号, period, sections, tasks with their lead
and co-responsible units, targets on existing or new indicators, county quotas) in one structured
workbook, one sheet per part, imported through the ordinary flow (template, preview, confirm, all
or nothing). Only the city administrator (the office) imports a plan.

The sheets and their columns are ``SHEETS``; the template (imports/templates.py
``plan_template``) writes exactly these headers. Choice cells take the Chinese label or the code
(``CHOICES``). Every refusal names the sheet, the row and the column. The rules beyond the cells:

- the plan's code is new; its period is whole quarters and does not overlap another plan of the
  same series (tasks.services.plan_period_problems);
- section keys and task numbers are unique; a task's section and a section's parent exist in the
  workbook; a task (not a work requirement) has a lead unit; every unit is a known department (by
  its name or an alias), named once per task;
- a target's indicator exists on the platform or is defined in the sheet 新增指标 (whose codes must
  be new); a task-level figure names a task of the workbook;
- county quotas name a county once per target; for an amount the counties share (a city-wide
  "at least" target on a flow, a stock or a count), the quotas add up exactly to the target.

Writing goes through tasks.services.plan_create, targets.services.indicator_create /
plan_targets_create and quota_set_issue, in the one transaction of the import.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from accounts.scoping import is_city_admin
from divisions.models import Region
from targets.models import Indicator, Target
from targets.services import indicator_create, plan_targets_create, quota_set_issue
from tasks.models import Department, DepartmentAlias, Plan, Responsibility
from tasks.services import plan_create, plan_period_problems

from .kinds import IMPORTERS, Importer, ImportFailed, Progress, _norm_header
from .reading import CellError, NotANumber, Table, read_decimal, read_whole

KIND = "plan"

# sheet key → (sheet name, [(field, header, required)])
SHEETS: dict[str, tuple[str, list[tuple[str, str, bool]]]] = {
    "plan": ("规划", [
        ("code", "规划代码", True), ("title", "标题", True), ("doc_number", "文号", True), ("issuer", "发文单位", True),
        ("issue_date", "印发日期", False), ("period_start", "开始日期", True), ("period_end", "结束日期", True),
        ("period_label", "期间说明", False), ("preamble", "序言", False)]),
    "sections": ("章节", [
        ("key", "章节键", True), ("parent", "上级章节键", False), ("ordinal", "序号", True), ("title", "标题", True),
        ("kind", "类型", True), ("text", "正文", False)]),
    "tasks": ("任务", [
        ("number", "任务序号", True), ("section", "所属章节键", True), ("title", "任务名称", True),
        ("kind", "类别", False), ("lead", "牵头单位", False), ("co", "配合单位", False), ("addressed_to", "面向", False),
        ("clause", "条款原文", False)]),
    "indicators": ("新增指标", [
        ("code", "指标代码", True), ("name", "指标名称", True), ("unit", "单位", True), ("kind", "类型", True),
        ("direction", "方向", True), ("reported_by", "报送方", True), ("period_type", "期间类型", False),
        ("numerator", "分子名称", False), ("denominator", "分母名称", False), ("scale", "比例系数", False),
        ("description", "说明", False)]),
    "targets": ("目标", [
        ("code", "目标代码", True), ("indicator", "指标代码", True), ("name", "目标名称", True),
        ("category", "类别", True), ("task", "任务序号", False), ("direction", "方向", False),
        ("value", "目标值", True), ("value_max", "上限值", False), ("unit", "单位", False), ("span", "期限", False),
        ("scope", "范围", False), ("clause", "原文", False)]),
    "quotas": ("分县任务", [("target", "目标代码", True), ("county", "县（市、区）", True), ("value", "分解数", True)]),
}
OPTIONAL_SHEETS = {"indicators", "quotas"}

# what a choice cell may say → the stored code (the code itself is accepted too)
CHOICES: dict[str, dict[str, str]] = {
    "section_kind": {"总体要求": "general", "主要目标": "targets", "主要任务": "tasks", "任务组": "task_group",
                     "工作要求": "requirements"},
    "task_kind": {"任务": "task", "工作要求": "requirement"},
    "indicator_kind": {"流量": "flow", "累计": "flow", "存量": "stock", "比率": "ratio", "市级填报": "city_only"},
    "direction": {"不低于": "at_least", "不高于": "at_most", "动态清零": "zero"},
    "reported_by": {"县区报送": "county", "市级报送": "city"},
    "period_type": {"按季度": "quarterly", "按年度": "yearly"},
    "category": {"主要目标": "main", "任务指标": "task"},
    "span": {"规划期内": "plan", "每年": "year"},
    "scope": {"全市": "city", "每个县": "per_county", "各县": "per_county"},
}
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SPLIT = re.compile(r"[、，,；;\s]+")


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


class _Sheet:
    """One sheet of the workbook, its columns found by header, with located errors."""

    def __init__(self, key: str, table: Table | None, errors: list[CellError]):
        self.key, self.table, self.errors = key, table, errors
        self.name, fields = SHEETS[key]
        self.columns: dict[str, int] = {}
        if table is None:
            return
        headers = {_norm_header(text): index for index, text in enumerate(table.header) if text}
        for field, header, required in fields:
            if _norm_header(header) in headers:
                self.columns[field] = headers[_norm_header(header)]
            elif required:
                errors.append(CellError(self.name, table.header_row or 1, "", _(
                    "the header row lacks the column %(header)s") % {"header": header}))

    @property
    def rows(self):
        return self.table.rows if self.table is not None else []

    def letter(self, field: str) -> str:
        index = self.columns.get(field)
        return get_column_letter(index + 1) if index is not None else ""

    def get(self, cells: list, field: str):
        index = self.columns.get(field)
        return cells[index] if index is not None and index < len(cells) else None

    def text(self, cells: list, field: str) -> str:
        return _text(self.get(cells, field))

    def error(self, row: int, field: str, message: str) -> None:
        self.errors.append(CellError(self.name, row, self.letter(field), message))

    def required(self, row: int, cells: list, field: str) -> str | None:
        value = self.text(cells, field)
        if not value:
            header = next(h for f, h, _r in SHEETS[self.key][1] if f == field)
            self.error(row, field, _("%(header)s is empty") % {"header": header})
            return None
        return value

    def choice(self, row: int, cells: list, field: str, choices: str, *, default: str | None = None) -> str | None:
        value = self.text(cells, field)
        if not value:
            if default is not None:
                return default
            return self.required(row, cells, field)
        table = CHOICES[choices]
        if value in table:
            return table[value]
        if value.lower() in table.values():
            return value.lower()
        self.error(row, field, _("“%(value)s” is not one of %(choices)s") % {
            "value": value, "choices": "、".join(table)})
        return None

    def date(self, row: int, cells: list, field: str, *, required: bool) -> datetime.date | None:
        raw = self.get(cells, field)
        if raw is None or _text(raw) == "":
            if required:
                self.required(row, cells, field)
            return None
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        text = _text(raw).replace("/", "-").replace(".", "-")
        match = re.fullmatch(r"(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?", text)
        try:
            if match is None:
                raise ValueError
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            self.error(row, field, _("“%(value)s” is not a date (write it like 2026-01-01)") % {"value": _text(raw)})
            return None

    def number(self, row: int, cells: list, field: str) -> Decimal | None:
        try:
            return read_decimal(self.get(cells, field))
        except NotANumber as exc:
            self.error(row, field, str(exc))
            return None


def _departments() -> dict[str, Department]:
    found = {d.name: d for d in Department.objects.filter(is_active=True)}
    for alias in DepartmentAlias.objects.select_related("department"):
        found.setdefault(alias.name, alias.department)
    return found


class SuccessorPlanImporter(Importer):
    """A whole plan from its workbook (see the module's docstring); the city administrator's."""

    kind = KIND
    whole_workbook = True  # imports/services.py reads every sheet, not only the first

    def template_errors(self, meta: dict) -> list[str]:
        return self._template_mismatch(meta, plan=("", ""))

    def scope_label(self) -> str:
        return _("a new plan")

    def preview(self, tables: list[Table]) -> dict:  # type: ignore[override]
        if not is_city_admin(self.user):
            raise PermissionDenied
        errors: list[CellError] = []
        by_name = {t.sheet: t for t in tables}
        sheets = {}
        for key, (name, _fields) in SHEETS.items():
            table = by_name.get(name)
            if table is None and key not in OPTIONAL_SHEETS:
                errors.append(CellError(name, 0, "", _("the workbook has no sheet %(sheet)s; download the template "
                                                       "and keep its sheets") % {"sheet": name}))
            sheets[key] = _Sheet(key, table, errors)
        if errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        plan = self._plan(sheets["plan"])
        sections = self._sections(sheets["sections"])
        tasks = self._tasks(sheets["tasks"], sections)
        indicators = self._indicators(sheets["indicators"])
        targets = self._targets(sheets["targets"], indicators, tasks)
        quotas = self._quotas(sheets["quotas"], targets, indicators)
        errors.sort(key=lambda e: (list(SHEETS).index(next(k for k, (n, _f) in SHEETS.items() if n == e.sheet))
                                   if any(n == e.sheet for n, _f in SHEETS.values()) else 99, e.row))
        if errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        changes = [{"row": plan["row"], "sheet": SHEETS["plan"][0], "outcome": "created", "code": plan["code"],
                    "name": f"{plan['title']}（{plan['doc_number']}）", "old": None,
                    "new": f"{plan['period_start']} – {plan['period_end']}"}]
        changes += [{"row": s["row"], "sheet": SHEETS["sections"][0], "outcome": "created", "code": s["key"],
                     "name": f"{s['ordinal']}{s['title']}", "old": None, "new": s["kind"]} for s in sections.values()]
        changes += [{"row": t["row"], "sheet": SHEETS["tasks"][0], "outcome": "created", "code": str(t["number"]),
                     "name": t["title"], "old": None, "new": "、".join(d for d, _r in t["departments"]) or "—"}
                    for t in tasks.values()]
        changes += [{"row": i["row"], "sheet": SHEETS["indicators"][0], "outcome": "created", "code": i["code"],
                     "name": i["name"], "old": None, "new": i["kind"]} for i in indicators.values()]
        changes += [{"row": t["row"], "sheet": SHEETS["targets"][0], "outcome": "created", "code": t["code"],
                     "name": t["name"], "old": None, "new": f"{t['value']} {t['unit']}"} for t in targets.values()]
        changes += [{"row": q["row"], "sheet": SHEETS["quotas"][0], "outcome": "created", "code": code,
                     "name": _("county quotas of %(target)s") % {"target": targets[code]["name"]}, "old": None,
                     "new": _("%(n)s counties") % {"n": len(q["quotas"])}} for code, q in quotas.items()]
        data = {"plan": plan, "sections": list(sections.values()), "tasks": list(tasks.values()),
                "indicators": list(indicators.values()), "targets": list(targets.values()), "quotas": quotas}
        return {"changes": changes, "unchanged": 0, "errors": [], "figures": data}

    # ------------------------------------------------------------ the sheets

    def _plan(self, sheet: _Sheet) -> dict:
        rows = sheet.rows
        if len(rows) != 1:
            sheet.error(rows[1][0] if len(rows) > 1 else (sheet.table.header_row or 1) + 1, "code", _(
                "the sheet %(sheet)s has one row: the plan (it has %(n)s)") % {"sheet": sheet.name, "n": len(rows)})
            return {}
        number, cells = rows[0]
        code = sheet.required(number, cells, "code")
        if code and (not CODE.match(code) or len(code) > 50):
            sheet.error(number, "code", _("“%(value)s” is not a code: small letters, digits and hyphens, e.g. "
                                          "ankang-2026") % {"value": code})
            code = None
        elif code and Plan.objects.filter(code=code).exists():
            sheet.error(number, "code", _("a plan with the code %(code)s already exists") % {"code": code})
            code = None
        plan = {"row": number, "code": code, "title": sheet.required(number, cells, "title"),
                "doc_number": sheet.required(number, cells, "doc_number"),
                "issuer": sheet.required(number, cells, "issuer"),
                "issue_date": sheet.date(number, cells, "issue_date", required=False),
                "period_start": sheet.date(number, cells, "period_start", required=True),
                "period_end": sheet.date(number, cells, "period_end", required=True),
                "period_label": sheet.text(cells, "period_label"), "preamble": sheet.text(cells, "preamble")}
        for field, limit in (("title", 200), ("doc_number", 100), ("issuer", 100), ("period_label", 100)):
            if plan[field] and len(plan[field]) > limit:
                sheet.error(number, field, _("at most %(n)s characters") % {"n": limit})
        if code and plan["period_start"] and plan["period_end"]:
            for problem in plan_period_problems(code=code, start=plan["period_start"], end=plan["period_end"]):
                sheet.error(number, "period_start", problem)
        for field in ("issue_date", "period_start", "period_end"):
            plan[field] = plan[field].isoformat() if plan[field] else None
        return plan

    def _sections(self, sheet: _Sheet) -> dict[str, dict]:
        sections: dict[str, dict] = {}
        parents = []
        for number, cells in sheet.rows:
            key = sheet.required(number, cells, "key")
            section = {"row": number, "key": key, "parent": sheet.text(cells, "parent") or None,
                       "ordinal": sheet.required(number, cells, "ordinal"), "title": sheet.required(number, cells, "title"),
                       "kind": sheet.choice(number, cells, "kind", "section_kind"), "text": sheet.text(cells, "text")}
            if key and len(key) > 30:
                sheet.error(number, "key", _("at most %(n)s characters") % {"n": 30})
            if key in sections:
                sheet.error(number, "key", _("the section key %(key)s appears twice (first in row %(row)s)") % {
                    "key": key, "row": sections[key]["row"]})
            elif key:
                sections[key] = section
            if section["parent"]:
                parents.append((number, section["parent"], key))
        for number, parent, key in parents:
            if parent not in sections or parent == key:
                sheet.error(number, "parent", _("no section %(key)s in the sheet %(sheet)s") % {
                    "key": parent, "sheet": sheet.name})
        if not sheet.rows:
            sheet.errors.append(CellError(sheet.name, 0, "", _("the sheet %(sheet)s has no rows") % {
                "sheet": sheet.name}))
        return sections

    def _tasks(self, sheet: _Sheet, sections: dict[str, dict]) -> dict[int, dict]:
        known = _departments()
        tasks: dict[int, dict] = {}
        for number, cells in sheet.rows:
            try:
                task_number = read_whole(sheet.get(cells, "number"))
            except NotANumber as exc:
                sheet.error(number, "number", str(exc))
                task_number = None
            if task_number is None or task_number == 0:
                if task_number == 0 or not sheet.text(cells, "number"):
                    sheet.error(number, "number", _("a task number is a whole number from 1"))
            elif task_number in tasks:
                sheet.error(number, "number", _("the task number %(number)s appears twice (first in row %(row)s)") % {
                    "number": task_number, "row": tasks[task_number]["row"]})
                task_number = None
            section = sheet.required(number, cells, "section")
            if section and section not in sections:
                sheet.error(number, "section", _("no section %(key)s in the sheet %(sheet)s") % {
                    "key": section, "sheet": SHEETS["sections"][0]})
            kind = sheet.choice(number, cells, "kind", "task_kind", default="task")
            departments: list[tuple[str, str]] = []
            lead = sheet.text(cells, "lead")
            if lead:
                if lead in known:
                    departments.append((known[lead].name, Responsibility.Role.LEAD))
                else:
                    sheet.error(number, "lead", _("no department %(name)s on the platform (check the name, or add "
                                                  "the department in the administration first)") % {"name": lead})
            elif kind == "task":
                sheet.error(number, "lead", _("a task needs its lead unit"))
            for name in (n for n in SPLIT.split(sheet.text(cells, "co")) if n):
                if name not in known:
                    sheet.error(number, "co", _("no department %(name)s on the platform (check the name, or add "
                                                "the department in the administration first)") % {"name": name})
                elif known[name].name in (d for d, _r in departments):
                    sheet.error(number, "co", _("%(name)s is named twice for this task") % {"name": name})
                else:
                    departments.append((known[name].name, Responsibility.Role.CO))
            if not lead and kind != "task" and departments:
                sheet.error(number, "lead", _("co-responsible units need a lead unit"))
            title = sheet.required(number, cells, "title")
            if title and len(title) > 200:
                sheet.error(number, "title", _("at most %(n)s characters") % {"n": 200})
            if task_number:
                tasks[task_number] = {"row": number, "number": task_number, "section": section, "title": title,
                                      "kind": kind, "departments": departments,
                                      "addressed_to": sheet.text(cells, "addressed_to")[:200],
                                      "clause": sheet.text(cells, "clause")}
        return tasks

    def _indicators(self, sheet: _Sheet) -> dict[str, dict]:
        indicators: dict[str, dict] = {}
        existing = set(Indicator.objects.values_list("code", flat=True))
        for number, cells in sheet.rows:
            code = sheet.required(number, cells, "code")
            if code and not CODE.match(code):
                sheet.error(number, "code", _("“%(value)s” is not a code: small letters, digits, hyphens and "
                                              "underscores") % {"value": code})
                code = None
            elif code in existing:
                sheet.error(number, "code", _("the indicator %(code)s already exists: use it in the sheet %(sheet)s "
                                              "without defining it again") % {"code": code,
                                                                              "sheet": SHEETS["targets"][0]})
                code = None
            elif code in indicators:
                sheet.error(number, "code", _("the indicator code %(code)s appears twice (first in row %(row)s)") % {
                    "code": code, "row": indicators[code]["row"]})
                code = None
            kind = sheet.choice(number, cells, "kind", "indicator_kind")
            reported_by = sheet.choice(number, cells, "reported_by", "reported_by")
            if kind == "city_only" and reported_by and reported_by != "city":
                sheet.error(number, "reported_by", _("an indicator entered for the city is reported by the city"))
            numerator, denominator = sheet.text(cells, "numerator"), sheet.text(cells, "denominator")
            if kind == "ratio" and not (numerator and denominator):
                sheet.error(number, "numerator" if not numerator else "denominator", _(
                    "a ratio needs the names of its numerator and its denominator"))
            scale = sheet.number(number, cells, "scale")
            if scale is not None and scale <= 0:
                sheet.error(number, "scale", _("the scale must be above 0"))
            indicator = {"row": number, "code": code, "name": sheet.required(number, cells, "name"),
                         "unit": sheet.required(number, cells, "unit"), "kind": kind,
                         "direction": sheet.choice(number, cells, "direction", "direction"),
                         "reported_by": reported_by,
                         "period_type": sheet.choice(number, cells, "period_type", "period_type", default="quarterly"),
                         "numerator": numerator, "denominator": denominator,
                         "scale": str(scale if scale is not None else (100 if kind == "ratio" else 1)),
                         "description": sheet.text(cells, "description")}
            if indicator["unit"] and len(indicator["unit"]) > 10:
                sheet.error(number, "unit", _("at most %(n)s characters") % {"n": 10})
            if code:
                indicators[code] = indicator
        return indicators

    def _targets(self, sheet: _Sheet, new_indicators: dict[str, dict], tasks: dict[int, dict]) -> dict[str, dict]:
        targets: dict[str, dict] = {}
        existing = {i.code: i for i in Indicator.objects.all()}
        for number, cells in sheet.rows:
            code = sheet.required(number, cells, "code")
            if code and not CODE.match(code):
                sheet.error(number, "code", _("“%(value)s” is not a code: small letters, digits, hyphens and "
                                              "underscores") % {"value": code})
                code = None
            elif code in targets:
                sheet.error(number, "code", _("the target code %(code)s appears twice (first in row %(row)s)") % {
                    "code": code, "row": targets[code]["row"]})
                code = None
            indicator_code = sheet.required(number, cells, "indicator")
            indicator = None
            if indicator_code in existing:
                i = existing[indicator_code]
                indicator = {"kind": i.kind, "direction": i.direction, "unit": i.unit}
            elif indicator_code in new_indicators:
                indicator = new_indicators[indicator_code]
            elif indicator_code:
                sheet.error(number, "indicator", _("no indicator %(code)s on the platform or in the sheet %(sheet)s") % {
                    "code": indicator_code, "sheet": SHEETS["indicators"][0]})
            category = sheet.choice(number, cells, "category", "category")
            task = None
            if category == "task":
                try:
                    task = read_whole(sheet.get(cells, "task"))
                except NotANumber as exc:
                    sheet.error(number, "task", str(exc))
                if task is None:
                    sheet.error(number, "task", _("a task-level figure names its task"))
                elif task not in tasks:
                    sheet.error(number, "task", _("no task %(number)s in the sheet %(sheet)s") % {
                        "number": task, "sheet": SHEETS["tasks"][0]})
            elif category == "main" and sheet.text(cells, "task"):
                sheet.error(number, "task", _("a main target belongs to no task; leave the cell empty"))
            direction = sheet.choice(number, cells, "direction", "direction",
                                     default=indicator["direction"] if indicator else "at_least")
            value, value_max = sheet.number(number, cells, "value"), sheet.number(number, cells, "value_max")
            if value is None and not sheet.text(cells, "value"):
                sheet.required(number, cells, "value")
            if direction == "zero" and value not in (None, 0):
                sheet.error(number, "value", _("a must-reach-zero target has the value 0"))
            if value is not None and value < 0:
                sheet.error(number, "value", _("a target cannot be negative"))
            if value is not None and value_max is not None and value_max < value:
                sheet.error(number, "value_max", _("the upper value is below the target value"))
            unit = sheet.text(cells, "unit") or (indicator["unit"] if indicator else "")
            target = {"row": number, "code": code, "indicator": indicator_code, "name": sheet.required(
                number, cells, "name"), "category": category, "task": task, "direction": direction,
                "value": str(value) if value is not None else None,
                "value_max": str(value_max) if value_max is not None else None, "unit": unit[:10],
                "span": sheet.choice(number, cells, "span", "span", default="plan"),
                "scope": sheet.choice(number, cells, "scope", "scope", default="city"),
                "clause": sheet.text(cells, "clause"),
                "indicator_kind": indicator["kind"] if indicator else None}
            if code:
                targets[code] = target
        return targets

    def _quotas(self, sheet: _Sheet, targets: dict[str, dict], new_indicators: dict[str, dict]) -> dict[str, dict]:
        counties = {}
        for region in Region.objects.counties():
            counties[region.name] = counties[region.code] = region
        quotas: dict[str, dict] = {}
        for number, cells in sheet.rows:
            code = sheet.required(number, cells, "target")
            if code and code not in targets:
                sheet.error(number, "target", _("no target %(code)s in the sheet %(sheet)s") % {
                    "code": code, "sheet": SHEETS["targets"][0]})
                code = None
            county_text = sheet.required(number, cells, "county")
            county = counties.get(county_text) if county_text else None
            if county_text and county is None:
                sheet.error(number, "county", _("no county %(name)s in Ankang") % {"name": county_text})
            value = sheet.number(number, cells, "value")
            if value is None and not sheet.text(cells, "value"):
                sheet.required(number, cells, "value")
            if value is not None and value < 0:
                sheet.error(number, "value", _("a quota cannot be negative"))
            if code is None:
                continue
            entry = quotas.setdefault(code, {"row": number, "last_row": number, "quotas": {}})
            entry["last_row"] = number
            if county is not None:
                if county.code in entry["quotas"]:
                    sheet.error(number, "county", _("%(county)s has two quotas for %(target)s") % {
                        "county": county.name, "target": code})
                elif value is not None:
                    entry["quotas"][county.code] = str(value)
        value_col = sheet.letter("value")
        for code, entry in quotas.items():
            target = targets[code]
            if target["value"] is None or not _adds_up_rule(target):
                continue
            total = sum((Decimal(v) for v in entry["quotas"].values()), Decimal(0))
            if total != Decimal(target["value"]):
                sheet.errors.append(CellError(sheet.name, entry["last_row"], value_col, _(
                    "the county quotas of %(target)s add up to %(total)s, not to the city target %(value)s") % {
                    "target": code, "total": _plain(total), "value": _plain(Decimal(target["value"]))}))
        return quotas

    # ------------------------------------------------------------ writing

    def apply(self, preview: dict, *, progress: Progress) -> dict:
        data = preview["figures"]
        reason = f"import #{self.batch.pk} {self.batch.file_name}"[:300]
        departments = {d.name: d for d in Department.objects.all()}
        p = data["plan"]
        total = len(preview["changes"])
        progress(0, total)
        try:
            for i in data["indicators"]:
                ratio = i["kind"] == "ratio"
                components = ([{"code": "numerator", "name": i["numerator"], "role": "numerator", "unit": i["unit"]},
                               {"code": "denominator", "name": i["denominator"], "role": "denominator",
                                "unit": i["unit"]}] if ratio else
                              [{"code": "value", "name": i["name"], "role": "value", "unit": i["unit"]}])
                indicator_create(indicator={
                    "code": i["code"], "name": i["name"], "unit": i["unit"], "kind": i["kind"],
                    "direction": i["direction"], "reported_by": i["reported_by"], "period_type": i["period_type"],
                    "scale": Decimal(i["scale"]), "description": i["description"]}, components=components,
                    reason=reason)
            plan, tasks = plan_create(plan={
                "code": p["code"], "title": p["title"], "doc_number": p["doc_number"], "issuer": p["issuer"],
                "issue_date": datetime.date.fromisoformat(p["issue_date"]) if p["issue_date"] else None,
                "period_start": datetime.date.fromisoformat(p["period_start"]),
                "period_end": datetime.date.fromisoformat(p["period_end"]),
                "period_label": p["period_label"], "preamble": p["preamble"]},
                sections=data["sections"], tasks=[{**t, "departments": [(departments[d], r) for d, r in t["departments"]]}
                                                  for t in data["tasks"]], reason=reason)
            targets = plan_targets_create(plan=plan, targets=data["targets"], tasks=tasks, reason=reason)
            counties = {r.code: r for r in Region.objects.counties()}
            for code, entry in data["quotas"].items():
                quota_set_issue(target=targets[code], quotas={counties[c]: Decimal(v) for c, v in entry["quotas"].items()},
                                issued_on=plan.issue_date or plan.period_start, user=self.user,
                                document=plan.doc_number)
        except ValidationError as exc:
            raise ImportFailed([{"sheet": "", "row": 0, "column": "", "message": m} for m in exc.messages]) from exc
        progress(total, total)
        return {"created": total, "updated": 0, "plan": plan.code}


def _adds_up_rule(target: dict) -> bool:
    """targets.selectors.quota_check's rule, before the target exists: a city-wide "at least"
    amount (a flow, a stock or a count) is shared out, so its quotas add up to it."""
    return (target["indicator_kind"] in (Indicator.Kind.FLOW, Indicator.Kind.STOCK, Indicator.Kind.DERIVED)
            and target["direction"] == Target.Direction.AT_LEAST and target["scope"] == Target.Scope.CITY)


def _plain(value: Decimal) -> str:
    n = value.normalize()
    return f"{n:f}"


IMPORTERS[KIND] = SuccessorPlanImporter
