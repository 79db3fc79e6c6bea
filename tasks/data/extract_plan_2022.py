"""Extract the 2022 plan (安政办发〔2022〕11号) from its text into ``plan_2022.json``.

Run from the repository root::

    python tasks/data/extract_plan_2022.py          # rewrite the JSON
    python tasks/data/extract_plan_2022.py --check  # exit 1 if the JSON is stale

What comes from the document (titles, clause texts, department lists and their order, the
section headings, the target clauses) is *parsed* here, never typed in, so it cannot drift
from the source. What the document does not say (English names, department kinds, how a
target aggregates) is curated below, in one place, and reviewed like code.

Document quirks (see DOMAIN.md):
- task 1's parenthesis ends with 首个单位为牵头单位，下同: the rule for every list;
- task 6 names ``市工信局<市国资委>``: one office signing as two, so one department with an alias;
- task 2 names ``市重点产业链牵头单位``: a group whose members the city sets, not a department;
- task 14's list lacks the closing 等负责; the rule still applies.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "plan_2022_anzhengbanfa_11.txt"
OUTPUT = Path(__file__).resolve().parent / "plan_2022.json"

PLAN = {
    "code": "ankang-2022",
    "doc_number": "安政办发〔2022〕11号",
    "title": "关于创建高质量充分就业市的实施意见",
    "title_en": "Implementation Opinions on Creating a High-Quality Full-Employment City",
    "notice_title": "安康市人民政府办公室关于印发《关于创建高质量充分就业市的实施意见》的通知",
    "issuer": "安康市人民政府办公室",
    "issue_date": "2022-04-21",
    "period_start": "2021-01-01",
    "period_end": "2025-12-31",
    "period_label": "“十四五”期间（2021—2025年）",
}

# English names and kinds of the units the task lists name, keyed by the document's short name.
DEPARTMENTS = {
    "市发改委": ("municipal", "Municipal Development and Reform Commission"),
    "市工信局": ("municipal", "Municipal Bureau of Industry and Information Technology"),
    "市文旅广电局": ("municipal", "Municipal Bureau of Culture, Tourism, Radio and Television"),
    "市商务局": ("municipal", "Municipal Bureau of Commerce"),
    "市人社局": ("municipal", "Municipal Human Resources and Social Security Bureau"),
    "市富硒办": ("municipal", "Municipal Selenium-Rich Industry Office"),
    "市招商和经济合作局": ("municipal", "Municipal Investment Promotion and Economic Cooperation Bureau"),
    "市农业农村局": ("municipal", "Municipal Bureau of Agriculture and Rural Affairs"),
    "市重点产业链牵头单位": ("group", "Lead units of the city's key industrial chains"),
    "市乡村振兴局": ("municipal", "Municipal Rural Revitalisation Bureau"),
    "市财政局": ("municipal", "Municipal Finance Bureau"),
    "市妇联": ("mass_org", "Municipal Women's Federation"),
    "市考核办": ("municipal", "Municipal Performance Assessment Office"),
    "安康职业技术学院": ("institution", "Ankang Vocational and Technical College"),
    "市教体局": ("municipal", "Municipal Bureau of Education and Sports"),
    "市总工会": ("mass_org", "Municipal Federation of Trade Unions"),
    "市科技局": ("municipal", "Municipal Bureau of Science and Technology"),
    "市退役军人事务局": ("municipal", "Municipal Veterans Affairs Bureau"),
    "市民政局": ("municipal", "Municipal Civil Affairs Bureau"),
    "团市委": ("mass_org", "Municipal Committee of the Communist Youth League"),
    "市残联": ("mass_org", "Municipal Disabled Persons' Federation"),
    "市公务员局": ("municipal", "Municipal Civil Service Bureau"),
    "市卫健委": ("municipal", "Municipal Health Commission"),
    "市金融办": ("municipal", "Municipal Financial Affairs Office"),
}
ALIAS_EN = {"市国资委": "Municipal State-owned Assets Supervision and Administration Commission"}

# Items 20–22 name no department list; who they address, quoted from each clause.
REQUIREMENT_ADDRESSEES = {
    20: "市、县（市、区）政府",
    21: "各级各部门；各级人社部门牵头",
    22: "各级政府",
}

TASK_TITLES_EN = {
    1: "Strengthen the market's capacity to absorb employment",
    2: "Expand employment capacity in industrial parks",
    3: "Support rural revitalisation to expand employment",
    4: "Develop new community factories to absorb employment",
    5: "Implement a new-era employment promotion mechanism",
    6: "Establish an enterprise labour-supply guarantee mechanism",
    7: "Use market mechanisms to promote employment",
    8: "Create full-employment communities",
    9: "Strengthen employment services through incubators and parks",
    10: "Open market-based employment channels",
    11: "Make use of labour brands",
    12: "Provide employment skills training",
    13: "Implement policies to stabilise employment of people lifted out of poverty",
    14: "Expand employment at the grassroots",
    15: "Encourage entrepreneurship to drive employment",
    16: "Strengthen financial support for high-quality full employment",
    17: "Build standardised entrepreneurship centres in counties and towns",
    18: "Improve employment services in relocation communities",
    19: "Innovate smart employment services",
    20: "Strengthen organisation and leadership",
    21: "Consolidate work responsibilities",
    22: "Create a strong supportive atmosphere",
}

SECTION_TITLES_EN = {
    "总体要求": "General requirements",
    "指导思想": "Guiding ideology",
    "主要目标": "Main targets",
    "主要任务": "Main tasks",
    "夯实经济发展基础，扩大就业容量": "Consolidate the economic base and expand employment capacity",
    "优化就业机制，拓展就业空间": "Optimise employment mechanisms and widen employment space",
    "搭建就业平台，提升就业质量": "Build employment platforms and raise employment quality",
    "落实就业政策，激励就业（创业）意愿": "Implement employment policies and encourage (self-)employment",
    "提升就业服务，保障就业畅通": "Improve employment services and keep employment flowing",
    "工作要求": "Work requirements",
}

# The targets. ``clause`` must occur verbatim in the (line-joined) document; the extractor
# checks it. direction: at_least | at_most | zero. span: plan (whole period) | year (each year).
# scope: city (one city-wide figure) | per_county (each county must reach it).
# indicator: the code in targets/data/indicators.json that measures it (default: the target's code).
# The main target 全市充分就业村（社区）1500 家 is measured by the municipal tier's count, the same
# indicator as task 8's 市级充分就业村（社区）1500 家.
TARGETS = [
    # 主要目标 (main targets), in the document's order.
    dict(code="urban_new_jobs", name="城镇新增就业", name_en="New urban jobs",
         direction="at_least", value="100000", unit="人", clause="全市城镇新增就业 10 万人"),
    dict(code="rural_labour_local_transfer", name="引导农民就地就近转移就业",
         name_en="Rural workers moved into local jobs",
         direction="at_least", value="100000", unit="人", clause="引导农民就地就近转移就业 10 万人"),
    dict(code="willing_able_employment_rate", name="有劳动能力、有就业意愿的群众实现就业",
         name_en="Employment of people able and willing to work",
         direction="at_least", value="100", unit="%",
         clause="辖区内有劳动能力、有就业意愿的群众 100%实现就业"),
    dict(code="hard_to_employ_assistance_rate", name="就业困难人员就业援助率",
         name_en="Employment assistance rate for people with difficulties finding work",
         direction="at_least", value="100", unit="%", clause="就业困难人员就业援助率达到 100%"),
    dict(code="zero_employment_households", name="城镇和农村“零就业家庭”",
         name_en="Zero-employment households (urban and rural)",
         direction="zero", value="0", unit="户", clause="城镇和农村“零就业家庭”动态清零"),
    dict(code="registered_unemployment_rate", name="登记失业率", name_en="Registered urban unemployment rate",
         direction="at_most", value="4", unit="%", clause="登记失业率控制在 4%以内"),
    dict(code="surveyed_unemployment_rate", name="调查失业率", name_en="Surveyed unemployment rate",
         direction="at_most", value="5.5", unit="%", clause="调查失业率控制在 5.5%以内"),
    dict(code="new_labour_local_share", name="新增劳动力留在本地就近就地就业",
         name_en="Share of the new labour force employed locally",
         direction="at_least", value="50", unit="%", clause="促进新增劳动力的 50%留在本地就近就地就业"),
    dict(code="full_employment_communities", name="全市充分就业村（社区）",
         name_en="Full-employment villages and communities",
         direction="at_least", value="1500", unit="家", clause="全市充分就业村（社区）创建达到 1500 家",
         indicator="municipal_fe_communities"),
    # Task-level figures.
    dict(code="fe_campaign_towns", task=8, name="开展“充分就业社区”创建行动的镇",
         name_en="Towns in the full-employment community campaign",
         direction="at_least", value="100", unit="个",
         clause="在全市 100 个镇 1800 个村（社区）开展“充分就业社区”创建行动"),
    dict(code="fe_campaign_villages", task=8, name="开展“充分就业社区”创建行动的村（社区）",
         name_en="Villages and communities in the full-employment community campaign",
         direction="at_least", value="1800", unit="个",
         clause="在全市 100 个镇 1800 个村（社区）开展“充分就业社区”创建行动"),
    dict(code="national_fe_communities", task=8, name="国家级充分就业社区",
         name_en="National full-employment communities",
         direction="at_least", value="4", unit="家", clause="“十四五”期末我市创建国家级充分就业社区达到 4 家以上"),
    dict(code="provincial_star_fe_communities", task=8, name="省级充分就业星级社区",
         name_en="Provincial star-level full-employment communities",
         direction="at_least", value="20", unit="家", clause="省级充分就业星级社区达到 20 家以上"),
    dict(code="provincial_fe_communities", task=8, name="省级充分就业社区",
         name_en="Provincial full-employment communities",
         direction="at_least", value="45", unit="家", clause="省级充分就业社区达到 45 家以上"),
    dict(code="municipal_fe_communities", task=8, name="市级充分就业村（社区）",
         name_en="Municipal full-employment villages and communities",
         direction="at_least", value="1500", unit="家", clause="市级充分就业村（社区）到达1500 家以上"),
    dict(code="labour_brands_per_county", task=11, name="每个县（市、区）打造的劳务品牌",
         name_en="Labour brands built by each county",
         direction="at_least", value="1", value_max="2", unit="个", scope="per_county", indicator="labour_brands",
         clause="每个县(市、区)要聚焦 1-2 个劳务工种凝心聚力打造成为有影响力的劳务品牌"),
    dict(code="public_vacancies_graduate_share", task=14,
         name="事业单位空缺岗位用于招聘高校毕业生和退役大学生士兵的比例",
         name_en="Share of public-institution vacancies for graduates and demobilised student-soldiers",
         direction="at_least", value="70", unit="%",
         clause="继续实施事业单位空缺岗位 70%用于招聘高校毕业生和退役大学生士兵"),
    dict(code="internship_posts_per_year", task=14, name="每年公开征集见习岗位",
         name_en="Internship posts collected each year",
         direction="at_least", value="2000", unit="个", span="year", indicator="internship_posts",
         clause="每年公开征集见习岗位不少于 2000 个"),
    dict(code="standard_entrepreneurship_centre_coverage", task=17, name="标准化创业中心覆盖县域、重点镇和产业集中区",
         name_en="Coverage of standardised entrepreneurship centres",
         direction="at_least", value="100", unit="%",
         clause="实现功能齐备的标准化创业中心在县域、重点镇和产业集中区全覆盖"),
    dict(code="relocation_community_service_upgrade", task=18,
         name="100户以上易地搬迁社区就业创业服务能力提升",
         name_en="Service upgrade in relocation communities of 100+ households",
         direction="at_least", value="100", unit="%",
         clause="聚焦 100 户以上易地搬迁社区群众就业创业服务需求，开展易地搬迁社区就业创业服务能力提升行动"),
    dict(code="relocation_service_window_upgrade", task=18,
         name="300户或800人以上搬迁社区就业创业服务窗口优化",
         name_en="Service windows upgraded in relocation communities of 300+ households or 800+ people",
         direction="at_least", value="100", unit="%",
         clause="对 300 户或 800 人以上社区的就业创业服务窗口进行优化"),
    dict(code="urban_15min_service_circle", task=19, name="城市就业“15分钟服务圈”",
         name_en="Urban 15-minute employment service circle",
         direction="at_least", value="100", unit="%", clause="打造城市就业“15 分钟服务圈”"),
    dict(code="rural_30min_service_circle", task=19, name="农村就业“30分钟服务圈”",
         name_en="Rural 30-minute employment service circle",
         direction="at_least", value="100", unit="%", clause="农村就业“30 分钟服务圈”"),
]

CHINESE_ORDINALS = "一二三四五六七八九十"


def joined_text(raw: str) -> str:
    """The document with its hard line wraps and page breaks removed."""
    return "".join(line.strip() for line in raw.splitlines() if line.strip())


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start) + len(start)
    return text[i : text.index(end, i)]


def parse_departments(parenthesis: str) -> list[dict]:
    """``市工信局<市国资委>、市人社局…等负责`` → ordered units, first is the lead."""
    body = parenthesis.split("。")[0]  # task 1 adds 。首个单位为牵头单位，下同。
    body = re.sub(r"(等)?负责$", "", body)
    units = []
    for item in body.split("、"):
        m = re.fullmatch(r"([^<>]+)(?:<([^<>]+)>)?", item)
        if not m:
            raise ValueError(f"unparsed department {item!r}")
        units.append({"name": m.group(1), "alias": m.group(2)})
    return units


def extract() -> dict:
    raw = SOURCE.read_text(encoding="utf-8")
    text = joined_text(raw)

    # Top-level parts and the task groups inside part 二.
    part_general = _between(text, "一、总体要求", "二、主要任务")
    part_tasks = _between(text, "二、主要任务", "三、工作要求")

    sections = [
        {"key": "general", "ordinal": "一", "title": "总体要求", "kind": "general", "parent": None,
         "text": ""},
        {"key": "general.1", "ordinal": "（一）", "title": "指导思想", "kind": "general",
         "parent": "general", "text": _between(part_general, "（一）指导思想", "（二）主要目标")},
        {"key": "general.2", "ordinal": "（二）", "title": "主要目标", "kind": "targets",
         "parent": "general", "text": part_general.split("（二）主要目标", 1)[1]},
        {"key": "tasks", "ordinal": "二", "title": "主要任务", "kind": "tasks", "parent": None, "text": ""},
    ]
    group_heads = list(re.finditer(r"（([一二三四五])）([^（]*?(?:（创业）)?[^（。]*)。(?=\d+\.)", part_tasks))
    if len(group_heads) != 5:
        raise ValueError(f"expected 5 task groups, found {len(group_heads)}")
    for i, m in enumerate(group_heads, start=1):
        sections.append({"key": f"tasks.{i}", "ordinal": f"（{m.group(1)}）", "title": m.group(2),
                         "kind": "task_group", "parent": "tasks", "text": ""})
    sections.append({"key": "requirements", "ordinal": "三", "title": "工作要求", "kind": "requirements",
                     "parent": None, "text": ""})
    for s in sections:
        s["title_en"] = SECTION_TITLES_EN[s["title"]]

    # Tasks 1–22, found in order so a number inside a clause can't be taken for a heading.
    starts = []
    pos = 0
    for n in range(1, 23):
        m = re.compile(rf"(?<![\d.]){n}\.(?=\D)").search(text, pos)
        if not m:
            raise ValueError(f"task {n} not found")
        starts.append(m.start())
        pos = m.end()
    ends = starts[1:] + [text.index("抄送：")]

    tasks = []
    departments: dict[str, dict] = {}
    for n, (a, b) in enumerate(zip(starts, ends, strict=True), start=1):
        clause = text[a:b]
        # Cut the next group's heading (or the next part's) off the end of the clause.
        clause = re.split(r"（[一二三四五]）[^（]*?(?:（创业）)?[^（。]*。$|三、工作要求$", clause)[0]
        body = clause[len(f"{n}.") :]
        title = body.split("。", 1)[0]
        if n <= 19:
            group = max(i for i, m in enumerate(group_heads, start=1)
                        if m.start() < part_tasks.index(body[:40]))
            section = f"tasks.{group}"
            m = re.search(r"（([^（）]*(?:（[^（）]*）[^（）]*)*)）$", clause)
            if not m:
                raise ValueError(f"task {n}: no department list")
            units = parse_departments(m.group(1))
            addressed_to = ""
        else:
            section = "requirements"
            units = []
            addressed_to = REQUIREMENT_ADDRESSEES[n]
            if addressed_to.split("；")[0] not in clause:
                raise ValueError(f"item {n}: addressees not in the clause")
        responsibilities = []
        for order, unit in enumerate(units, start=1):
            dept = departments.setdefault(unit["name"], {"name": unit["name"], "aliases": []})
            if unit["alias"] and unit["alias"] not in dept["aliases"]:
                dept["aliases"].append(unit["alias"])
            responsibilities.append({"department": unit["name"], "order": order,
                                     "role": "lead" if order == 1 else "co"})
        tasks.append({"number": n, "title": title, "title_en": TASK_TITLES_EN[n], "section": section,
                      "clause": clause, "kind": "task" if n <= 19 else "requirement",
                      "addressed_to": addressed_to, "responsibilities": responsibilities})

    unknown = set(departments) - set(DEPARTMENTS)
    if unknown:
        raise ValueError(f"departments without curated kind/English name: {sorted(unknown)}")
    dept_rows = []
    for order, (name, d) in enumerate(departments.items(), start=1):
        kind, name_en = DEPARTMENTS[name]
        dept_rows.append({"name": name, "name_en": name_en, "kind": kind, "order": order,
                          "aliases": [{"name": a, "name_en": ALIAS_EN[a]} for a in d["aliases"]]})

    targets = []
    for order, t in enumerate(TARGETS, start=1):
        if t["clause"] not in text:
            raise ValueError(f"target {t['code']}: clause not found verbatim in the document")
        targets.append({"order": order, "task": None, "value_max": None, "span": "plan", "scope": "city",
                        "category": "task" if t.get("task") else "main", "indicator": t["code"], **t})

    return {"source": SOURCE.name, "plan": {**PLAN, "preamble": "为" + _between(text, "关于创建高质量充分就业市的实施意见为", "一、总体要求")},
            "sections": sections, "departments": dept_rows, "tasks": tasks, "targets": targets}


def main() -> int:
    data = extract()
    rendered = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if "--check" in sys.argv:
        if OUTPUT.read_text(encoding="utf-8") != rendered:
            print(f"{OUTPUT} is stale: run python tasks/data/extract_plan_2022.py")
            return 1
        return 0
    OUTPUT.write_text(rendered, encoding="utf-8")
    print(f"wrote {OUTPUT}: {len(data['tasks'])} items, {len(data['departments'])} departments, "
          f"{len(data['targets'])} targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
