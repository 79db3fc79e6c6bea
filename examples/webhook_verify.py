#!/usr/bin/env python3
"""Verify a callback from the platform (standard library only) — and a tiny receiver to try it.

    python3 examples/webhook_verify.py --secret "$ANKANG_WEBHOOK_SECRET" --port 8088

Each callback is a POST whose body is a JSON event ({"id", "event", "occurred_at", "data"}) with:

    X-Ankang-Timestamp: 1764489600          (Unix seconds, when this attempt was sent)
    X-Ankang-Signature: v1=<hex>            (HMAC-SHA-256 of "<timestamp>." + raw body, keyed with the secret)
    X-Ankang-Delivery:  <event id>          (the same on every retry of one event)

Accept it only if the signature matches (compare in constant time, over the raw bytes received,
before parsing), the timestamp is within five minutes of your clock (an old request replayed is
refused), and you have not processed that event id before (a retry, or a replay within the five
minutes). Answer 2xx quickly; any other answer, or none within 5 s, is retried with backoff.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECONDS = 300


class Rejected(ValueError):
    pass


def verify(*, secret: str, body: bytes, timestamp: str | None, signature: str | None, seen: set[str] | None = None,
           now: float | None = None) -> dict:
    """The event, if the callback is authentic, fresh and new; else Rejected saying why."""
    if not timestamp or not signature:
        raise Rejected("missing X-Ankang-Timestamp or X-Ankang-Signature")
    expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Rejected("bad signature")
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError as exc:
        raise Rejected("bad timestamp") from exc
    if age > TOLERANCE_SECONDS:
        raise Rejected("timestamp outside the tolerance: a replay?")
    event = json.loads(body)
    if seen is not None:
        if event["id"] in seen:
            raise Rejected("event already processed")
        seen.add(event["id"])
    return event


def receiver(secret: str, handle=print, seen: set[str] | None = None):
    """An http.server handler class that verifies every callback and hands the event to ``handle``."""
    seen = set() if seen is None else seen

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                event = verify(secret=secret, body=body, timestamp=self.headers.get("X-Ankang-Timestamp"),
                               signature=self.headers.get("X-Ankang-Signature"), seen=seen)
            except Rejected as exc:
                self.send_response(400 if str(exc) != "event already processed" else 200)
                self.end_headers()
                self.wfile.write(str(exc).encode())
                return
            handle(event)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--port", type=int, default=8088)
    args = parser.parse_args(argv)
    server = HTTPServer(("127.0.0.1", args.port), receiver(args.secret, handle=lambda e: print(json.dumps(e))))
    print(f"listening on http://127.0.0.1:{args.port}/ (behind your HTTPS proxy)")
    server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
