#!/usr/bin/env python3
"""The demo's callback receiver (standard library only): listens on http://127.0.0.1:8765/callback,
where ``seed_demo`` registers 汉滨区's demo callback, verifies each event with
examples/webhook_verify.py (signature, timestamp, replay) and prints it.

    python3 examples/webhook_receiver.py --secret '<signing secret from the seed_demo output>'

Then, as demo_admin, approve (or send back) 汉滨区's 2026Q3 return: the signed event arrives here.
A real receiver sits behind HTTPS; the demo's plain http on 127.0.0.1 is allowed only where
WEBHOOK_REQUIRE_HTTPS is off (the embedded default, never production).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from http.server import HTTPServer

try:
    from examples.webhook_verify import receiver
except ImportError:  # run as a script: examples/ is on the path
    from webhook_verify import receiver

PATH = "/callback"


def show(event: dict) -> None:
    data = event.get("data", {})
    print(f"{event.get('occurred_at', '')} {event.get('event')} {data.get('region', '')} "
          f"{data.get('period', '')} state={data.get('state', '')}  (signature verified, id {event.get('id')})")
    print("  " + json.dumps(data, ensure_ascii=False))
    sys.stdout.flush()


def server(*, secret: str, port: int, handle=show, host: str = "127.0.0.1") -> HTTPServer:
    """An HTTPServer answering POST /callback (404 elsewhere) with the example's verification."""
    base = receiver(secret, handle=handle)

    class Handler(base):
        def do_POST(self):  # noqa: N802 (http.server's name)
            if self.path.split("?", 1)[0] != PATH:
                self.send_response(404)
                self.end_headers()
                return
            super().do_POST()

    return HTTPServer((host, port), Handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--secret", default=os.environ.get("ANKANG_WEBHOOK_SECRET"),
                        help="the callback's signing secret (or ANKANG_WEBHOOK_SECRET)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if not args.secret:
        parser.error("--secret (or ANKANG_WEBHOOK_SECRET) is required: seed_demo prints it")
    httpd = server(secret=args.secret, port=args.port)
    print(f"listening on http://127.0.0.1:{args.port}{PATH} — stop with Ctrl-C", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
