"""Editing a plan in the admin: the plan with its sections and tasks, each task's units, the
targets with their quota sets — the city administrator's, audited; the plan's period follows the
successor-plan import's rule."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory

from audit.models import AuditEvent
from targets.models import Target
from tasks.models import Plan, Section, Task

pytestmark = pytest.mark.django_db


def _form(user, **data):
    request = RequestFactory().get("/admin/")
    request.user = user
    form_class = admin.site._registry[Plan].get_form(request, obj=None)
    base = {"code": "ankang-2026", "doc_number": "安政办发〔2026〕1号", "title": "后续规划", "issuer": "安康市人民政府办公室",
            "period_start": "2026-01-01", "period_end": "2030-12-31"}
    return form_class(data={**base, **data})


def test_the_admin_pages_of_a_plan_and_its_targets_open(client_for, plan):
    client = client_for("city_admin")
    page = client.get(f"/admin/tasks/plan/{plan.pk}/change/")
    assert page.status_code == 200 and "创新智慧就业服务内容" in page.content.decode()  # the tasks inline
    target = Target.objects.filter(plan=plan).first()
    assert client.get(f"/admin/targets/target/{target.pk}/change/").status_code == 200
    task = Task.objects.get(plan=plan, number=6)
    assert client.get(f"/admin/tasks/task/{task.pk}/change/").status_code == 200
    assert client_for("leader").get(f"/admin/tasks/plan/{plan.pk}/change/").status_code in (302, 403)


def test_the_plan_form_applies_the_period_rule(personas):
    admin_user = personas["city_admin"]
    assert _form(admin_user).is_valid()
    overlapping = _form(admin_user, period_start="2025-07-01")
    assert not overlapping.is_valid() and "重叠" in " ".join(overlapping.errors["period_start"])
    not_quarters = _form(admin_user, period_start="2026-02-01")
    assert not not_quarters.is_valid() and "整季度" in " ".join(not_quarters.errors["period_start"])
    assert _form(admin_user, code="youth-2025", period_start="2025-07-01").is_valid()  # another series


def test_a_task_or_target_cannot_point_into_another_plan(plan):
    from django.core.exceptions import ValidationError

    from seeding.plan import plan_clone

    other = plan_clone(source=plan, code="ankang-2026", title="后续", doc_number="x",
                       period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2030, 12, 31))
    task = Task.objects.get(plan=other, number=1)
    task.section = Section.objects.filter(plan=plan).first()
    with pytest.raises(ValidationError):
        task.full_clean()
    target = Target.objects.get(plan=other, code="internship_posts_per_year")
    target.task = Task.objects.get(plan=plan, number=14)
    with pytest.raises(ValidationError):
        target.full_clean()


def test_an_admin_edit_is_audited(client_for, plan):
    client = client_for("city_admin")
    section = Section.objects.filter(plan=plan).first()
    response = client.get(f"/admin/tasks/section/{section.pk}/change/")
    assert response.status_code == 200
    data = {"plan": plan.pk, "key": section.key, "ordinal": section.ordinal, "title": section.title + "（修订）",
            "title_en": section.title_en, "kind": section.kind, "text": section.text, "order": section.order,
            "parent": section.parent_id or ""}
    response = client.post(f"/admin/tasks/section/{section.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(model="tasks.section", object_pk=str(section.pk), action="changed").latest("pk")
    assert event.actor.username == "city_admin" and any(c["new"].endswith("（修订）") for c in event.changes)
