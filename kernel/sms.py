"""Sending a text message (SMS) through a pluggable gateway backend, as Django sends e-mail.

``settings.SMS_BACKEND`` is the dotted path of a backend class; the platform calls
``sms_send(phone=…, text=…, message_id=…)`` and nothing else. Government SMS platforms differ in
their URL, their authentication and the names of their JSON fields, so the generic
``HttpJsonSmsBackend`` is configured, not coded: the body is a template whose placeholders are
filled in, the token goes in a header of the configured name, and what counts as success is a
status range plus, optionally, a field of the answer. The contract is written in
docs/notifications.md. A gateway that needs more than configuration gets a backend class of its
own (subclass ``BaseSmsBackend``) named in ``SMS_BACKEND``: no change to the platform.

Embedded default: ``FileSmsBackend`` writes each message to ``SMS_FILE_PATH`` (var/outbox-sms/)
so a newcomer can read what would have gone out; ``ConsoleSmsBackend`` prints it; the tests use
``LocmemSmsBackend``. Nothing here knows the domain.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

# Mainland China mobile numbers: 11 digits, 1 then 3–9 (the numbering plan's mobile prefixes).
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits: \d takes full-width ones too


@dataclass(frozen=True)
class SmsMessage:
    message_id: str  # stable across retries: the gateway may use it to drop a duplicate
    phone: str
    text: str


class SmsError(Exception):
    """The gateway did not take the message. ``retryable``: worth another attempt later (a timeout,
    a refused connection, 5xx, 408/429); otherwise the request itself is wrong (other 4xx, a refusal
    in the answer) and retrying will not help."""

    # what went wrong, for a message people read: timeout, unreachable, status, refused, config
    def __init__(self, message: str, *, retryable: bool = True, status: int | None = None, kind: str = "unreachable",
                 detail: str = ""):
        super().__init__(message)
        self.retryable, self.status, self.kind, self.detail = retryable, status, kind, detail


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> str:
        """Send one message; return the gateway's id for it ('' if none). Raise SmsError."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> str:
        print(f"[SMS] to {message.phone} (#{message.message_id}): {message.text}", flush=True)  # noqa: T201
        return ""


class FileSmsBackend(BaseSmsBackend):
    """One UTF-8 text file per message in ``SMS_FILE_PATH``, named by time and message id."""

    def send(self, message: SmsMessage) -> str:
        directory = Path(settings.SMS_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        safe_id = re.sub(r"[^\w.-]", "_", message.message_id)
        path = directory / f"{stamp}-{safe_id}.txt"
        path.write_text(f"To: {message.phone}\nId: {message.message_id}\n\n{message.text}\n", encoding="utf-8")
        return path.name


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps the messages in ``LocmemSmsBackend.outbox`` (tests)."""

    outbox: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> str:
        type(self).outbox.append(message)
        return f"locmem-{len(type(self).outbox)}"


def _fill(template, values: dict[str, str]):
    """The body template with ``{phone}``, ``{text}``, ``{id}``, ``{timestamp}`` filled in, in every
    string of nested dicts and lists; other values (numbers, booleans) are kept as they are."""
    if isinstance(template, str):
        out = template
        for key, value in values.items():
            out = out.replace("{" + key + "}", value)
        return out
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


def _field(answer, path: str):
    for part in path.split("."):
        if not isinstance(answer, dict) or part not in answer:
            return None
        answer = answer[part]
    return answer


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpJsonSmsBackend(BaseSmsBackend):
    """POST a JSON body to ``SMS_GATEWAY_URL`` (docs/notifications.md, "The SMS gateway contract")."""

    def __init__(self) -> None:
        self.url = settings.SMS_GATEWAY_URL
        self.token = settings.SMS_GATEWAY_TOKEN
        self.timeout = settings.SMS_GATEWAY_TIMEOUT_SECONDS
        self.body_template = settings.SMS_GATEWAY_BODY
        self.auth_header = settings.SMS_GATEWAY_AUTH_HEADER
        self.auth_scheme = settings.SMS_GATEWAY_AUTH_SCHEME
        self.success_field = settings.SMS_GATEWAY_SUCCESS_FIELD
        self.success_values = {str(v) for v in settings.SMS_GATEWAY_SUCCESS_VALUES}
        self.id_field = settings.SMS_GATEWAY_ID_FIELD
        self._opener = urllib.request.build_opener(_NoRedirects)

    def headers(self, body: bytes, timestamp: int) -> dict[str, str]:
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "ankang-jobs-sms/1",
                   "X-Ankang-Timestamp": str(timestamp)}
        if self.token:
            headers[self.auth_header] = f"{self.auth_scheme} {self.token}".strip()
            digest = hmac.new(self.token.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
            headers["X-Ankang-Signature"] = f"v1={digest}"
        return headers

    def send(self, message: SmsMessage) -> str:
        if not self.url:
            raise SmsError("SMS_GATEWAY_URL is not set", retryable=False, kind="config")
        timestamp = int(time.time())
        payload = _fill(self.body_template, {"phone": message.phone, "text": message.text,
                                             "id": message.message_id, "timestamp": str(timestamp)})
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers=self.headers(body, timestamp))
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read(65536)
        except urllib.error.HTTPError as error:
            status = error.code
            retryable = status >= 500 or status in (408, 429)
            raise SmsError(f"HTTP {status}", retryable=retryable, status=status, kind="status") from None
        except (OSError, ValueError) as exc:  # refused, timed out, DNS, TLS: all OSError
            timed_out = isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError)
            raise SmsError(f"{type(exc).__name__}: {exc}", kind="timeout" if timed_out else "unreachable") from None
        if not 200 <= status < 300:
            raise SmsError(f"HTTP {status}", retryable=status >= 500, status=status, kind="status")
        try:
            answer = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, ValueError):
            answer = {}
        if self.success_field:
            value = _field(answer, self.success_field)
            if value is None or str(value) not in self.success_values:
                answer_text = raw[:300].decode("utf-8", "replace")
                raise SmsError(f"gateway refused: {self.success_field}={value!r} {answer_text}", retryable=False,
                               status=status, kind="refused", detail=answer_text)
        gateway_id = _field(answer, self.id_field) if self.id_field else None
        return str(gateway_id) if gateway_id is not None else ""


def sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_send(*, phone: str, text: str, message_id: str) -> str:
    """Send one text message through the configured backend; returns the gateway's id ('' if none)."""
    return sms_backend().send(SmsMessage(message_id=message_id, phone=phone, text=text))
