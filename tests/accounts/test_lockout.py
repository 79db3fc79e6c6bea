"""Lockout and throttle: a username is locked from the address that
failed, so an outsider cannot lock a user out from their usual address; an address that fails too
often, whatever the usernames, is throttled (spraying); and every part of the platform — the
lockout, the throttle, the API's rate limit, the security log — names the same client address,
behind the trusted reverse proxy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from kernel.addresses import client_ip
from tests.accounts.test_authentication import _page_without_token, login
from tests.conftest import PASSWORD
from tests.kernel.test_security_log import security_log  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_an_outsider_cannot_lock_a_user_out_from_their_usual_address(personas):
    for _ in range(10):
        assert login(Client(), "leader", "wrong-Password-1", ip="10.66.0.1").status_code == 200
    assert login(Client(), "leader", PASSWORD, ip="10.66.0.1").status_code == 200  # locked there
    assert login(Client(), "leader", PASSWORD, ip="10.0.0.1").status_code == 302  # not from the usual address


def test_spraying_from_one_address_is_throttled_whatever_the_usernames(personas, settings, security_log):  # noqa: F811
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    sprayed = ["leader", "county_a", "county_b", "lead_officer", "co_officer", "no_such_user"]
    for username in sprayed:  # one guess per username: no username reaches the lockout
        assert login(Client(), username, "Summer-2026-guess", ip="10.66.0.2").status_code == 200
    wrong = login(Client(), "auditor", "Summer-2026-guess", ip="10.66.0.2")
    refused = login(Client(), "auditor", PASSWORD, ip="10.66.0.2")  # even the right password
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    assert _page_without_token(refused) == _page_without_token(wrong)  # says nothing of the throttle
    assert login(Client(), "auditor", PASSWORD, ip="10.66.0.3").status_code == 302  # another address: fine
    assert any(e["event"] == "login_throttled" and e["ip"] == "10.66.0.2" for e in security_log())


def test_an_office_behind_one_address_is_not_throttled_by_its_own_typos(personas, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for username in ["leader", "county_a", "county_b", "lead_officer"]:  # 16 typos in all, each set right
        for _ in range(4):
            login(Client(), username, "typo-Password-1", ip="10.8.0.1")
        assert login(Client(), username, PASSWORD, ip="10.8.0.1").status_code == 302
    assert login(Client(), "co_officer", PASSWORD, ip="10.8.0.1").status_code == 302


def test_the_defaults_are_documented_ones(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert (settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT) == (5, 20)
    assert settings.AXES_HANDLER == "accounts.security.LoginThrottleHandler"


# ---------------------------------------------------------------- one client address, behind the proxy

BEHIND_PROXY = {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "198.51.100.99, 203.0.113.7"}


@pytest.mark.parametrize("proxies, meta, expected", [
    (0, {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "10.0.0.254"),  # no proxy: not believed
    (1, {"REMOTE_ADDR": "10.0.0.254"}, "10.0.0.254"),
    (1, {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "203.0.113.7"),
    (1, BEHIND_PROXY, "203.0.113.7"),  # what the client wrote itself (198.51.100.99) is not believed
    (2, BEHIND_PROXY, "198.51.100.99"),
    (2, {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "10.0.0.254"),  # chain too short
    (1, {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "<script>"}, "10.0.0.254"),
    (1, {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
])
def test_the_client_address_rule(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_lockout_throttle_rate_limit_and_security_log_name_the_client_not_the_proxy(personas, settings,
                                                                                     security_log):  # noqa: F811
    """Finding 7: the security log recorded the proxy's address. And with the lockout per address,
    the proxy's address would put every user behind it in one lockout."""
    from api.throttling import ClientRateThrottle

    settings.TRUSTED_PROXY_COUNT = 1
    outsider = {**BEHIND_PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "leader", "password": "wrong-Password-1"}, **outsider)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    failed = [e for e in security_log() if e["event"] == "login_failed"]
    assert failed and {e["ip"] for e in failed} == {"203.0.113.66"}
    # the user, behind the same proxy, from their own address: not locked out
    ok = Client().post("/accounts/login/", {"username": "leader", "password": PASSWORD}, **BEHIND_PROXY)
    assert ok.status_code == 302
    assert next(e for e in security_log() if e["event"] == "login")["ip"] == "203.0.113.7"
    request = RequestFactory().get("/api/v1/plans/", **BEHIND_PROXY)
    request.user = None
    assert ClientRateThrottle().get_ident(request) == "203.0.113.7"


def test_production_trusts_one_proxy_and_every_layer_uses_the_one_rule():
    from tests.platform.test_settings import GOOD_PRODUCTION, run

    probe = ("import django; django.setup(); from django.conf import settings as s; "
             "print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_CLIENT_IP_CALLABLE)")
    assert run(GOOD_PRODUCTION, code=probe).stdout.split() == ["1", "1", "kernel.addresses.client_ip"]


ADDRESS_READ = re.compile(r"REMOTE_ADDR|X_FORWARDED_FOR|X-Forwarded-For", re.IGNORECASE)


def test_only_the_one_rule_reads_the_clients_address():
    """A new place that reads REMOTE_ADDR or X-Forwarded-For itself would disagree with the lockout
    about who the client is."""
    root = Path(django_settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "var/", "tests/", "benchmarks/")) or rel == "kernel/addresses.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ADDRESS_READ.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == [], offenders
