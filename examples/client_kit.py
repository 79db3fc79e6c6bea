#!/usr/bin/env python3
"""A county system's client kit, on the client generated from the platform's schema.

Generate the client once (docs/api.md, "Quick start"):

    pip install openapi-python-client==0.29.1
    curl -H "Authorization: Api-Key $KEY" "https://<platform>/api/schema/?format=json" -o schema.json
    openapi-python-client generate --path schema.json --config examples/client-config.yaml \\
        --meta none --output-path ankang_jobs_client

Then, with ``ankang_jobs_client`` importable (beside this file, or installed):

    # push a quarter from a CSV file (indicator,component,value), check only, then for real, then submit
    python3 examples/client_kit.py --url https://<platform> --key "$KEY" push --period 2024Q3 \\
        --region 610902000000 figures.csv --dry-run
    python3 examples/client_kit.py --url https://<platform> --key "$KEY" push --period 2024Q3 \\
        --region 610902000000 figures.csv --submit

    # back-fill several quarters from one CSV file (period,indicator,component,value)
    python3 examples/client_kit.py --url https://<platform> --key "$KEY" backfill --region 610902000000 old.csv

    # what changed since the last run (figures and returns), one JSON line per row; the state file
    # remembers where the last run stopped
    python3 examples/client_kit.py --url https://<platform> --key "$KEY" sync --state sync-state.json

Callbacks: examples/webhook_verify.py verifies a signed callback.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import io
import json
import sys
from pathlib import Path

from ankang_jobs_client import AuthenticatedClient
from ankang_jobs_client.api.returns import returns_list, returns_submit, returns_values_backfill, returns_values_push
from ankang_jobs_client.api.values import values_list
from ankang_jobs_client.models import (
    BackfillValueIn,
    BackfillValues,
    BulkValues,
    CountyReturn,
    Error,
    ImportSummary,
    Submit,
    ValueIn,
)


def rows_of(path: str) -> list[dict[str, str]]:
    """A CSV file as Chinese Excel writes it (UTF-8 with or without BOM, or GB18030)."""
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SystemExit(f"{path}: neither UTF-8 nor GB18030")
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def _report(answer, out) -> bool:
    """Print an import summary (or an error); True if the platform accepted the request."""
    if isinstance(answer, Error):
        print(f"refused: {answer.detail}", file=out)
        for result in answer.additional_properties.get("results", []):
            if result.get("outcome") == "rejected":
                print(f"  row {result['index'] + 2}: {result['indicator']}/{result['component']}: "
                      f"{result['reason']}", file=out)
        return False
    print(f"created {answer.created}, updated {answer.updated}, unchanged {answer.unchanged}, "
          f"rejected {answer.rejected}; written: {answer.written}", file=out)
    return True


def push(client: AuthenticatedClient, *, csv_path: str, period: str, region: str, dry_run: bool = False,
         submit: bool = False, out=sys.stdout) -> bool:
    values = [ValueIn(indicator=r["indicator"], region=region, component=r["component"], value=r["value"])
              for r in rows_of(csv_path)]
    body = BulkValues(values=values, dry_run=dry_run)
    # a retry after a network failure is answered with the first response and writes nothing twice
    key = hashlib.sha256(json.dumps(body.to_dict(), sort_keys=True).encode()).hexdigest()[:40]
    answer = returns_values_push.sync(period=period, client=client, body=body, idempotency_key=key)
    if not _report(answer, out):
        return False
    if submit and not dry_run:
        assert isinstance(answer, ImportSummary)
        result = returns_submit.sync(period=period, client=client, body=Submit(version=answer.return_version))
        if isinstance(result, Error):
            print(f"submit refused: {result.detail}", file=out)
            return False
        assert isinstance(result, CountyReturn)
        print(f"submitted: {result.state}", file=out)
    return True


def backfill(client: AuthenticatedClient, *, csv_path: str, region: str, dry_run: bool = False,
             out=sys.stdout) -> bool:
    values = [BackfillValueIn(period=r["period"], indicator=r["indicator"], region=region,
                              component=r["component"], value=r["value"]) for r in rows_of(csv_path)]
    return _report(returns_values_backfill.sync(client=client, body=BackfillValues(values=values, dry_run=dry_run)),
                   out)


# what a sync pulls: name → the generated operation (each takes updated_since, cursor, page_size)
SYNCED = {"values": values_list, "returns": returns_list}


def sync(client: AuthenticatedClient, *, state_path: str, overlap_seconds: int = 60, out=sys.stdout) -> int:
    """Every row changed since the last run, as JSON lines ``{"kind": ..., "row": ...}``; returns
    how many. Rows come in the order they changed; the state file keeps, per kind, the newest
    ``changed_at`` seen. The next run asks from a little before it (``overlap_seconds``), because a
    change committed late may carry an earlier time: a row can so come twice — keep rows by their
    key (indicator, component, region, period; region and period for a return), never append."""
    state_file = Path(state_path)
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    count = 0
    for kind, operation in SYNCED.items():
        since = state.get(kind, "2000-01-01T00:00:00+00:00")
        since = (datetime.datetime.fromisoformat(since) - datetime.timedelta(seconds=overlap_seconds)).isoformat()
        cursor = None
        while True:
            page = operation.sync(client=client, updated_since=since, page_size=500,
                                  **({"cursor": cursor} if cursor else {}))
            if isinstance(page, Error) or page is None:
                raise SystemExit(f"{kind}: {page.detail if page else 'no answer'}")
            for row in page.results:
                data = row.to_dict()
                print(json.dumps({"kind": kind, "row": data}, ensure_ascii=False), file=out)
                state[kind] = max(state.get(kind, ""), data["changed_at"] or "")
                count += 1
            cursor = page.next_cursor
            if not cursor:
                break
    state_file.write_text(json.dumps(state, indent=2))
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the platform's address, e.g. https://jobs.example")
    parser.add_argument("--key", required=True, help="the county system's API key")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("push", help="push one quarter from a CSV file")
    p.add_argument("csv")
    p.add_argument("--period", required=True, help="e.g. 2024Q3")
    p.add_argument("--region", required=True, help="the county's NBS code")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--submit", action="store_true")
    b = commands.add_parser("backfill", help="push several quarters from one CSV file with a period column")
    b.add_argument("csv")
    b.add_argument("--region", required=True)
    b.add_argument("--dry-run", action="store_true")
    s = commands.add_parser("sync", help="print what changed since the last run")
    s.add_argument("--state", required=True, help="a JSON file remembering the last run")
    s.add_argument("--overlap", type=int, default=60, help="seconds asked again before the last change seen")
    args = parser.parse_args(argv)

    client = AuthenticatedClient(base_url=args.url.rstrip("/"), token=args.key, prefix="Api-Key",
                                 headers={"Accept-Language": "zh-hans"})
    if args.command == "push":
        return 0 if push(client, csv_path=args.csv, period=args.period, region=args.region, dry_run=args.dry_run,
                         submit=args.submit) else 1
    if args.command == "backfill":
        return 0 if backfill(client, csv_path=args.csv, region=args.region, dry_run=args.dry_run) else 1
    sync(client, state_path=args.state, overlap_seconds=args.overlap)
    return 0


if __name__ == "__main__":
    sys.exit(main())
