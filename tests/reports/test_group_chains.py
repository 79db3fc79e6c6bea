"""Issue 16: the members of 市重点产业链牵头单位 are shown with the chain each leads, where the group's
members are listed (the lead's task report page, the member's own page) and configured (the
admin's department page and list)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from accounts.roles import Role
from tests.conftest import make_user
from tests.reports.test_compilation import dept, selenium_client

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 10, 12)


@pytest.fixture
def group():
    group = dept("市重点产业链牵头单位")
    for name, chain in (("市工信局", "新型材料"), ("市富硒办", "富硒食品")):
        member = dept(name)
        member.chain = chain
        member.save()
        group.members.add(member)
    return group


def test_the_lead_and_the_member_see_each_member_with_its_chain(group, client_for):
    selenium = make_user("selenium", roles=[Role.DEPT_OFFICER], department="市富硒办")
    with mock.patch("django.utils.timezone.localdate", return_value=DAY):
        lead_page = client_for("lead_officer").get("/reports/tasks/2/2024Q3/").content.decode()
        member_page = selenium_client(selenium).get("/reports/tasks/2/2024Q3/").content.decode()
    for page in (lead_page, member_page):
        assert "成员（牵头产业链）：市工信局（新型材料）、市富硒办（富硒食品）" in page


def test_the_admin_lists_and_offers_members_with_their_chains(group, client_for):
    admin = client_for("city_admin")
    listing = admin.get("/admin/tasks/department/?q=产业链").content.decode()
    assert "市工信局（新型材料）、市富硒办（富硒食品）" in listing
    form = admin.get(f"/admin/tasks/department/{group.pk}/change/").content.decode()
    assert "市富硒办（富硒食品）" in form and 'name="chain"' in form
    member = dept("市富硒办")
    response = admin.post(f"/admin/tasks/department/{member.pk}/change/", {
        "name": member.name, "name_en": member.name_en, "full_name": member.full_name, "kind": member.kind,
        "chain": "富硒食品、生物医药", "order": member.order, "is_active": "on",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.chain == "富硒食品、生物医药" and member.history.first().chain == "富硒食品、生物医药"
