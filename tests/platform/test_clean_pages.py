"""Issue 17 part 4: pages a person reads show no machine codes, setting names, MIME types, raw ids
or UTC microseconds."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest

from audit.display import readable_events
from audit.models import AuditEvent
from communities import pipeline
from communities.selectors import certification_counting_note
from tests.communities.test_pipeline import complete, tier, unit
from tests.reports.test_county_returns import submitted

pytestmark = pytest.mark.django_db
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def visible_text(response) -> str:
    """What a person reads: the page without its tags, attributes, scripts and styles."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]*>", " ", html)


def test_the_county_return_shows_indicator_names_not_codes(client_for):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        html = client_for("county_a").get("/reports/returns/610902000000/2024Q3/")
    html = visible_text(html)
    assert "城镇新增就业" in html
    assert "urban_new_jobs" not in html
    assert "流量（按期累计）" not in html


def test_no_setting_name_on_the_progress_page_or_in_the_counting_note(client_for):
    html = client_for("city_admin").get("/communities/progress/").content.decode()
    assert "CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER" not in html
    assert "CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER" not in certification_counting_note()


def test_evidence_is_described_by_its_kind_not_its_mime_type(personas, client_for):
    application = pipeline.application_create(community=unit(), tier=tier("municipal"), user=personas["county_a"])
    complete(application, personas["county_a"])
    html = client_for("county_a").get(f"/communities/applications/{application.pk}/").content.decode()
    assert "PDF文件" in html
    assert "application/pdf" not in html


def test_the_audit_trail_names_people_and_records_in_local_time(personas, client_for):
    submitted(personas)  # a county return: its submitter (a user id) and time change
    html = client_for("auditor").get("/audit/").content.decode()
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{6}", html), "microseconds on the page"
    assert "+00:00" not in html
    changes = [row for event in readable_events(AuditEvent.objects.filter(model="reports.countyreturn"))
               for row in event.rows]
    submitter = [new for label, _old, new in changes if label == "报送人" and new]
    assert submitter and all(str(value).startswith("county_a") for value in submitter), changes
    assert not any(isinstance(new, str) and SNAKE.fullmatch(new) for _label, _old, new in changes), changes


def test_the_audit_trail_shows_only_the_fields_that_changed(personas):
    from audit.display import _same

    county_return = submitted(personas)
    created = AuditEvent.objects.filter(model="reports.countyreturn", object_pk=str(county_return.pk),
                                        action="created").first()
    changed = AuditEvent.objects.filter(model="reports.countyreturn", object_pk=str(county_return.pk),
                                        action="changed").last()
    assert created is not None and changed is not None
    empty_at_creation = [c["field"] for c in created.changes if c["new"] in (None, "")]
    assert empty_at_creation  # stored as written (the hash chain covers it) …
    [shown] = readable_events(AuditEvent.objects.filter(pk=created.pk))
    assert all(new not in (None, "") for _label, _old, new in shown.rows)  # … but not shown
    [shown] = readable_events(AuditEvent.objects.filter(pk=changed.pk))
    assert shown.rows and all(not _same(old, new) for _label, old, new in shown.rows)
    assert len(shown.rows) <= len(changed.changes)  # a time changed within the same second is no change to read
    assert _same("1.0000", "1") and _same(None, "") and not _same(None, "0") and not _same("a", "b")
