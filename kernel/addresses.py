"""The client's address behind the trusted reverse proxies: one rule for the login lockout and
throttle (django-axes calls it: ``AXES_CLIENT_IP_CALLABLE``), the API's rate limit and the security
log, so that all three name the same address.

``TRUSTED_PROXY_COUNT`` proxies stand in front of gunicorn (production: 1, the documented reverse
proxy that terminates TLS). Each appends the address it was connected from to X-Forwarded-For, and
gunicorn sees the last one as REMOTE_ADDR. The client is therefore the ``TRUSTED_PROXY_COUNT``-th
address from the right of X-Forwarded-For; anything further left was written by the client itself
and is not believed. With no proxy (0, the embedded default) REMOTE_ADDR is the client and
X-Forwarded-For is ignored. A header shorter than the proxy chain, or a value that is not an IP
address, is not believed either: REMOTE_ADDR then.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
