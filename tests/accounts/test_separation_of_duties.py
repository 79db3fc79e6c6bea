"""三员分立 cannot be bypassed by the system administrator: only the
security administrator grants or removes the three duties and manages the accounts that hold them;
the auditors are told of any change to the audit role. Checked at the service, in every admin
path (add, change, role rows, password, delete), and by a scan for role writes elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts.models import RoleAssignment, User
from accounts.roles import SEPARATED_DUTIES, Role
from accounts.services import role_grant, role_revoke
from reports.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DUTIES = sorted(SEPARATED_DUTIES)


@pytest.fixture
def security(personas) -> User:
    return make_user("sec_admin", roles=[Role.SECURITY_ADMIN])


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial, f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000}


def _change_data(user: User, **extra) -> dict:
    return {"username": user.username, "full_name": user.full_name, "email": user.email, "department": "",
            "region": "", "is_active": "on", "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00", **extra}


# ---------------------------------------------------------------- the service

@pytest.mark.parametrize("duty", DUTIES)
def test_the_city_admin_cannot_grant_or_remove_a_duty(personas, duty):
    target = personas["outsider"]
    with pytest.raises(PermissionDenied):
        role_grant(user=target, role=duty, granted_by=personas["city_admin"])
    assert not target.role_assignments.exists()
    holder = make_user(f"holder_{duty}", roles=[duty], department="市人社局")
    with pytest.raises(PermissionDenied):
        role_revoke(user=holder, role=duty, revoked_by=personas["city_admin"])
    assert holder.role_assignments.filter(role=duty).exists()


@pytest.mark.parametrize("duty", DUTIES)
def test_the_security_admin_grants_and_removes_the_duties_and_nothing_else(personas, security, duty):
    target = personas["outsider"]
    assignment = role_grant(user=target, role=duty, granted_by=security)
    assert assignment.granted_by == security
    assert role_revoke(user=target, role=duty, revoked_by=security)
    with pytest.raises(PermissionDenied):
        role_grant(user=target, role=Role.LEADER, granted_by=security)


def test_a_superuser_grants_no_duty(personas):
    root = User.objects.create_superuser("root", password="Root-Password-2026")
    with pytest.raises(PermissionDenied):
        role_grant(user=personas["outsider"], role=Role.AUDITOR, granted_by=root)
    role_grant(user=personas["outsider"], role=Role.LEADER, granted_by=root)  # ordinary roles: yes


def test_the_operator_grants_the_first_security_admin_from_the_server(personas):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("duty_grant", "outsider", "security_admin", stdout=out)
    assert "granted" in out.getvalue() and personas["outsider"].role_assignments.filter(role="security_admin").exists()


# ---------------------------------------------------------------- the auditors are told

def test_existing_auditors_are_told_of_any_change_to_the_audit_role(personas, security):
    existing, newcomer = personas["auditor"], personas["outsider"]
    role_grant(user=newcomer, role=Role.AUDITOR, granted_by=security)
    told = Notification.objects.get(recipient=existing)
    assert told.kind == "security" and "outsider" in told.title and "审计" in told.title and "sec_admin" in told.body
    assert not Notification.objects.filter(recipient=newcomer).exists()  # not an existing auditor
    role_revoke(user=newcomer, role=Role.AUDITOR, revoked_by=security)
    assert Notification.objects.filter(recipient=existing, kind="security").count() == 2
    # other duties are not the auditors' business
    role_grant(user=make_user("new_city_admin"), role=Role.CITY_ADMIN, granted_by=security)
    assert Notification.objects.filter(recipient=existing).count() == 2


# ---------------------------------------------------------------- the admin, every path

@pytest.mark.parametrize("duty", DUTIES)
def test_adding_a_user_with_a_duty_inline_is_a_form_error_not_a_500(personas, duty):
    """Finding 6: the role row's check looked the new user's roles up by a missing id (500)."""
    response = _client(personas["city_admin"]).post("/admin/accounts/user/add/", {
        "username": "new_person", "full_name": "新同事", "department": "", "region": "",
        "password1": "Tiger.Moth.Lantern7", "password2": "Tiger.Moth.Lantern7",
        **_management("role_assignments", 1), "role_assignments-0-role": duty,
    })
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors
    assert not User.objects.filter(username="new_person").exists()


def test_a_duty_row_checks_an_unsaved_user_without_failing():
    RoleAssignment(user=User(username="not_saved_yet"), role=Role.AUDITOR).clean()


def test_the_role_rows_of_a_new_user_hold_at_most_one_duty(security, rf):
    from accounts.admin import DutyAssignmentInline

    request = rf.post("/")
    request.user = security
    inline = DutyAssignmentInline(User, __import__("django.contrib.admin", fromlist=["site"]).site)
    FormSet = inline.get_formset(request)
    formset = FormSet({**_management("role_assignments", 2), "role_assignments-0-role": Role.AUDITOR,
                       "role_assignments-1-role": Role.CITY_ADMIN}, instance=User(username="x"),
                      prefix="role_assignments")
    assert not formset.is_valid() and "不同的人" in " ".join(formset.non_form_errors())


@pytest.mark.parametrize("duty", DUTIES)
def test_the_city_admin_cannot_grant_a_duty_in_the_admin_even_with_a_forged_form(personas, duty):
    target, client = personas["outsider"], _client(personas["city_admin"])
    page = client.get(f"/admin/accounts/user/{target.pk}/change/")
    offered = page.context["inline_admin_formsets"]
    assert len(offered) == 1  # the ordinary roles only: no form for the duties at all
    assert duty not in {value for value, _label in offered[0].formset.empty_form.fields["role"].choices}
    for prefix in ("role_assignments", "role_assignments-2"):  # the ordinary rows, the duties' rows
        data = {**_management("role_assignments", 0), **_management(prefix, 1), f"{prefix}-0-role": duty}
        client.post(f"/admin/accounts/user/{target.pk}/change/", _change_data(target, **data))
        assert not target.role_assignments.exists()


def test_the_security_admin_grants_a_duty_in_the_admin_and_cannot_touch_the_account_otherwise(personas, security):
    target, client = personas["outsider"], _client(security)
    page = client.get(f"/admin/accounts/user/{target.pk}/change/")
    assert page.status_code == 200 and len(page.context["inline_admin_formsets"]) == 1
    response = client.post(f"/admin/accounts/user/{target.pk}/change/", _change_data(
        target, full_name="改名", **_management("role_assignments", 1), **{"role_assignments-0-role": Role.AUDITOR}))
    assert response.status_code == 302, response.context and response.context["errors"]
    target.refresh_from_db()
    assert target.role_assignments.get().granted_by == security
    assert target.full_name == "outsider"  # not the security admin's to change: the account held no duty
    assert Notification.objects.filter(recipient=personas["auditor"], kind="security").exists()
    assert client.get("/admin/accounts/user/add/").status_code == 403  # the city admin makes accounts


@pytest.mark.parametrize("holder", ["auditor", "city_admin", "superuser"])
def test_only_the_security_admin_resets_a_duty_holders_password(personas, security, holder):
    target = (User.objects.create_superuser("root", password="Root-Password-2026") if holder == "superuser"
              else personas[holder])
    other_city_admin = make_user("city_admin_2", roles=[Role.CITY_ADMIN], department="市人社局")
    url = f"/admin/accounts/user/{target.pk}/password/"
    new = {"password1": "Brand.New.Secret-42", "password2": "Brand.New.Secret-42", "set_usable_password": "true"}
    for city in (personas["city_admin"], other_city_admin):
        assert _client(city).get(url).status_code == 403
        assert _client(city).post(url, new).status_code == 403
    target.refresh_from_db()
    assert not target.check_password("Brand.New.Secret-42")
    assert _client(security).post(url, new).status_code == 302
    target.refresh_from_db()
    assert target.check_password("Brand.New.Secret-42")


def test_the_city_admin_resets_ordinary_accounts_and_the_security_admin_does_not(personas, security):
    page = _client(personas["city_admin"]).get(f"/admin/accounts/user/{personas['leader'].pk}/change/")
    assert b"../password/" in page.content
    url = f"/admin/accounts/user/{personas['leader'].pk}/password/"
    new = {"password1": "Brand.New.Secret-42", "password2": "Brand.New.Secret-42", "set_usable_password": "true"}
    assert _client(security).post(url, new).status_code == 403
    assert _client(personas["city_admin"]).post(url, new).status_code == 302


def test_the_city_admin_cannot_deactivate_rename_or_delete_the_auditor(personas):
    auditor, client = personas["auditor"], _client(personas["city_admin"])
    page = client.get(f"/admin/accounts/user/{auditor.pk}/change/")
    assert page.status_code == 200
    assert b"../password/" not in page.content and b"md5$" not in page.content  # no reset link, no hash
    client.post(f"/admin/accounts/user/{auditor.pk}/change/", {
        **_change_data(auditor, username="renamed"), "is_active": "", **_management("role_assignments", 0)})
    auditor.refresh_from_db()
    assert auditor.is_active and auditor.username == "auditor"
    assert client.post(f"/admin/accounts/user/{auditor.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [auditor.pk],
                                                  "post": "yes"}).status_code == 403
    assert User.objects.filter(pk=auditor.pk, is_active=True).exists()


def test_a_deactivated_auditor_stays_the_security_admins(personas, security):
    auditor = personas["auditor"]
    User.objects.filter(pk=auditor.pk).update(is_active=False)
    url = f"/admin/accounts/user/{auditor.pk}/password/"
    assert _client(personas["city_admin"]).get(url).status_code == 403
    assert _client(security).get(url).status_code == 200


def test_the_city_admin_never_reaches_the_audit_trail_by_any_of_these_paths(personas, security):
    """The finding end to end: a new account, granted the auditor role, reading and exporting."""
    city = _client(personas["city_admin"])
    city.post("/admin/accounts/user/add/", {
        "username": "shadow", "full_name": "影子", "department": "", "region": "",
        "password1": "Tiger.Moth.Lantern7", "password2": "Tiger.Moth.Lantern7",
        **_management("role_assignments", 1), "role_assignments-0-role": Role.AUDITOR})
    shadow = User.objects.filter(username="shadow").first() or make_user("shadow")
    city.post(f"/admin/accounts/user/{shadow.pk}/change/", _change_data(
        shadow, **_management("role_assignments", 1), **{"role_assignments-0-role": Role.AUDITOR}))
    reader = Client()
    reader.post("/accounts/login/", {"username": "shadow", "password": "Tiger.Moth.Lantern7"})
    assert reader.get("/audit/").status_code in (302, 404)
    assert reader.get("/audit/", {"export": "events", "format": "csv"}).status_code in (302, 404)
    assert not RoleAssignment.objects.filter(user=shadow).exists()


# ---------------------------------------------------------------- the next one of its kind

ROLE_WRITE = re.compile(r"(?<!class )RoleAssignment\s*\(|RoleAssignment\.objects\.(create|bulk_create|get_or_create|"
                        r"update_or_create|update)|role_assignments\.(create|add|set|update)|"
                        r"RoleAssignment\.objects\.filter\([^)]*\)\.(update|delete)")


def test_roles_are_written_only_by_the_accounts_services():
    """Any other code writing RoleAssignment rows would bypass the duty rule: a new path must go
    through accounts.services.role_grant / role_revoke."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "var/", "tests/", "benchmarks/")) or "/migrations/" in rel:
            continue
        if rel == "accounts/services.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_WRITE.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == [], offenders


def test_the_duty_rule_covers_every_admin_that_shows_roles():
    """Every inline over role rows is one of the two that split them by who grants them."""
    from django.contrib import admin

    from accounts.admin import DutyAssignmentInline, RoleAssignmentInline

    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            if inline.model is RoleAssignment:
                assert issubclass(inline, (RoleAssignmentInline, DutyAssignmentInline)), inline
    assert not admin.site.is_registered(RoleAssignment)


def test_the_security_admin_manages_a_duty_holders_account(personas, security):
    auditor, client = personas["auditor"], _client(security)
    assignment = auditor.role_assignments.get()
    data = {"username": "auditor", "full_name": "新审计员", "email": "", "is_active": "",
            "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00", **_management("role_assignments", 1, 1),
            "role_assignments-0-id": assignment.pk, "role_assignments-0-user": auditor.pk,
            "role_assignments-0-role": Role.AUDITOR}
    response = client.post(f"/admin/accounts/user/{auditor.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    auditor.refresh_from_db()
    assert (auditor.full_name, auditor.is_active) == ("新审计员", False)
    assert auditor.role_assignments.get().role == Role.AUDITOR  # the duty row unchanged
