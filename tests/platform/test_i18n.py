"""Chinese first: every string of the UI has its Chinese, and the compiled catalogue is current."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def parse_po(path: Path) -> dict[str, str]:
    """msgid → msgstr (msgstr[0] for plurals), for a .po file without exotic features."""
    entries, current, key = {}, {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current:
                entries[current["msgid"]] = current.get("msgstr", current.get("msgstr[0]", ""))
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    entries.pop("", None)  # the header
    return entries


def test_every_msgid_has_chinese():
    entries = parse_po(PO)
    assert len(entries) > 150
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_compiled_catalogue_matches_the_po_file():
    entries = parse_po(PO)
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    for msgid, msgstr in entries.items():
        assert catalogue.gettext(msgid) == msgstr, f"{msgid!r}: run manage.py compilemessages"


def test_terms_table_covers_the_catalogue():
    import importlib.util

    spec = importlib.util.spec_from_file_location("zh_hans_terms", PO.parents[2] / "zh_hans_terms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries = parse_po(PO)
    assert {k: module.ZH.get(k) for k in entries} == entries
