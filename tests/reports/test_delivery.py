"""Notifications that leave the platform (issue 18, part 5): the channels each person chose, e-mail
to a real SMTP server, text messages to an HTTP gateway that fails before it answers, through the
outbox and never inside the request, and the office's delivery log."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from audit.models import AuditEvent
from kernel.sms import LocmemSmsBackend
from outbox.models import OutboxMessage
from outbox.services import outbox_relay
from reports.deliveries import DELIVER_JOB, notification_deliveries_retry
from reports.models import Notification, NotificationDelivery, NotificationPreference
from reports.notifications import notify
from reports.services import notification_preferences_save

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/reports/notifications/settings/"
LOG_URL = "/reports/deliveries/"


@pytest.fixture(autouse=True)
def sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


def choose(user, *, email="", mobile="", email_all=False, email_kinds=(), sms_all=False, sms_kinds=()):
    return notification_preferences_save(user=user, email=email, mobile=mobile, email_all=email_all,
                                         email_kinds=list(email_kinds), sms_all=sms_all, sms_kinds=list(sms_kinds))


def tell(user, *, kind="returned", key="k1", title="汉滨区2024年第三季度季度报表被退回", body="请核实失业人数"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify(users=[user], kind=kind, key=key, title=title, body=body, link="/reports/returns/610902000000/2024Q3/")
    return Notification.objects.get(recipient=user, key=key)


# ---------------------------------------------------------------- channels


def test_the_platform_only_unless_a_person_opts_in(personas, sms_outbox):
    user = personas["county_a"]
    user.email = "hanbin@example.gov.cn"
    user.save()
    tell(user)  # an address alone is not a choice
    assert Notification.objects.filter(recipient=user).count() == 1
    assert not NotificationDelivery.objects.exists() and not mail.outbox and not sms_outbox


def test_each_channel_for_the_kinds_chosen(personas, sms_outbox):
    user = personas["county_a"]
    choose(user, email="hanbin@example.gov.cn", email_kinds=["returned"], mobile="13800000001", sms_all=True)
    returned = tell(user, kind="returned", key="r")
    due = tell(user, kind="due_soon", key="d", title="2024年第三季度报送将于2024年10月10日截止")
    assert [m.to for m in mail.outbox] == [["hanbin@example.gov.cn"]]  # e-mail for 退回 only
    assert mail.outbox[0].subject == returned.title and "请核实失业人数" in mail.outbox[0].body
    assert "http://127.0.0.1:8000/reports/returns/610902000000/2024Q3/" in mail.outbox[0].body
    assert [m.phone for m in sms_outbox] == ["13800000001", "13800000001"]  # text messages for every kind
    assert sms_outbox[1].text.startswith(due.title)
    rows = NotificationDelivery.objects.order_by("pk").values_list("notification__key", "channel", "state", "attempts")
    assert list(rows) == [("r", "email", "sent", 1), ("r", "sms", "sent", 1), ("d", "sms", "sent", 1)]
    returned.refresh_from_db()
    assert returned.emailed
    tell(user, kind="returned", key="r")  # the same key again: nothing new, nothing sent twice
    assert len(mail.outbox) == 1 and len(sms_outbox) == 2


def test_a_rolled_back_change_sends_nothing(personas, sms_outbox):
    choose(personas["county_a"], mobile="13800000001", sms_all=True)
    with pytest.raises(RuntimeError), TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            notify(users=[personas["county_a"]], kind="returned", key="x", title="t")
            raise RuntimeError
    assert not sms_outbox and not NotificationDelivery.objects.exists()


def test_nothing_is_sent_inside_the_request_the_relay_sends(personas, client_for, sms_outbox):
    """汉滨区 asks for more time: the office is told in the platform; its e-mail and text message are
    outbox jobs written with the request, sent by the relay after it."""
    choose(personas["city_admin"], email="office@example.gov.cn", email_all=True, mobile="13900000002",
           sms_kinds=["extension"])
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        response = client_for("county_a").post("/reports/extensions/", {
            "action": "request", "period": "2024Q3", "until": "2024-10-30", "reason": "系统升级无法报送"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=personas["city_admin"], kind="extension").exists()
    jobs = OutboxMessage.objects.filter(job=DELIVER_JOB, sent_at=None)
    assert jobs.count() == 2  # written in the request's transaction …
    assert not mail.outbox and not sms_outbox  # … and nothing sent by it
    assert set(NotificationDelivery.objects.values_list("state", flat=True)) == {"pending"}
    assert outbox_relay() == 2
    assert [m.to for m in mail.outbox] == [["office@example.gov.cn"]] and [m.phone for m in sms_outbox] == [
        "13900000002"]
    assert set(NotificationDelivery.objects.values_list("state", flat=True)) == {"sent"}


# ---------------------------------------------------------------- e-mail to a real SMTP server


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    inbox.start, inbox.stop = controller.start, controller.stop
    yield inbox
    try:
        controller.stop()
    except (AssertionError, RuntimeError):
        pass  # already stopped


def test_an_email_reaches_a_real_smtp_server_and_a_server_down_is_retried(personas, smtp, settings):
    user = personas["county_a"]
    choose(user, email="hanbin@example.gov.cn", email_all=True)
    note = tell(user)  # the server is not started yet: connection refused
    delivery = NotificationDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("邮件服务器无法连接或未接收该邮件。") and "Connection" in delivery.last_error
    assert dt.timedelta(seconds=50) < delivery.next_attempt_at - timezone.now() <= dt.timedelta(seconds=60)
    smtp.start()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notification_deliveries_retry() == 0  # not due yet
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notification_deliveries_retry(now=timezone.now() + dt.timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2) and delivery.sent_at
    [(to, message)] = smtp.messages
    assert to == ["hanbin@example.gov.cn"]
    assert str(message["Subject"]).strip() == note.title and message["X-Ankang-Notification"] == str(note.pk)
    assert "请核实失业人数" in message.get_content()
    assert settings.DEFAULT_FROM_EMAIL.split("<")[1].rstrip(">") in message["From"]


# ---------------------------------------------------------------- SMS through an HTTP gateway


class Gateway:
    """A government SMS platform in a thread: answers each request with the next of ``script``
    (an HTTP status, or "slow" to answer after the platform's timeout), then 200 {"code": "0"}."""

    def __init__(self, script=()):
        self.script, self.requests = list(script), []
        box = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                box.requests.append((dict(self.headers), json.loads(body)))
                step = box.script.pop(0) if box.script else 200
                if step == "slow":
                    time.sleep(1.0)
                    step = 200
                self.send_response(step)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                answer = {"code": "0", "data": {"msgId": f"GW{len(box.requests)}"}} if step == 200 else {"code": "E"}
                try:
                    self.wfile.write(json.dumps(answer).encode())
                except OSError:
                    pass  # the platform hung up after its timeout

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def gateway(settings):
    box = Gateway()
    settings.SMS_BACKEND = "kernel.sms.HttpJsonSmsBackend"
    settings.SMS_GATEWAY_URL = box.url
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    settings.SMS_GATEWAY_AUTH_HEADER, settings.SMS_GATEWAY_AUTH_SCHEME = "X-Api-Token", ""
    settings.SMS_GATEWAY_TIMEOUT_SECONDS = 0.3
    # this gateway's own field names: configuration, not code
    settings.SMS_GATEWAY_BODY = {"mobiles": ["{phone}"], "content": "{text}", "bizId": "{id}", "signName": "安康人社"}
    settings.SMS_GATEWAY_SUCCESS_FIELD, settings.SMS_GATEWAY_SUCCESS_VALUES = "code", ["0"]
    settings.SMS_GATEWAY_ID_FIELD = "data.msgId"
    settings.NOTIFY_MAX_ATTEMPTS = 3
    yield box
    box.server.shutdown()
    box.server.server_close()


def retry_later(minutes: int) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        notification_deliveries_retry(now=timezone.now() + dt.timedelta(minutes=minutes))


def test_a_gateway_that_errs_then_times_out_is_retried_until_it_takes_the_message(personas, gateway):
    gateway.script = [500, "slow"]
    choose(personas["county_a"], mobile="13800000001", sms_all=True)
    started = time.monotonic()
    note = tell(personas["county_a"])
    delivery = NotificationDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.last_error == "短信平台返回错误（HTTP 500）。（HTTP 500）"
    retry_later(2)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 2)
    assert delivery.last_error.startswith("短信平台在0.3秒内未应答。") and "timed out" in delivery.last_error
    assert delivery.next_attempt_at - timezone.now() > dt.timedelta(seconds=100)  # back-off doubled
    retry_later(5)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.gateway_id) == ("sent", 3, "GW3")
    assert time.monotonic() - started < 30
    headers, body = gateway.requests[-1]
    assert body["mobiles"] == ["13800000001"] and body["signName"] == "安康人社"
    assert body["bizId"] == f"n{delivery.pk}" and body["content"].startswith(note.title)
    assert headers["X-Api-Token"] == "t0ken" and headers["X-Ankang-Signature"].startswith("v1=")
    assert [b["bizId"] for _h, b in gateway.requests] == [body["bizId"]] * 3  # the same id on every retry


def test_a_gateway_that_keeps_failing_is_recorded_failed_and_the_office_told(personas, gateway, client_for):
    gateway.script = [503, 503, 503]
    choose(personas["county_a"], mobile="13800000001", sms_all=True)
    tell(personas["county_a"])
    retry_later(2)
    retry_later(10)
    delivery = NotificationDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    retry_later(60)  # a failed delivery is not tried again
    assert len(gateway.requests) == 3
    told = Notification.objects.get(recipient=personas["city_admin"], kind="delivery")
    assert told.link == "/reports/deliveries/?state=failed"
    html = client_for("city_admin").get(LOG_URL + "?state=failed").content.decode()
    assert "失败，不再重试" in html and "13800000001" in html and "HTTP 503" in html
    assert "汉滨区2024年第三季度季度报表被退回" in html  # the message's text


def test_a_gateway_that_refuses_the_message_is_not_retried(personas, gateway):
    gateway.script = [400]
    choose(personas["county_a"], mobile="13800000001", sms_all=True)
    tell(personas["county_a"])
    delivery = NotificationDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("failed", 1) and "HTTP 400" in delivery.last_error


def test_a_refusal_in_the_answer_is_a_failure(personas, gateway, settings):
    settings.SMS_GATEWAY_SUCCESS_VALUES = ["OK"]  # this gateway says "0"; the office configured "OK"
    choose(personas["county_a"], mobile="13800000001", sms_all=True)
    tell(personas["county_a"])
    delivery = NotificationDelivery.objects.get()
    assert delivery.state == "failed" and delivery.last_error.startswith("短信平台拒绝了该短信：")


# ---------------------------------------------------------------- the settings page


def test_a_person_sets_their_channels_and_it_is_audited(personas, client_for):
    client = client_for("county_a")
    assert client.get(SETTINGS_URL).status_code == 200
    response = client.post(SETTINGS_URL, {"email": "hanbin@example.gov.cn", "mobile": "138 0000 0001",
                                          "email_kinds": ["returned", "overdue"], "sms_all": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=personas["county_a"])
    assert (preference.mobile, preference.sms_all, preference.email_all) == ("13800000001", True, False)
    assert preference.email_kinds == ["overdue", "returned"]
    personas["county_a"].refresh_from_db()
    assert personas["county_a"].email == "hanbin@example.gov.cn"
    events = AuditEvent.objects.filter(model__in=["reports.notificationpreference", "accounts.user"],
                                       actor=personas["county_a"])
    assert {e.model for e in events} == {"reports.notificationpreference", "accounts.user"}
    page = client.get(SETTINGS_URL).content.decode()
    assert 'value="13800000001"' in page and 'value="hanbin@example.gov.cn"' in page


@pytest.mark.parametrize("data, message", [
    ({"mobile": "12345678901", "sms_all": "on"}, "11位"),
    ({"mobile": "1380000000", "sms_all": "on"}, "11位"),
    ({"mobile": "+8613800000001"}, "11位"),
    ({"mobile": "138000000011"}, "11位"),
    ({"mobile": "１３８０００００００１"}, "11位"),  # full-width digits
    ({"mobile": "13800000001", "sms_kinds": ["returned", "overdue<script>"]}, "不在可用的选项中"),
    ({"email": "hanbin@", "email_all": "on"}, "电子邮箱地址"),
    ({"email": "汉滨区", "email_all": "on"}, "电子邮箱地址"),
    ({"sms_all": "on"}, "手机号码"),
    ({"sms_kinds": ["returned"]}, "手机号码"),
    ({"email_all": "on"}, "电子邮箱"),
    ({"email": "a@example.gov.cn", "email_kinds": ["nonsense"]}, "nonsense"),
    ({"email": "a@example.gov.cn", "email_kinds": ["delivery"]}, "delivery"),  # failures stay in the platform
    ({"email": "a" * 250 + "@x.cn"}, "254"),
])
def test_bad_numbers_and_addresses_are_refused_in_chinese(personas, client_for, data, message):
    response = client_for("county_a").post(SETTINGS_URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NotificationPreference.objects.exists()
    personas["county_a"].refresh_from_db()
    assert personas["county_a"].email == ""


def test_the_service_refuses_what_the_form_would(personas):
    from django.core.exceptions import ValidationError

    for kwargs in [dict(mobile="10000000000"), dict(sms_all=True), dict(email="x@", email_all=True),
                   dict(email="a@example.gov.cn", email_kinds=["nonsense"])]:
        with pytest.raises(ValidationError):
            choose(personas["county_a"], **kwargs)
    assert not NotificationPreference.objects.exists()


def test_the_delivery_log_is_the_offices(personas, client_for):
    for persona in ("county_a", "leader", "auditor", "lead_officer"):
        assert client_for(persona).get(LOG_URL).status_code == 404
    assert client_for("city_admin").get(LOG_URL + "?state=bogus&channel=x&page=zz").status_code == 200


def test_choosing_nothing_writes_nothing(personas, client_for):
    response = client_for("county_a").post(SETTINGS_URL, {})
    assert response.status_code == 302
    assert not NotificationPreference.objects.exists()
    assert not AuditEvent.objects.filter(model="reports.notificationpreference").exists()


def test_the_office_sees_failed_deliveries_on_its_landing_page(personas, gateway, client_for):
    gateway.script = [400]
    choose(personas["county_a"], mobile="13800000001", sms_all=True)
    tell(personas["county_a"])
    html = client_for("city_admin").get("/reports/my/").content.decode()
    assert "未能通过邮件或短信发出的通知" in html and "/reports/deliveries/?state=failed" in html
    assert "未能通过邮件或短信发出的通知" not in client_for("leader").get("/reports/my/").content.decode()


def test_a_backend_that_breaks_is_recorded_and_retried_not_lost(personas, settings):
    settings.SMS_BACKEND = "kernel.sms.NoSuchBackend"  # a misconfiguration
    choose(personas["county_a"], mobile="13800000001", sms_all=True)
    tell(personas["county_a"])
    delivery = NotificationDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1) and delivery.next_attempt_at
    assert delivery.last_error.startswith("发送时出现意外错误。")
    settings.SMS_BACKEND = "kernel.sms.LocmemSmsBackend"
    retry_later(2)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
