"""The labour-brand import (task 11): a county officer's file of their county's brands, one row
each — name, work type, year recognised, workers employed, note. Each row is checked by
brands.services.labour_brand_check (the page's rules) in the preview and written by
labour_brand_save with the version the preview read; a brand of that name in the county is
changed, a new name added; brands the file does not name are left alone. All or nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.scoping import officer_county_id
from brands.models import LabourBrand
from brands.services import labour_brand_check, labour_brand_save

from .kinds import IMPORTERS, Importer, ImportFailed, Progress
from .reading import FULL_WIDTH, CellError, Table

KIND = "labour_brands"


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


class LabourBrandImporter(Importer):
    kind = KIND
    columns = {
        "name": (("品牌名称", "劳务品牌", "名称", "brand name", "name"), True),
        "work_type": (("工种", "从业工种", "work type", "work_type"), True),
        "year_recognised": (("认定年份", "年份", "year recognised", "year_recognised"), True),
        "workers_employed": (("带动就业人数", "从业人数", "workers employed", "workers_employed"), True),
        "note": (("备注", "note"), False),
    }

    def _county(self):
        county = self.batch.scope_region
        if county is None or officer_county_id(self.user) != county.pk:
            raise PermissionDenied
        return county

    def preview(self, table: Table) -> dict:
        county = self._county()
        cols, errors = self.map_columns(table)
        if errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        existing = {b.name: b for b in LabourBrand.objects.filter(county=county)}
        changes, unchanged, seen = [], 0, {}
        for number, cells in table.rows:
            raw = {f: _text(self.cell(cells, cols.get(f))) for f in self.columns}
            raw["year_recognised"] = raw["year_recognised"].translate(FULL_WIDTH)
            raw["workers_employed"] = raw["workers_employed"].translate(FULL_WIDTH).replace(",", "")
            if not any(raw.values()):
                continue
            brand = existing.get(raw["name"])
            if raw["name"] in seen:
                errors.append(CellError(table.sheet, number, self.letter(cols["name"]), _(
                    "%(name)s is also on row %(row)s") % {"name": raw["name"], "row": seen[raw["name"]]}))
                continue
            seen[raw["name"]] = number
            try:
                name, work_type, year, workers = labour_brand_check(
                    name=raw["name"], work_type=raw["work_type"], county=county, year_recognised=raw["year_recognised"],
                    workers_employed=raw["workers_employed"], exclude_pk=brand.pk if brand else None)
            except ValidationError as exc:
                message = " ".join(exc.messages)
                column = next((f for f, words in (("year_recognised", ("年份", "year")),
                                                  ("workers_employed", ("人数", "worker"))) if any(
                    w in message for w in words)), "name")
                errors.append(CellError(table.sheet, number, self.letter(cols.get(column)), message))
                continue
            new = {"name": name, "work_type": work_type, "year_recognised": year, "workers_employed": workers,
                   "note": raw["note"][:300]}
            if brand is not None:
                old = {"name": brand.name, "work_type": brand.work_type, "year_recognised": brand.year_recognised,
                       "workers_employed": brand.workers_employed, "note": brand.note}
                if old == new:
                    unchanged += 1
                    continue
            changes.append({"row": number, "outcome": "updated" if brand else "created", "code": county.name,
                            "name": name, "brand": brand.pk if brand else None,
                            "version": brand.version if brand else None, "values": new,
                            "old": _short(old) if brand else None, "new": _short(new)})
        return {"changes": changes, "unchanged": unchanged, "errors": [e.as_dict() for e in errors]}

    def apply(self, preview: dict, *, progress: Progress) -> dict:
        county, sheet = self._county(), preview.get("sheet", "")
        for done, change in enumerate(preview["changes"], start=1):
            brand = LabourBrand.objects.filter(pk=change["brand"]).first() if change["brand"] else None
            try:
                if change["brand"] and brand is None:
                    raise ValidationError(_("it was removed after your preview"))
                labour_brand_save(brand=brand, county=county, user=self.user, version=change["version"],
                                  **change["values"])
            except (ValidationError, PermissionDenied) as exc:
                raise ImportFailed([{"sheet": sheet, "row": change["row"], "column": "", "message": _(
                    "%(name)s: %(detail)s") % {"name": change["name"], "detail": " ".join(
                        getattr(exc, "messages", None) or [_("not allowed")])}}]) from exc
            progress(done, len(preview["changes"]))
        return {"created": sum(c["outcome"] == "created" for c in preview["changes"]),
                "updated": sum(c["outcome"] == "updated" for c in preview["changes"])}


def _short(values: dict) -> str:
    return f"{values['work_type']} · {values['year_recognised']}年 · {values['workers_employed']}人"


IMPORTERS[KIND] = LabourBrandImporter
