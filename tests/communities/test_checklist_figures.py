"""Issue 16, integrity rules for the certification checklist's figures: counts of people and
households are whole numbers and not above the community's size in the registry, a percentage is
at most 100 — through the application page's form, the import of applications, and the pipeline
service both call."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from communities import pipeline
from communities.models import Application
from divisions.models import CommunityProfile
from imports.models import ImportBatch
from tests.communities.test_pipeline import tier, unit
from tests.imports.test_kinds import APPLICATION_HEADER, application_rows, upload_applications
from tests.imports_helpers import villages

pytestmark = pytest.mark.django_db


def answers_for(application, **values) -> dict[int, dict]:
    checks = {c.criterion.code: c.criterion_id for c in application.checks.select_related("criterion")}
    return {checks[code]: {"value": value} for code, value in values.items()}


def opened(personas, community=None) -> Application:
    return pipeline.application_create(community=community or unit(), tier=tier("municipal"),
                                       user=personas["county_a"])


def save(application, personas, **values) -> Application:
    return pipeline.application_checklist_save(application=application, answers=answers_for(application, **values),
                                               summary="", version=application.version, user=personas["county_a"])


@pytest.mark.parametrize(("code", "value", "says"), [
    ("registered_unemployed", "12.5", "整数"),            # people
    ("zero_employment_households", "0.5", "整数"),        # households
    ("assistance_rate", "100.5", "100"),                 # a percentage
    ("registered_unemployed", "-1", "不是可以录入的数值"),
])
def test_a_checklist_figure_that_breaks_a_rule_is_refused_and_nothing_written(code, value, says, personas):
    application = opened(personas)
    with pytest.raises(ValidationError, match=says) as refused:
        save(application, personas, **{code: value})
    if says == "整数":
        assert unit().name in " ".join(refused.value.messages)  # the unit, the figure and the reason
        assert value in " ".join(refused.value.messages)
    application.refresh_from_db()
    assert application.version == 1
    assert not application.checks.filter(value__isnull=False).exists()


def test_a_percentage_may_have_decimals_and_counts_within_the_size_are_kept(personas):
    community = unit()
    CommunityProfile.objects.update_or_create(region=community, defaults={"population": 900, "households": 300})
    application = save(opened(personas, community), personas, registered_unemployed="900",
                       zero_employment_households="0", assistance_rate="99.5")
    values = {c.criterion.code: c.value for c in application.checks.select_related("criterion")}
    assert values == {"registered_unemployed": Decimal("900.00"), "zero_employment_households": Decimal("0.00"),
                      "assistance_rate": Decimal("99.50"), **{k: None for k in values if k not in (
                          "registered_unemployed", "zero_employment_households", "assistance_rate")}}


@pytest.mark.parametrize(("code", "value", "size"), [("registered_unemployed", "901", "900"),
                                                     ("zero_employment_households", "301", "300")])
def test_a_count_above_the_registrys_size_is_refused(code, value, size, personas):
    community = unit()
    CommunityProfile.objects.update_or_create(region=community, defaults={"population": 900, "households": 300})
    with pytest.raises(ValidationError, match=size):
        save(opened(personas, community), personas, **{code: value})


def test_the_page_refuses_a_fractional_count(personas, client_for):
    application = opened(personas)
    criterion = application.checks.get(criterion__code="registered_unemployed").criterion_id
    data = {"action": "save", "version": application.version, "summary": "做法"}
    for check in application.checks.all():
        data.update({f"met_{check.criterion_id}": "", f"value_{check.criterion_id}": "",
                     f"note_{check.criterion_id}": ""})
    data[f"value_{criterion}"] = "3.5"
    response = client_for("county_a").post(f"/communities/applications/{application.pk}/", data)
    assert response.status_code == 400 and "整数" in response.content.decode()
    assert not Application.objects.get(pk=application.pk).checks.filter(value__isnull=False).exists()
    data[f"value_{criterion}"] = "3"
    response = client_for("county_a").post(f"/communities/applications/{application.pk}/", data)
    assert response.status_code == 302, response.content.decode()
    assert Application.objects.get(pk=application.pk).checks.get(criterion_id=criterion).value == 3


def test_the_import_refuses_a_fractional_count_by_sheet_row_and_column(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    regions = villages("汉滨区", 3)
    rows = application_rows(regions)
    rows[1][7] = "2.5"       # 登记失业人员, column H
    rows[2][9] = "120"       # 就业困难人员援助率, column J
    batch = upload_applications(personas["county_a"], [APPLICATION_HEADER] + rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "H"), (4, "J")]
    assert "整数" in batch.errors[0]["message"] and regions[1].name in batch.errors[0]["message"]
    assert not Application.objects.exists()
