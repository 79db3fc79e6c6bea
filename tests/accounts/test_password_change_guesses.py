"""Old-password guesses on the password-change page (issue 15, finding 8): each wrong old password
is a failed login — counted by the login's own lockout (username from that address) and throttle
(the address), and logged; once locked, the session ends and signing in again is refused too."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.accounts.test_authentication import login
from tests.conftest import PASSWORD
from tests.kernel.test_security_log import security_log  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

NEW = "汉江水清-anKang2027"


def signed_in(ip: str) -> Client:
    client = Client(REMOTE_ADDR=ip)
    assert login(client, "leader", PASSWORD, ip=ip).status_code == 302
    return client


def guess(client: Client, old: str, ip: str):
    return client.post("/accounts/password/", {"old_password": old, "new_password1": NEW, "new_password2": NEW},
                       REMOTE_ADDR=ip)


def test_wrong_old_passwords_are_counted_and_logged_like_failed_logins(personas, security_log):  # noqa: F811
    client = signed_in("10.70.0.1")
    for _ in range(2):
        response = guess(client, "wrong-Password-1", "10.70.0.1")
        assert response.status_code == 200 and "旧密码" in response.content.decode()
    attempt = AccessAttempt.objects.get(username="leader", ip_address="10.70.0.1")
    assert attempt.failures_since_start == 2
    failed = [e for e in security_log() if e["event"] == "password_change_failed"]
    assert len(failed) == 2 and failed[0]["user"] == "leader" and failed[0]["ip"] == "10.70.0.1"
    assert "wrong-Password-1" not in str(security_log())
    assert "wrong-Password-1" not in attempt.post_data and NEW not in attempt.post_data  # masked in axes' rows


def test_the_fifth_wrong_guess_ends_the_session_and_the_lockout_holds(personas, security_log):  # noqa: F811
    client = signed_in("10.70.0.2")
    for _ in range(4):
        assert guess(client, "wrong-Password-1", "10.70.0.2").status_code == 200
    fifth = guess(client, "wrong-Password-1", "10.70.0.2")
    assert fifth.status_code == 302 and "/accounts/login/" in fifth["Location"]
    assert "_auth_user_id" not in client.session  # signed out
    # the right old password no longer helps: the session is gone and the login is locked there
    assert guess(client, PASSWORD, "10.70.0.2").status_code == 302
    assert login(Client(), "leader", PASSWORD, ip="10.70.0.2").status_code == 200  # locked from there
    personas["leader"].refresh_from_db()
    assert personas["leader"].check_password(PASSWORD)  # never changed
    assert any(e["event"] == "password_change_locked" for e in security_log())


def test_a_session_from_a_locked_address_cannot_change_the_password(personas):
    client = signed_in("10.70.0.3")
    for _ in range(5):
        login(Client(), "leader", "wrong-Password-1", ip="10.70.0.3")  # locked on the login page
    response = guess(client, PASSWORD, "10.70.0.3")
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    personas["leader"].refresh_from_db()
    assert personas["leader"].check_password(PASSWORD)


def test_the_right_old_password_still_changes_it(personas):
    client = signed_in("10.70.0.4")
    guess(client, "wrong-Password-1", "10.70.0.4")
    assert guess(client, PASSWORD, "10.70.0.4").status_code == 302
    personas["leader"].refresh_from_db()
    assert personas["leader"].check_password(NEW)
