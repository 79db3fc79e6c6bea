"""The import kinds: which columns each file has, how its rows are checked against the platform
(the preview), and how the checked changes are written through the same services as the forms.

A preview is plain JSON (kept on the batch): ``changes`` (one per row that would create or change
something, with the old and new values and the version of the record it was checked against),
``unchanged`` (a count), ``errors`` (sheet, row, column, message) and ``notes``. Applying a preview
calls the services with the versions recorded in it, so a record changed by someone else between
preview and confirmation is refused (and with it the whole import).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from accounts.roles import Role
from accounts.scoping import is_city_admin
from communities.models import CommunityProfile, Region

from .reading import FULL_WIDTH, CellError, NotANumber, Table, read_decimal, read_whole, read_yes_no

Progress = Callable[[int, int], None]


class ImportFailed(Exception):
    """Applying the import was refused; the transaction rolls back and nothing is written.
    ``errors``: located messages (sheet, row, column, message)."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _norm_header(text: str) -> str:
    return re.sub(r"[\s*＊]", "", text.translate(str.maketrans("（）", "()"))).lower()


class Importer:
    kind: str = ""
    # field → (header aliases, required)
    columns: dict[str, tuple[tuple[str, ...], bool]] = {}

    def __init__(self, *, user, batch):
        self.user, self.batch = user, batch

    # ------------------------------------------------------------ columns
    def map_columns(self, table: Table) -> tuple[dict[str, int], list[CellError]]:
        aliases = {_norm_header(a): f for f, (names, _required) in self.columns.items() for a in names}
        found: dict[str, int] = {}
        errors: list[CellError] = []
        for index, text in enumerate(table.header):
            name = aliases.get(_norm_header(text)) if text else None
            if name is None:
                continue
            if name in found:
                errors.append(CellError(table.sheet, table.header_row, get_column_letter(index + 1),
                                        _("the column %(header)s appears twice") % {"header": text}))
            found[name] = index
        missing = [names[0] for f, (names, required) in self.columns.items() if required and f not in found]
        if missing:
            errors.append(CellError(table.sheet, table.header_row, "", _(
                "the header row lacks the columns %(names)s (the first row with anything in it is read as the "
                "header)") % {"names": "、".join(missing)}))
        return found, errors

    @staticmethod
    def cell(cells: list, index: int | None):
        if index is None or index >= len(cells):
            return None
        return cells[index]

    @staticmethod
    def letter(index: int | None) -> str:
        return get_column_letter(index + 1) if index is not None else ""

    # ------------------------------------------------------------ the user's county
    def county_column_error(self, raw, county: Region | None) -> str | None:
        """A county column is allowed but never decides anything: naming another county than the
        one the row is imported for is an error for that row."""
        if raw is None or not str(raw).strip() or county is None:
            return None
        text = str(raw).translate(FULL_WIDTH).strip()
        if text in (county.name, county.short_name, county.code):
            return None
        return _("the row names %(named)s, but it is imported for %(county)s; the county comes from your account, "
                 "not from the file") % {"named": text, "county": county.name}

    def preview(self, table: Table) -> dict:
        raise NotImplementedError

    def apply(self, preview: dict, *, progress: Progress) -> dict:
        raise NotImplementedError


def _code_text(raw) -> str:
    """An NBS code as text: Excel may have stored 610902001001 as a number."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).translate(FULL_WIDTH).strip() if raw is not None else ""


class CommunityProfileImporter(Importer):
    """Village and community data (CommunityProfile): households, population, relocation, keyed by
    the NBS code. The rules are communities.services.community_profile_save's, which writes each
    change: a county officer imports their own county's villages and communities; the city
    administrator any county's."""

    kind = "community_profiles"
    columns = {
        "code": (("统计用区划代码", "区划代码", "代码", "NBS code", "code"), True),
        "name": (("名称", "村（社区）名称", "村（社区）", "name"), False),
        "county": (("县（市、区）", "所属县（市、区）", "县区", "county"), False),
        "households": (("户数", "households"), True),
        "population": (("人口", "人口数", "population"), True),
        "is_relocation": (("易地搬迁社区", "是否易地搬迁社区", "relocation community", "is_relocation"), True),
    }

    def preview(self, table: Table) -> dict:
        cols, errors = self.map_columns(table)
        if errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        own_county = None if is_city_admin(self.user) else self.user.region
        villages = {r.code: r for r in Region.objects.filter(level=Region.Level.VILLAGE).select_related("county")}
        editable = set(Region.objects.editable_by(self.user).filter(level=Region.Level.VILLAGE)
                       .values_list("pk", flat=True))
        profiles = {p.region_id: p for p in CommunityProfile.objects.all()}
        seen: dict[str, int] = {}
        changes, unchanged = [], 0
        for number, cells in table.rows:
            row_errors = []

            def err(field: str, message: str, number=number, row_errors=row_errors) -> None:
                row_errors.append(CellError(table.sheet, number, self.letter(cols.get(field)), message))

            code = _code_text(self.cell(cells, cols["code"]))
            region = villages.get(code)
            if not code:
                err("code", _("the NBS code is empty"))
            elif region is None:
                err("code", _("%(code)s is not the NBS code of a village or community of Ankang") % {"code": code})
            elif code in seen:
                err("code", _("%(code)s is also on row %(row)s") % {"code": code, "row": seen[code]})
            else:
                seen[code] = number
                row_county = own_county or region.county
                named = self.county_column_error(self.cell(cells, cols.get("county")), row_county)
                if named:
                    err("county", named)
                if region.pk not in editable:
                    err("code", _("%(name)s (%(code)s) is in %(county)s, not your county; you cannot import its "
                                  "data") % {"name": region.name, "code": code, "county": region.county.name})
                name = self.cell(cells, cols.get("name"))
                if name is not None and str(name).strip() and str(name).strip() not in (region.name, region.short_name):
                    err("name", _("%(code)s is %(name)s, not %(given)s: check the row") % {
                        "code": code, "name": region.name, "given": str(name).strip()})
            new = {}
            for field in ("households", "population"):
                try:
                    new[field] = read_whole(self.cell(cells, cols[field]))
                except NotANumber as exc:
                    err(field, str(exc))
            try:
                new["is_relocation"] = read_yes_no(self.cell(cells, cols["is_relocation"]))
            except NotANumber as exc:
                err("is_relocation", str(exc))
            if row_errors:
                errors.extend(row_errors)
                continue
            profile = profiles.get(region.pk)
            old = ({"households": profile.households, "population": profile.population,
                    "is_relocation": profile.is_relocation} if profile else None)
            if old == new or (old is None and new == {"households": None, "population": None, "is_relocation": False}):
                unchanged += 1
                continue
            changes.append({"row": number, "code": code, "name": region.name, "county": region.county.name,
                            "outcome": "updated" if profile else "created", "old": old, "new": new,
                            "version": profile.version if profile else 1})
        return {"changes": changes, "unchanged": unchanged, "errors": [e.as_dict() for e in errors]}

    def apply(self, preview: dict, *, progress: Progress) -> dict:
        from reports.services import Conflict

        from .bulk import RowRefused, community_profiles_bulk_save

        changes = preview["changes"]
        sheet = preview.get("sheet", "")
        reason = f"import #{self.batch.pk} {self.batch.file_name}"[:300]
        for start in range(0, len(changes), CHUNK):  # all chunks in the caller's one transaction
            try:
                community_profiles_bulk_save(changes=changes[start:start + CHUNK], user=self.user, reason=reason)
            except RowRefused as refused:
                change, exc = refused.change, refused.exc
                if isinstance(exc, Conflict):
                    message = _("%(name)s was changed after your preview: %(detail)s") % {
                        "name": change["name"], "detail": " ".join(exc.messages)}
                elif isinstance(exc, ValidationError):
                    message = " ".join(exc.messages)
                else:
                    message = _("you may no longer change %(name)s") % {"name": change["name"]}
                raise ImportFailed([{"sheet": sheet, "row": change["row"], "column": "", "message": message}]) from exc
            progress(min(start + CHUNK, len(changes)), len(changes))
        return {"created": sum(c["outcome"] == "created" for c in changes),
                "updated": sum(c["outcome"] == "updated" for c in changes)}


CHUNK = 500  # rows per bulk write: the progress bar moves between chunks

PERIOD_TEXT = re.compile(r"^(\d{4})\s*(?:年)?\s*[-_ ]?\s*(?:q|第)?\s*([1-4])\s*(?:季度)?$", re.IGNORECASE)


class CountyReturnImporter(Importer):
    """A county's figures for one quarter (indicator code, component code, value), written through
    reports.services.county_return_save — the same rules, locks, versions, history and audit as the
    return's form and the API push. The county is the officer's; the quarter is the page's."""

    kind = "county_return"
    columns = {
        "indicator": (("指标代码", "indicator code", "indicator"), True),
        "component": (("分项代码", "component code", "component"), True),
        "value": (("数值", "本期数值", "value"), True),
        "county": (("县（市、区）", "所属县（市、区）", "县区", "county"), False),
        "period": (("季度", "报告期", "period", "quarter"), False),
    }

    def _context(self):
        from reports.models import CountyReturn

        county, period = self.batch.scope_region, self.batch.period
        if not (self.user.has_role(Role.COUNTY_OFFICER) and self.user.region_id == county.pk):
            raise PermissionDenied
        return county, period, CountyReturn.objects.filter(region=county, period=period).first()

    def preview(self, table: Table) -> dict:
        from django.utils import timezone

        from reports.services import period_is_open_for, return_values
        from targets.models import Indicator, IndicatorComponent
        from targets.services import figures_validate

        county, period, county_return = self._context()
        errors: list[CellError] = []
        if county_return is not None and not county_return.is_editable_state:
            errors.append(CellError("", 0, "", _("The %(period)s return is %(state)s and cannot be changed by an "
                                                 "import.") % {"period": period.label,
                                                               "state": county_return.get_state_display()}))
        if not period_is_open_for(period=period, today=timezone.localdate(), region=county):
            errors.append(CellError("", 0, "", _("Entry for %(period)s closed after %(day)s; ask the city "
                                                 "administrator for an exception or request a correction.") % {
                "period": period.label, "day": period.locks_after.isoformat()}))
        cols, header_errors = self.map_columns(table)
        errors += header_errors
        if header_errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        indicators = {i.code: i for i in Indicator.objects.filter(reported_by=Indicator.ReportedBy.COUNTY)}
        roles: dict[str, dict[str, str]] = {code: {} for code in indicators}
        names: dict[tuple[str, str], str] = {}
        for code, component, role, name in IndicatorComponent.objects.filter(
                indicator__reported_by=Indicator.ReportedBy.COUNTY).values_list("indicator__code", "code", "role", "name"):
            roles[code][component] = role
            names[(code, component)] = name
        current = ({code: {c: row.value for c, row in comps.items()} for code, comps in return_values(county_return).items()}
                   if county_return is not None else {})
        groups: dict[str, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
        seen: dict[tuple[str, str], int] = {}
        bad_indicators: set[str] = set()
        blank = 0
        for number, cells in table.rows:
            row_errors = []

            def err(field: str, message: str, number=number, row_errors=row_errors) -> None:
                row_errors.append(CellError(table.sheet, number, self.letter(cols.get(field)), message))

            code = _code_text(self.cell(cells, cols["indicator"]))
            component = _code_text(self.cell(cells, cols["component"]))
            named = self.county_column_error(self.cell(cells, cols.get("county")), county)
            if named:
                err("county", named)
            raw_period = self.cell(cells, cols.get("period"))
            if raw_period is not None and str(raw_period).strip():
                match = PERIOD_TEXT.match(str(raw_period).translate(FULL_WIDTH).strip())
                if not match or (int(match[1]), int(match[2])) != (period.year, period.quarter):
                    err("period", _("the row is for %(given)s, but this import is for %(period)s") % {
                        "given": str(raw_period).strip(), "period": period.label})
            if code not in indicators:
                err("indicator", _("%(code)s is not an indicator counties report") % {"code": code or "—"})
            elif component not in roles[code]:
                err("component", _("%(indicator)s has no component %(component)s (it has %(codes)s)") % {
                    "indicator": code, "component": component or "—", "codes": "、".join(sorted(roles[code]))})
            elif (code, component) in seen:
                err("indicator", _("%(code)s %(component)s is also on row %(row)s") % {
                    "code": code, "component": component, "row": seen[(code, component)]})
            else:
                seen[(code, component)] = number
            try:
                value = read_decimal(self.cell(cells, cols["value"]))
            except NotANumber as exc:
                err("value", str(exc))
                value = None
            if value is not None and value < 0:
                err("value", _("%(code)s cannot be negative (%(value)s).") % {"code": component, "value": value})
            if row_errors:
                errors.extend(row_errors)
                bad_indicators.add(code)  # its other rows are not checked as a whole: one error, not a cascade
                continue
            if value is None:
                blank += 1  # a figure left empty: the return keeps what it has
                continue
            groups[code][component] = (number, value)
        changes, unchanged = [], 0
        value_col = self.letter(cols["value"])
        for code, posted in groups.items():
            if code in bad_indicators:
                continue
            merged = {**current.get(code, {}), **{c: v for c, (_n, v) in posted.items()}}
            try:
                validated = figures_validate(indicator=indicators[code], region=county, components=merged,
                                             expected=roles[code])
            except ValidationError as exc:
                for row_number, _v in posted.values():
                    errors.append(CellError(table.sheet, row_number, value_col, " ".join(exc.messages)))
                continue
            outcomes = {}
            for c in posted:
                old = current.get(code, {}).get(c)
                outcomes[c] = "created" if old is None else "unchanged" if old == validated[c] else "updated"
            if all(o == "unchanged" for o in outcomes.values()):
                unchanged += len(outcomes)
                continue
            for c, (number, _v) in sorted(posted.items(), key=lambda item: item[1][0]):
                if outcomes[c] == "unchanged":
                    unchanged += 1
                    continue
                old = current.get(code, {}).get(c)
                changes.append({"row": number, "indicator": code, "component": c,
                                "name": f"{indicators[code].name} · {names[(code, c)]}", "outcome": outcomes[c],
                                "old": str(old) if old is not None else None, "new": str(validated[c])})
        preview = {"changes": changes, "unchanged": unchanged, "errors": [e.as_dict() for e in errors],
                   "version": county_return.version if county_return is not None else None,
                   # each changed indicator complete (what the file gives over what the return has)
                   "figures": {code: {c: str(v) for c, v in {**current.get(code, {}),
                                                             **{k: v for k, (_n, v) in groups[code].items()}}.items()}
                               for code in sorted({c["indicator"] for c in changes})}}
        if blank:
            preview["notes"] = [_("%(n)s rows have no value; those figures stay as they are.") % {"n": blank}]
        return preview

    def apply(self, preview: dict, *, progress: Progress) -> dict:
        from reports.services import Conflict, Locked, county_return_open, county_return_save
        from targets.models import IndicatorValue

        county, period, county_return = self._context()
        if county_return is None:
            county_return = county_return_open(region=county, period=period, user=self.user)
            version = county_return.version if preview["version"] is None else preview["version"]
        else:
            version = preview["version"] if preview["version"] is not None else -1  # created since the preview
        total = len(preview["changes"])
        progress(0, total)
        try:
            county_return_save(county_return=county_return, figures=preview["figures"], version=version,
                               user=self.user, source=IndicatorValue.Source.IMPORT,
                               source_ref=f"{county_return.source_ref} import:{self.batch.pk}")
        except (Conflict, Locked) as exc:
            raise ImportFailed([{"sheet": "", "row": 0, "column": "", "message": " ".join(exc.messages)}]) from exc
        except ValidationError as exc:
            raise ImportFailed([{"sheet": "", "row": 0, "column": "", "message": m} for m in exc.messages]) from exc
        progress(total, total)
        return {"created": sum(c["outcome"] == "created" for c in preview["changes"]),
                "updated": sum(c["outcome"] == "updated" for c in preview["changes"])}


IMPORTERS: dict[str, type[Importer]] = {
    CommunityProfileImporter.kind: CommunityProfileImporter,
    CountyReturnImporter.kind: CountyReturnImporter,
}
