"""Issue 17 part 4: the security administrator's admin screens (django-axes lockouts, django-otp
devices) are labelled in Chinese, times local to the second."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
ENGLISH = ["Axes", "Otp_Totp", "TOTP device", "Access attempt", "access attempt", "Failed Logins", "Attempt Time",
           "Last used at", "User Agent", "Confirmed"]


def visible(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"<[^>]*>", " ", html)


def test_the_security_admin_screens_are_in_chinese(personas, client_for):
    attempt = AccessAttempt.objects.create(username="county_a", ip_address="10.0.0.1", user_agent="x",
                                           get_data="", post_data="", http_accept="", path_info="/",
                                           failures_since_start=3)
    device = TOTPDevice.objects.create(user=personas["county_a"], name="手机")
    client = client_for("security_admin")
    pages = {
        "/admin/": ["登录失败与锁定", "动态口令设备"],
        "/admin/axes/accessattempt/": ["失败次数", "最近一次尝试时间"],
        f"/admin/axes/accessattempt/{attempt.pk}/change/": ["失败次数", "浏览器"],
        "/admin/otp_totp/totpdevice/": ["设备名称", "最近使用时间"],
        f"/admin/otp_totp/totpdevice/{device.pk}/change/": ["设备名称", "已绑定"],
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible(response)
        for label in expected:
            assert label in text, (url, label)
        for word in ENGLISH:
            assert word not in text, (url, word)
        assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d+", text), url
