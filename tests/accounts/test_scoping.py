"""Who sees what: scoping lives on each model's queryset and every page inherits it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from audit.models import AuditEvent
from divisions.models import Region
from targets.models import Target
from tasks.models import Department, Plan, Responsibility, Section, Task

PLAN_MODELS = [Plan, Section, Task, Department, Responsibility, Target, Region]


@pytest.mark.parametrize("model", PLAN_MODELS, ids=lambda m: m.__name__)
def test_outsider_and_anonymous_see_nothing(personas, model):
    for user in (personas["outsider"], AnonymousUser()):
        assert model.objects.for_user(user).count() == 0
        assert model.objects.editable_by(user).count() == 0
    assert User.objects.for_user(AnonymousUser()).count() == 0
    assert list(User.objects.for_user(personas["outsider"])) == [personas["outsider"]]


@pytest.mark.parametrize("model", PLAN_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("persona", ["city_admin", "lead_officer", "co_officer", "county_a", "leader"])
def test_plan_readers_see_all_plan_data(personas, persona, model):
    assert model.objects.for_user(personas[persona]).count() == model.objects.count() > 0


@pytest.mark.parametrize("model", [Plan, Section, Task, Department, Responsibility, Target], ids=lambda m: m.__name__)
def test_only_the_city_admin_edits_plan_data(personas, model):
    assert model.objects.editable_by(personas["city_admin"]).count() == model.objects.count()
    for persona in ["lead_officer", "co_officer", "county_a", "leader", "auditor"]:
        assert model.objects.editable_by(personas[persona]).count() == 0


def test_auditor_reads_the_audit_trail_only(personas):
    auditor = personas["auditor"]
    assert Plan.objects.for_user(auditor).count() == 0
    assert AuditEvent.objects.for_user(auditor).count() == AuditEvent.objects.count() > 0
    for persona in ["city_admin", "leader", "county_a", "outsider"]:
        assert AuditEvent.objects.for_user(personas[persona]).count() == 0
    assert AuditEvent.objects.editable_by(auditor).count() == 0


def test_county_officer_edits_only_their_own_county(personas):
    county_a, hanbin = personas["county_a"], Region.objects.get(name="汉滨区", level="county")
    editable = Region.objects.editable_by(county_a)
    assert editable.count() == 28 + 423 + 106
    assert not editable.exclude(county=hanbin).exists()
    assert not editable.filter(pk=hanbin.pk).exists()  # not the county row itself
    assert not Region.objects.editable_by(personas["county_b"]).filter(county=hanbin).exists()
    assert Region.objects.editable_by(personas["leader"]).count() == 0


def test_user_scoping(personas):
    assert User.objects.for_user(personas["city_admin"]).count() == User.objects.count()
    assert User.objects.for_user(personas["leader"]).count() == User.objects.count()
    colleague = User.objects.create_user("hanbin_2", region=personas["county_a"].region)
    seen_by_a = set(User.objects.for_user(personas["county_a"]))
    assert seen_by_a == {personas["county_a"], colleague}
    assert personas["county_b"] not in seen_by_a
    assert set(User.objects.for_user(personas["lead_officer"])) == {personas["lead_officer"]}
    assert User.objects.editable_by(personas["leader"]).count() == 0
    # 三员分立: the city administrator changes every account but those holding one of the three
    # duties, which are the security administrator's (tests/accounts/test_separation_of_duties.py)
    duty_holders = {personas["city_admin"], personas["auditor"], personas["security_admin"]}
    assert set(User.objects.editable_by(personas["city_admin"])) == set(User.objects.all()) - duty_holders
    from tests.conftest import make_user

    security = make_user("sec_admin", roles=[Role.SECURITY_ADMIN])
    assert set(User.objects.editable_by(security)) == duty_holders | {security}


def test_inactive_user_has_no_roles(personas):
    leader = personas["leader"]
    leader.is_active = False
    leader.save()
    leader = User.objects.get(pk=leader.pk)
    assert Plan.objects.for_user(leader).count() == 0


def test_role_needs_its_affiliation(personas):
    from django.core.exceptions import ValidationError

    from accounts.services import role_grant

    with pytest.raises(ValidationError):
        role_grant(user=personas["outsider"], role="county_officer", granted_by=None)
    with pytest.raises(ValidationError):
        role_grant(user=personas["outsider"], role="dept_officer", granted_by=None)
    assert not RoleAssignment.objects.filter(user=personas["outsider"]).exists()
