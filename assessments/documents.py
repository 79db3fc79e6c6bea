"""The final assessment's files, built from its frozen content: the workbook (every figure, via
kernel.exports) and the official document (.docx, python-docx): title, the assessment's own 文号,
the body, and the 落款 with the date written the Chinese way (kernel.dates)."""

from __future__ import annotations

import datetime
import decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dates import date_text, quarter_text
from kernel.exports import Table, workbook_bytes
from kernel.numbers import figure_text
from kernel.official_document import OfficialDocument
from reports.models import ReviewState, SelfStatus
from targets.models import Snapshot

from .models import FinalAssessment
from .selectors import corrections_after


def number(value: str | None) -> decimal.Decimal | None:
    return None if value in (None, "") else decimal.Decimal(value)


def shown(value: str | None, unit: str | None = None, *, suffix: bool = False) -> str:
    """A frozen number as a person reads it, by the platform's one rule (kernel.numbers.figure_text):
    thousands separated, the unit's fixed decimals (a rate 3.85, a count 1,150); — for none."""
    return figure_text(number(value), unit, suffix=suffix)


def met_text(value: bool | None) -> str:
    return _("Target met") if value is True else _("Target not met") if value is False else _("Cannot be judged")


def status_text(status: str) -> str:
    return str(dict(Snapshot.Status.choices).get(status, status))


def self_status_text(status: str) -> str:
    return str(dict(SelfStatus.choices).get(status, "")) if status else ""


def state_text(state: str) -> str:
    return str(dict(ReviewState.choices).get(state, "")) if state else ""


def _moment(value: str | None) -> str:
    return date_text(datetime.datetime.fromisoformat(value)) if value else ""


def cutoff_text(assessment: FinalAssessment) -> str:
    local = timezone.localtime(assessment.data_cutoff)
    return f"{date_text(local.date())} {local:%H:%M}"


def tables(assessment: FinalAssessment) -> list[Table]:
    c = assessment.content
    years = [str(y) for y in c.get("years", [])]
    about = Table("about", _("About this assessment"), [_("Item"), _("Value")], [
        [_("Title"), assessment.title],
        [_("Document number"), assessment.doc_number],
        [_("Plan"), f"{c['plan']['title']}（{c['plan']['doc_number']}）"],
        [_("Plan period"), c["plan"]["period_text"]],
        [_("Final quarter"), quarter_text(c["final_quarter"])],
        [_("Data cut-off"), cutoff_text(assessment)],
        [_("Version"), assessment.version],
        [_("State"), str(assessment.get_state_display())],
        [_("Date of issue"), date_text(assessment.issued_on) if assessment.issued_on else ""],
        [_("Issuing body"), assessment.issuer],
        [_("Figures"), _("Official figures: approved values only, as rolled up into the snapshots at the data "
                         "cut-off; corrections approved later are listed beside, never in their place.")],
    ])
    head = [_("Code"), _("Target name"), _("Category"), _("Task"), _("Target"), _("Unit"), _("Final figure"),
            _("% achieved"), _("Status"), _("Met or not"), _("Rule")]
    targets = Table("targets", _("Targets at the end"), head + [_("%(year)s (end of year)") % {"year": y} for y in years])
    for t in c["targets"]:
        f = t["final"]
        targets.rows.append([t["code"], t["name"], t["category_label"], t["task"], t["display_value"], t["unit"],
                             number(f["value"]), number(f["percent"]), status_text(f["status"]), met_text(f["met"]),
                             t["met_rule"], *[number(p["value"]) for p in t["path"]]])
    counties = Table("counties", _("Counties and quotas at the end"),
                     [_("Code"), _("Target name"), _("County"), _("Quota"), _("Final figure"), _("Unit"),
                      _("% achieved"), _("Status"), _("Met or not")] + [_("%(year)s (end of year)") % {"year": y} for y in years])
    for t in c["targets"]:
        for r in t["counties"]:
            counties.rows.append([t["code"], t["name"], r["name"], number(r["quota"]), number(r["value"]), t["unit"],
                                  number(r["percent"]), status_text(r["status"]), met_text(r["met"]),
                                  *[number(v) for v in r["path"]]])
    cert = c["certification"]
    certification = Table("certification", _("Certification at the end"),
                          [_("Tier"), _("City")] + [r["name"] for r in (cert["tiers"][0]["counties"]
                                                                       if cert["tiers"] else [])])
    for tier in cert["tiers"]:
        certification.rows.append([tier["name"], tier["city"], *[r["count"] for r in tier["counties"]]])
    quarters = [s["quarter"] for s in c["tasks"][0]["statuses"]] if c["tasks"] else []
    tasks = Table("tasks", _("Tasks"), [_("Task"), _("Title"), _("Lead unit"), _("Co-responsible units")]
                  + [quarter_text(q) for q in quarters])
    for t in c["tasks"]:
        tasks.rows.append([t["number"], t["title"], t["lead"], "、".join(t["co"]),
                           *[self_status_text(s["status"]) for s in t["statuses"]]])
    instructions = Table("instructions", _("Leaders' instructions"), [
        _("Task"), _("Given on"), _("Leader"), _("Instruction"), _("Handled in the report of"), _("Report state"),
        _("Measures reported")])
    for t in c["tasks"]:
        for i in t["instructions"]:
            h = i["handled"]
            instructions.rows.append([t["number"], _moment(i["given_at"]), i["author"], i["text"],
                                      quarter_text(h["quarter"]) if h["quarter"] else _("No report since"),
                                      h["state"] or "", h["measures"]])
    timeliness_head = [_("Expected"), _("On time"), _("Late"), _("Missing"), _("Completeness"), _("Timeliness")]
    tl = c["timeliness"]
    departments = Table("departments", _("Departments' reporting over the plan"), [_("Department")] + timeliness_head)
    for r in tl["departments"]:
        departments.rows.append([r["name"], r["expected"], r["on_time"], r["late"], r["missing"], r["completeness"],
                                 r["timeliness"]])
    county_t = Table("county_timeliness", _("Counties' returns over the plan"), [_("County")] + timeliness_head)
    for r in tl["counties"]:
        county_t.rows.append([r["name"], r["expected"], r["on_time"], r["late"], r["missing"], r["completeness"],
                              r["timeliness"]])
    later = Table("corrections", _("Corrections approved after the cut-off"), [
        _("Indicator"), _("County"), _("Quarter"), _("Figure"), _("Reported value"), _("Corrected value"),
        _("Reason"), _("Approved at")])
    for fix in _later(assessment):
        for name, old, new in fix.items:
            later.rows.append([fix.indicator, fix.county, quarter_text(fix.quarter), name, old, new, fix.reason,
                               fix.reviewed_at])
    return [about, targets, counties, certification, tasks, instructions, departments, county_t, later]


def _later(assessment: FinalAssessment) -> list:
    """Corrections approved after the cut-off, as the person who issued (or drafted) it may see them."""
    user = assessment.issued_by or assessment.drafted_by
    found = corrections_after(plan=assessment.plan, cutoff=assessment.data_cutoff, user=user)
    return [c for rows in found.values() for c in rows]


def assessment_xlsx(assessment: FinalAssessment) -> bytes:
    return workbook_bytes(tables(assessment))


def assessment_docx(assessment: FinalAssessment) -> bytes:
    """The assessment as an official document (公文): title, 文号, body, 落款 and date."""
    c = assessment.content
    doc = OfficialDocument(title=assessment.title, doc_number=assessment.doc_number, issuer=assessment.issuer)
    doc.head(note=None if assessment.is_issued else _("Draft v%(version)d — not issued") % {
        "version": assessment.version})

    plan = c["plan"]
    doc.paragraph(_(
        "%(plan)s (%(number)s) set the city's targets and tasks for %(period)s. The period has ended; this is the "
        "final account of it. Figures are the official ones (approved values only) as they stood at the data "
        "cut-off, %(cutoff)s, for the plan's final quarter, %(quarter)s.") % {
        "plan": plan["title"], "number": plan["doc_number"], "period": plan["period_text"],
        "cutoff": cutoff_text(assessment), "quarter": quarter_text(c["final_quarter"])})

    years = [str(y) for y in c.get("years", [])]
    main = [t for t in c["targets"] if t["category"] == "main"]
    task_level = [t for t in c["targets"] if t["category"] != "main"]
    met_count = sum(1 for t in main if t["final"]["met"] is True)
    doc.heading(_("1. The main targets"))
    doc.paragraph(_("%(met)d of the %(total)d main targets were met.") % {"met": met_count, "total": len(main)})
    head = [_("Target name"), _("Target value"), _("Final figure"), _("Met or not")] + years
    doc.table(head, [[t["name"], t["display_value"], shown(t['final']['value'], t['unit'], suffix=True),
                        met_text(t["final"]["met"]), *[shown(p["value"], t["unit"]) for p in t["path"]]] for t in main])
    doc.heading(_("2. The task-level targets"))
    doc.table([_("Task"), *head], [[t["task"], t["name"], t["display_value"], shown(t['final']['value'], t['unit'], suffix=True),
                                      met_text(t["final"]["met"]), *[shown(p["value"], t["unit"]) for p in t["path"]]]
                                     for t in task_level])
    doc.paragraph(_("Met or not is judged by the status rule of the targets engine at the plan's end: ") + " ".join(
        sorted({t["met_rule"] for t in c["targets"]})))

    later = _later(assessment)
    if later:
        doc.paragraph(_("Corrections approved after the cut-off (not in the figures above):"))
        for fix in later:
            changes = "；".join(f"{name} {shown(str(old))} → {shown(str(new))}" for name, old, new in fix.items)
            doc.paragraph(f"{fix.county} {quarter_text(fix.quarter)} {fix.indicator}：{changes}（{fix.reason}）",
                              bullet=True)

    doc.heading(_("3. The counties against their quotas"))
    for t in main:
        if not t["counties"]:
            continue
        doc.paragraph(f"{t['name']}（{t['display_value']}）")
        doc.table([_("County"), _("Quota"), _("Final figure"), _("Met or not")],
               [[r["name"], shown(r["quota"], t["unit"]), shown(r["value"], t["unit"]), met_text(r["met"])] for r in t["counties"]])

    doc.heading(_("4. Certified villages and communities at the end"))
    cert = c["certification"]
    doc.table([_("Tier"), _("City")] + [r["name"] for r in (cert["tiers"][0]["counties"] if cert["tiers"] else [])],
           [[tier["name"], tier["city"], *[r["count"] for r in tier["counties"]]] for tier in cert["tiers"]])

    doc.heading(_("5. The tasks"))
    for t in c["tasks"]:
        counts: dict[str, int] = {}
        for s in t["statuses"]:
            if s["status"]:
                counts[self_status_text(s["status"])] = counts.get(self_status_text(s["status"]), 0) + 1
        summary = "，".join(_("%(status)s in %(count)d quarters") % {"status": k, "count": v}
                           for k, v in counts.items()) or _("no self-assessment reported")
        doc.paragraph(_("%(number)s. %(title)s (lead unit: %(lead)s; co-responsible units: %(co)s). "
                            "Self-assessed: %(summary)s.") % {
            "number": t["number"], "title": t["title"], "lead": t["lead"], "co": "、".join(t["co"]) or "—",
            "summary": summary})
        for i in t["instructions"]:
            h = i["handled"]
            handled = (_("answered in the report of %(quarter)s (%(state)s)") % {
                "quarter": quarter_text(h["quarter"]), "state": h["state"]}) if h["quarter"] else _("no report since")
            doc.paragraph(_("%(date)s, %(leader)s instructed: %(text)s (%(handled)s)") % {
                "date": _moment(i["given_at"]), "leader": i["author"], "text": i["text"], "handled": handled},
                bullet=True)

    doc.heading(_("6. Reporting timeliness over the plan"))
    head = [_("Unit"), _("Expected"), _("On time"), _("Late"), _("Missing"), _("Timeliness")]
    tl = c["timeliness"]
    doc.table(head, [[r["name"], r["expected"], r["on_time"], r["late"], r["missing"],
                        "—" if r["timeliness"] is None else f"{r['timeliness']}%"]
                       for r in tl["departments"] + tl["counties"]])

    return doc.finish(dated=date_text(assessment.issued_on) if assessment.issued_on else _("(not issued)"))


# ---------------------------------------------------------------- the annual assessment's 通报

RED_HEAD = "安康市就业工作领导小组办公室文件"
GROUP_TITLES = {"counties": "县（市、区）考核结果", "departments": "市级部门考核结果"}
CN_ORDINALS = "一二三四五六七八九十"


def rank_text(row: dict) -> str:
    if row.get("rank") is None:
        return "—"
    return f"{row['rank']}（并列）" if row.get("tied") else str(row["rank"])


def previous_text(row: dict) -> str:
    prev = row.get("previous")
    if not prev or prev.get("total") is None:
        return "—"
    return f"{prev['total']}（第{prev['rank']}名）"


def annual_docx(assessment, template: bytes | None = None) -> bytes:
    """The 通报 as an official document: red head, its 文号, title, the ranked tables with each item's
    score, the rules, 落款 and date, page numbers; written into the office's template if one is
    uploaded (the latest), else the built-in layout."""
    from .models import DocumentTemplate

    if template is None:
        latest = DocumentTemplate.objects.first()
        if latest is not None:
            with latest.file.open("rb") as f:
                template = f.read()
    c = assessment.content
    doc = OfficialDocument(title=assessment.title, doc_number=assessment.doc_number, issuer=assessment.issuer,
                           template=template)
    doc.landscape()  # the ranked tables are wide
    doc.head(red_head=RED_HEAD, note=None if assessment.is_issued else _("Draft v%(version)d — not issued") % {
        "version": assessment.version})
    quarter = quarter_text(c["quarter"])
    doc.paragraph("各县（市、区）人民政府，市级有关部门：")
    doc.paragraph(f"根据{c['year']}年度高质量充分就业工作考核方案，市就业工作领导小组办公室依据平台记录（数据截至"
                  f"{quarter}，{cutoff_text(assessment)}）对各县（市、区）和市级有关部门{c['year']}年度工作进行了考核。"
                  f"现将考核结果通报如下。")
    if not c.get("complete"):
        doc.paragraph(f"说明：{c['year']}年第四季度数据尚未全部审核，本结果按{quarter}数据计算，仅供参考。")
    for n, group in enumerate(c["groups"]):
        doc.heading(f"{CN_ORDINALS[n]}、{GROUP_TITLES.get(group['audience'], group['audience'])}")
        head = ["名次", "单位", "总分"] + [f"{i['name']}（{i['weight']}分）" for i in group["items"]] + ["上年总分（名次）"]
        rows = []
        for row in group["rows"]:
            cells = ["不适用" if not cell["applicable"] else cell["score"] for cell in row["cells"]]
            rows.append([rank_text(row), row["name"], row["total"] or "—", *cells, previous_text(row)])
        doc.table(head, rows)
        doc.paragraph("评分规则：")
        for item in group["items"]:
            doc.paragraph(f"{item['name']}（{item['weight']}分）：{item['rule']}", bullet=True)
    doc.paragraph(c.get("total_rule", ""))
    return doc.finish(dated=date_text(assessment.issued_on) if assessment.issued_on else _("(not issued)"))
