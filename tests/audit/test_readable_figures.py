"""The audit trail names a figure by its indicator, unit, quarter and item, and a service's coded
reason in words (issue 17: no machine codes on pages people read)."""

from __future__ import annotations

import pytest

from tests.targets_helpers import record

pytestmark = pytest.mark.django_db


def test_a_figure_in_the_audit_trail_reads_as_words(client_for, personas):
    record("urban_new_jobs", "汉滨区", "2024Q4", value=1500)
    html = client_for("auditor").get("/audit/?model=targets.indicatorvalue").content.decode()
    assert "城镇新增就业" in html and "汉滨区 · 2024年第四季度" in html and "1500" in html
    assert "urban_new_jobs" not in html and "values_bulk_record" not in html
    assert "保存数据" in html
