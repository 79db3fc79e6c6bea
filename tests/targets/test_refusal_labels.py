"""A refused figure is named as users know it — the indicator and component names, never a code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.targets_helpers import county, record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code, components, expected", [
    ("urban_new_jobs", {"value": -1}, "城镇新增就业"),
    ("urban_new_jobs", {"value": "abc"}, "城镇新增就业"),
    ("registered_unemployment_rate", {"registered_unemployed": 5}, "登记失业"),
])
def test_a_refusal_names_components_not_codes(code, components, expected):
    with pytest.raises(ValidationError) as caught:
        record(code, county("汉滨区"), "2024Q1", **components)
    message = " ".join(caught.value.messages)
    assert expected in message
    for component_code in ("value", "registered_unemployed", "urban_labour_force"):
        assert component_code not in message, message
