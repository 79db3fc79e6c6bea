"""Issue 17 part 4: every label of the administration in Chinese for the security administrator —
the lockouts (django-axes) and second-factor devices (django-otp) included, their unlock and reset
confirmations too — and the lockout and second-factor screens a person meets at login."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.test import Client, override_settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NAMES = {"security_admin", "city_admin", "county_a", "x", "ua", "phone"}  # usernames and data typed by people


def english_in(response, names=frozenset()) -> set[str]:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    text = htmllib.unescape(re.sub(r"<[^>]*>", " ", text))
    assert "TOTP" not in text
    return {word for word in re.findall(r"[A-Za-z][A-Za-z’'_:-]{2,}(?: [A-Za-z][A-Za-z’'_:-]+)*", text)
            if word not in NAMES | names and not re.fullmatch(r"[A-Z2-7]+", word)}  # a second-factor key (base32) is data


def test_the_security_administration_is_in_chinese(client_for, personas):
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    attempt = AccessAttempt.objects.create(username="x", ip_address="1.2.3.4", failures_since_start=5, user_agent="ua",
                                           path_info="/accounts/login/", get_data="", post_data="")
    device = TOTPDevice.objects.create(user=personas["city_admin"], name="phone")
    client = client_for("security_admin")
    pages = ["/admin/", "/admin/axes/accessattempt/", f"/admin/axes/accessattempt/{attempt.pk}/change/",
             f"/admin/axes/accessattempt/{attempt.pk}/delete/", "/admin/otp_totp/totpdevice/",
             f"/admin/otp_totp/totpdevice/{device.pk}/change/", f"/admin/otp_totp/totpdevice/{device.pk}/delete/",
             "/admin/accounts/user/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not english_in(response, set(personas)), (url, english_in(response, set(personas)))
    assert "Attempted Access" not in client.get(f"/admin/axes/accessattempt/{attempt.pk}/delete/").content.decode()


def test_the_add_user_page_of_the_office_is_in_chinese(client_for):
    response = client_for("city_admin").get("/admin/accounts/user/add/")
    assert response.status_code == 200
    assert "edit more user options" not in response.content.decode()
    assert "Model name" not in response.content.decode()


def test_the_lockout_and_second_factor_screens_are_in_chinese(personas, client):
    for _attempt in range(6):
        response = client.post("/accounts/login/", {"username": "county_a", "password": "wrong"})
    assert response.status_code == 200 and not english_in(response), english_in(response)
    with override_settings(OTP_REQUIRED=True):
        other = Client()
        response = other.post("/accounts/login/", {"username": "city_admin", "password": PASSWORD}, follow=True)
        assert response.redirect_chain[-1][0].startswith("/accounts/otp/")
        assert not english_in(response), english_in(response)
        response = other.post(response.redirect_chain[-1][0].split("?")[0], {"token": "abc"})
        assert not english_in(response), english_in(response)
