"""Part 2 of hardening: separation of duties (三员分立), the protected, hash-chained audit trail."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from accounts.roles import Role
from accounts.services import role_grant
from audit.models import AuditChainHead, AuditEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("first, second", [
    (Role.CITY_ADMIN, Role.SECURITY_ADMIN), (Role.CITY_ADMIN, Role.AUDITOR), (Role.SECURITY_ADMIN, Role.AUDITOR),
    (Role.AUDITOR, Role.CITY_ADMIN), (Role.SECURITY_ADMIN, Role.CITY_ADMIN), (Role.AUDITOR, Role.SECURITY_ADMIN),
])
def test_one_person_holds_at_most_one_of_the_three_duties(first, second):
    user = make_user("duty_holder", roles=[first], department="市人社局")
    with pytest.raises(ValidationError, match="系统管理员、安全管理员和审计管理员"):
        role_grant(user=user, role=second, granted_by=None)
    assert set(user.role_assignments.values_list("role", flat=True)) == {first}


def test_other_roles_combine_freely_with_one_duty():
    user = make_user("admin_and_leader", roles=[Role.CITY_ADMIN, Role.LEADER], department="市人社局")
    assert user.has_role(Role.CITY_ADMIN, Role.LEADER)


def test_the_admin_refuses_a_second_duty_too(personas):
    from accounts.models import RoleAssignment

    assignment = RoleAssignment(user=personas["city_admin"], role=Role.AUDITOR)
    with pytest.raises(ValidationError):
        assignment.full_clean()


@pytest.mark.parametrize("persona", ["city_admin", "leader", "lead_officer", "county_a", "outsider"])
def test_only_auditors_read_the_audit_trail(client_for, persona):
    assert client_for(persona).get("/audit/").status_code == 404
    assert client_for(persona).get("/admin/audit/auditevent/").status_code in (302, 403)
    assert client_for("auditor").get("/audit/").status_code == 200


def test_a_superuser_does_not_read_the_audit_trail(db):
    from accounts.models import User

    root = User.objects.create_superuser("root", password="Root-Password-2026")
    client = Client()
    client.force_login(root)
    assert client.get("/audit/").status_code == 404


def test_nobody_changes_or_deletes_the_trail_in_the_admin(client_for):
    event = AuditEvent.objects.first()
    auditor = client_for("auditor")
    assert auditor.post(f"/admin/audit/auditevent/{event.pk}/change/", {"reason": "x"}).status_code == 403
    assert auditor.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert auditor.post("/admin/audit/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk],
                                                     "post": "yes"}).status_code in (200, 403)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- the hash chain -------------------------------------------------------------------------------

def _verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_every_write_is_chained_and_the_chain_verifies(personas):
    make_user("chained", roles=[Role.LEADER])
    last = AuditEvent.objects.order_by("-id").first()
    assert last.row_hash and len(last.row_hash) == 64
    assert AuditChainHead.objects.get(pk=1).last_hash == last.row_hash
    previous = AuditEvent.objects.filter(id__lt=last.id).order_by("-id").first()
    assert last.prev_hash == previous.row_hash
    assert "Audit chain intact" in _verify()


def test_bulk_audit_events_are_chained(personas):
    from audit.services import audit_events_bulk, changes_created
    from tasks.models import Department

    rows = [(d, AuditEvent.Action.CREATED, changes_created(d)) for d in Department.objects.all()[:5]]
    before = AuditEvent.objects.count()
    from django.utils import timezone

    audit_events_bulk(rows=rows, actor=personas["city_admin"], reason="bulk test", when=timezone.now())
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert len(new) == 5
    for a, b in zip(new, new[1:], strict=False):
        assert b.prev_hash == a.row_hash
    assert "Audit chain intact" in _verify()


def _tamper(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_altered_row_is_named(personas):
    make_user("someone", roles=[Role.LEADER])
    victim = AuditEvent.objects.order_by("id")[3]
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["改过了", victim.pk])
    with pytest.raises(CommandError, match=rf"audit event #{victim.pk} .*altered"):
        _verify()


def test_a_deleted_row_is_named_by_the_row_after_it(personas):
    make_user("someone", roles=[Role.LEADER])
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True)[:6])
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [ids[4]])
    with pytest.raises(CommandError, match=rf"audit event #{ids[5]} .*removed, added or altered"):
        _verify()


def test_removing_the_newest_rows_is_seen(personas):
    make_user("someone", roles=[Role.LEADER])
    last = AuditEvent.objects.order_by("-id").first()
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    with pytest.raises(CommandError, match="chain head does not match"):
        _verify()


def test_a_rehashed_row_still_breaks_the_next_link(personas):
    """An attacker who alters a row and recomputes its own hash breaks the link to the next row."""
    from audit.chain import event_hash

    make_user("someone", roles=[Role.LEADER])
    victim, after = AuditEvent.objects.order_by("id")[2:4]
    victim.reason = "改过了"
    forged = event_hash(victim, victim.prev_hash)
    _tamper("UPDATE audit_auditevent SET reason = %s, row_hash = %s WHERE id = %s", ["改过了", forged, victim.pk])
    with pytest.raises(CommandError, match=rf"audit event #{after.pk} "):
        _verify()


# --- PostgreSQL grants ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_update_or_delete_audit_rows():
    import psycopg2
    from psycopg2 import errors

    from tests.platform.test_services import need_service

    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    settings_dict = connection.settings_dict
    database = settings_dict["NAME"]
    role = f"{database}_app_test"[:63]
    if not AuditEvent.objects.exists():
        make_user("trail_seed", roles=[Role.LEADER])  # an audit row to try on (the database was flushed)
    call_command("db_grants", role=role, password="App-Role-Test-2026", stdout=io.StringIO())
    restricted = psycopg2.connect(dbname=database, user=role, password="App-Role-Test-2026",
                                  host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432)
    try:
        def attempt(sql: str):
            with restricted.cursor() as cursor:
                try:
                    cursor.execute(sql)
                    return "ok"
                except errors.InsufficientPrivilege:
                    return "denied"
                finally:
                    restricted.rollback()

        assert attempt("SELECT count(*) FROM audit_auditevent") == "ok"
        assert attempt("INSERT INTO audit_auditevent (occurred_at, actor_username, action, model, model_verbose_name, "
                       "object_pk, object_repr, changes, reason, prev_hash, row_hash) VALUES "
                       "(now(), 'x', 'created', 'm', 'm', '1', 'o', '[]', '', '', '')") == "ok"
        assert attempt("UPDATE audit_auditevent SET reason = 'x'") == "denied"
        assert attempt("DELETE FROM audit_auditevent") == "denied"
        assert attempt("TRUNCATE audit_auditevent") == "denied"
        # everything else the application needs it may do
        assert attempt("UPDATE audit_auditchainhead SET last_hash = last_hash") == "ok"
        assert attempt("UPDATE tasks_plan SET title = title") == "ok"
        assert attempt("DELETE FROM django_session") == "ok"
        assert attempt("CREATE TABLE sneaky (id int)") == "denied"
    finally:
        restricted.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_db_grants_refuses_a_database_other_than_postgresql():
    """The embedded default (SQLite) has no roles to grant; on PostgreSQL the vendor is stood in."""
    from unittest import mock

    with mock.patch.object(connection, "vendor", "sqlite"), pytest.raises(CommandError, match="PostgreSQL"):
        call_command("db_grants", role="app")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    import threading

    from tests.platform.test_services import need_service

    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    from accounts.models import User

    User.objects.create_user("chain_seed")  # the head exists before the race
    barrier, errors = threading.Barrier(4), []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                User.objects.create_user(f"chain_{n}_{i}", full_name=f"并发{n}-{i}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert AuditEvent.objects.filter(model="accounts.user", object_repr__startswith="并发").count() == 40
    assert "Audit chain intact" in _verify()


# ---- deferred chaining (audit.services.audit_deferred): the same events, one short hold of the head

def _department_rows(n: int):
    from audit.services import changes_created
    from tasks.models import Department

    return [(d, AuditEvent.Action.CREATED, changes_created(d)) for d in Department.objects.order_by("pk")[:n]]


def test_deferred_events_are_written_at_the_end_of_the_block_in_order_and_chained(personas):
    from django.db import transaction
    from django.utils import timezone

    from audit.services import audit_deferred, audit_events_bulk
    from tasks.models import Department

    before = AuditEvent.objects.count()
    rows = _department_rows(3)
    with transaction.atomic(), audit_deferred():
        audit_events_bulk(rows=rows, actor=personas["city_admin"], reason="deferred bulk", when=timezone.now())
        department = Department.objects.order_by("pk").first()
        department.name_en = "Deferred"
        department._change_reason = "deferred single"
        department.save()  # the history receiver's event (audit_append)
        assert AuditEvent.objects.count() == before  # nothing written yet: the head is not locked yet
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.reason for e in new] == ["deferred bulk"] * 3 + ["deferred single"]
    assert [e.object_pk for e in new[:3]] == [str(d.pk) for d, _a, _c in rows]
    assert new[3].action == AuditEvent.Action.CHANGED and {c["field"] for c in new[3].changes} == {"name_en"}
    assert new[0].actor_id == personas["city_admin"].pk and new[0].actor_username == "city_admin"
    for a, b in zip(new, new[1:], strict=False):
        assert b.prev_hash == a.row_hash
    assert AuditChainHead.objects.get(pk=1).last_hash == new[-1].row_hash
    assert "Audit chain intact" in _verify()


def test_deferred_events_of_a_change_rolled_back_to_a_savepoint_are_dropped(personas):
    from django.db import transaction
    from django.utils import timezone

    from audit.services import audit_deferred, audit_events_bulk

    before = AuditEvent.objects.count()
    with transaction.atomic(), audit_deferred():
        audit_events_bulk(rows=_department_rows(1), actor=None, reason="kept", when=timezone.now())
        try:
            with transaction.atomic():
                audit_events_bulk(rows=_department_rows(2), actor=None, reason="undone", when=timezone.now())
                raise RuntimeError
        except RuntimeError:
            pass
        audit_events_bulk(rows=_department_rows(1), actor=None, reason="kept too", when=timezone.now())
    assert [e.reason for e in AuditEvent.objects.order_by("id")[before:]] == ["kept", "kept too"]
    assert "Audit chain intact" in _verify()


def test_an_error_leaving_a_deferred_block_writes_nothing(personas):
    from django.db import transaction
    from django.utils import timezone

    from audit.services import audit_deferred, audit_events_bulk

    before, head = AuditEvent.objects.count(), AuditChainHead.objects.get(pk=1).last_hash
    with pytest.raises(RuntimeError), transaction.atomic(), audit_deferred():
        audit_events_bulk(rows=_department_rows(2), actor=None, reason="failed", when=timezone.now())
        raise RuntimeError
    assert AuditEvent.objects.count() == before
    assert AuditChainHead.objects.get(pk=1).last_hash == head
    with transaction.atomic():  # and the next block starts afresh
        audit_events_bulk(rows=_department_rows(1), actor=None, reason="after", when=timezone.now())
    assert AuditEvent.objects.order_by("-id").first().reason == "after"



def test_an_events_hash_is_the_one_every_stored_row_was_chained_with():
    """The hashed text must never change: rows already stored are verified against it
    (``audit_verify``). Hashes of fixed events, worked out by the chain as first written (each
    field encoded one by one) — the cheaper encoding of the list must give the same bytes."""
    import datetime
    from types import SimpleNamespace

    from audit.chain import canonical, event_hash

    event = SimpleNamespace(
        occurred_at=datetime.datetime(2026, 12, 1, 8, 0, 0, 123456, tzinfo=datetime.UTC), actor_username="county_a",
        action="changed", model="reports.countyreturn", model_verbose_name="县区季报", object_pk="42",
        object_repr='汉滨区 2026年第三季度 "引号"', changes=[{"field": "version", "label": "版本", "old": 1, "new": 2}],
        reason="")
    assert event_hash(event, "") == "ae524e35e5e12aa9711618ddbd3a78389000c5b66a7469fc1d7ccea4936a275c"
    assert event_hash(event, "ab" * 32, canonical(event.changes)) == (
        "0704ae507bf9dcb4763805b33b898260fd08372f04641b4c2a938438dc920326")
    event.reason, event.actor_username = "原因 \\ x", ""
    assert event_hash(event, "cd" * 32) == "b4e4e550f5993dccc2be3bf43ba08f95a3c92f72424cc5dc01d4097e84a53d24"
