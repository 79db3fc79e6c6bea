"""The admin, for the city administrator: every page loads; nobody else gets in."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleAssignment, User
from audit.models import AuditEvent
from divisions.models import Region
from tasks.models import Task

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label)
# The security administrator's (tests/accounts/test_separation_of_duties.py), not the city administrator's.
SECURITY_MODELS = {AccessAttempt, TOTPDevice}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", [m for m, _ in MODEL_ADMINS if m is not AuditEvent and m not in SECURITY_MODELS], ids=lambda m: m._meta.label)
def test_every_admin_page_loads_for_the_city_admin(client_for, personas, model, rf):
    client = client_for("city_admin")
    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "changelist"), {"q": "安康"}).status_code == 200
    request = rf.get("/")
    request.user = personas["city_admin"]
    can_add = admin.site._registry[model].has_add_permission(request)
    assert client.get(_url(model, "add")).status_code == (200 if can_add else 403)
    obj = model._default_manager.first()
    if obj is not None:
        assert client.get(_url(model, "change", obj.pk)).status_code == 200
        assert client.get(_url(model, "history", obj.pk)).status_code == 200


def test_admin_index_is_chinese(client_for):
    html = client_for("city_admin").get("/admin/").content.decode()
    assert "后台管理" in html and "实施意见、任务与单位" in html and "行政区划单位" in html
    assert "审计记录" not in html  # the audit trail is the auditor's


@pytest.mark.parametrize("persona", ["lead_officer", "county_a", "leader", "outsider"])
def test_others_are_kept_out_of_the_admin(client_for, persona):
    client = client_for(persona)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403 and len(response.redirect_chain) == 1
    assert client.get(_url(Task, "changelist"), follow=True).status_code == 403


def test_anonymous_is_sent_from_the_admin_to_the_platform_login(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert "登录" in response.content.decode()


def test_auditor_sees_only_the_audit_trail_read_only(client_for):
    client = client_for("auditor")
    assert client.get(_url(AuditEvent, "changelist")).status_code == 200
    event = AuditEvent.objects.first()
    assert client.get(_url(AuditEvent, "change", event.pk)).status_code == 200
    assert client.get(_url(AuditEvent, "add")).status_code == 403
    assert client.post(_url(AuditEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert client.get(_url(Task, "changelist")).status_code == 403
    assert client_for("city_admin").get(_url(AuditEvent, "changelist")).status_code == 403


def test_task_changelist_shows_lead_and_co_departments(client_for):
    html = client_for("city_admin").get(_url(Task, "changelist"), {"q": "企业用工"}).content.decode()
    assert "建立企业用工保障机制" in html
    assert "市人社局、市教体局、市文旅广电局、市商务局、市农业农村局、市总工会" in html
    html = client_for("city_admin").get(_url(Task, "change", Task.objects.get(number=6, plan__code="ankang-2022").pk)).content.decode()
    assert "牵头单位" in html and "责任单位" in html


def test_region_changelist_filters(client_for):
    client = client_for("city_admin")
    response = client.get(_url(Region, "changelist"), {"kind__exact": "community", "county__id__exact":
                                                         Region.objects.get(name="镇坪县").pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 7


def test_city_admin_edits_a_task_and_the_change_is_audited(client_for, personas):
    client = client_for("city_admin")
    task = Task.objects.get(plan__code="ankang-2022", number=10)
    page = client.get(_url(Task, "change", task.pk))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "departments"}
    data.update({"plan": task.plan_id, "section": task.section_id, "title": "畅通市场化就业渠道（修订）"})
    inline = page.context["inline_admin_formsets"][0].formset
    data.update({f"{inline.prefix}-TOTAL_FORMS": len(inline.forms), f"{inline.prefix}-INITIAL_FORMS": len(inline.forms),
                 f"{inline.prefix}-MIN_NUM_FORMS": 0, f"{inline.prefix}-MAX_NUM_FORMS": 1000})
    for i, f in enumerate(inline.forms):
        data.update({f"{inline.prefix}-{i}-id": f.instance.pk, f"{inline.prefix}-{i}-task": task.pk,
                     f"{inline.prefix}-{i}-order": f.instance.order, f"{inline.prefix}-{i}-department": f.instance.department_id,
                     f"{inline.prefix}-{i}-role": f.instance.role})
    response = client.post(_url(Task, "change", task.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = AuditEvent.objects.filter(model="tasks.task", object_pk=str(task.pk)).first()
    assert event.actor == personas["city_admin"] and event.action == "changed"
    assert {"field": "title", "label": "title", "old": "畅通市场化就业渠道",
            "new": "畅通市场化就业渠道（修订）"}.items() <= {**event.changes[0], "label": "title"}.items()


def test_role_granted_in_the_admin_records_who_granted_it(client_for, personas):
    client = client_for("city_admin")
    user = personas["outsider"]
    response = client.post(_url(User, "change", user.pk), {
        "username": user.username, "full_name": "新同事", "email": "", "department": "", "region": "",
        "is_active": "on", "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00",
        "role_assignments-TOTAL_FORMS": 1, "role_assignments-INITIAL_FORMS": 0,
        "role_assignments-MIN_NUM_FORMS": 0, "role_assignments-MAX_NUM_FORMS": 1000,
        "role_assignments-0-role": "leader", "role_assignments-0-user": user.pk,
    })
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.granted_by) == ("leader", personas["city_admin"])
    event = AuditEvent.objects.filter(model="accounts.roleassignment").first()
    assert event.actor == personas["city_admin"] and event.action == "created"
    role_change = next(c for c in event.changes if c["field"] == "role")
    assert (role_change["label"], role_change["old"], role_change["new"]) == ("角色", None, "领导（只读）（leader）")
