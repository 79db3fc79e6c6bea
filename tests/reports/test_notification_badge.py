"""The unread notifications badge (reports/context_processors.py) counts with one written
statement (NotificationQuerySet.unread_count): the same count as the ORM's, for everyone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from reports.models import Notification


@pytest.fixture
def notes(personas):
    mine = personas["county_a"]
    for index in range(3):
        Notification.objects.create(recipient=mine, kind="due_soon", key=f"k{index}", title=f"第{index}条")
    Notification.objects.create(recipient=mine, kind="due_soon", key="read", title="已读", read_at=timezone.now())
    Notification.objects.create(recipient=personas["county_b"], kind="due_soon", key="other", title="别人的")
    return personas


@pytest.mark.parametrize("name", ["county_a", "county_b", "leader"])
def test_the_badge_counts_what_the_orm_counts(notes, name):
    user = notes[name]
    orm = Notification.objects.for_user(user).unread().count()
    assert Notification.objects.unread_count(user) == orm == {"county_a": 3, "county_b": 1, "leader": 0}[name]


def test_nobody_signed_in_has_no_unread_notifications(db):
    assert Notification.objects.unread_count(AnonymousUser()) == 0


def test_the_page_shows_the_readers_own_count(notes, client_for):
    response = client_for("county_a").get("/")
    assert response.context["unread_notifications"] == 3
    Notification.objects.filter(recipient=notes["county_a"], key="k0").update(read_at=timezone.now())
    assert client_for("county_a").get("/").context["unread_notifications"] == 2
