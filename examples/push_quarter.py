#!/usr/bin/env python3
"""Push one quarter's figures from a CSV file to the platform and print the import summary.

    python3 examples/push_quarter.py --url https://jobs.example --key "$ANKANG_API_KEY" \\
        --period 2024Q3 --region 610902000000 figures.csv [--dry-run] [--submit]

The CSV has a header row ``indicator,component,value`` (UTF-8 or GB18030, as Chinese Excel
writes it). Only the standard library is used, so a county system can run it as it is.
A retry after a network failure is safe: the request carries an Idempotency-Key derived from the
file, so the platform answers a repeat with its first response and writes nothing twice.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
import urllib.error
import urllib.request


def read_figures(path: str, region: str) -> list[dict]:
    raw = open(path, "rb").read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SystemExit(f"{path}: neither UTF-8 nor GB18030")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{"indicator": r["indicator"].strip(), "component": r["component"].strip(), "region": region,
             "value": r["value"].strip()} for r in rows]


def call(url: str, key: str, body: dict, idempotency_key: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Api-Key {key}", "Content-Type": "application/json", "Accept-Language": "zh-hans",
        **({"Idempotency-Key": idempotency_key} if idempotency_key else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv")
    parser.add_argument("--url", required=True, help="the platform's address, e.g. https://jobs.example")
    parser.add_argument("--key", required=True, help="the county system's API key")
    parser.add_argument("--period", required=True, help="e.g. 2024Q3")
    parser.add_argument("--region", required=True, help="the county's NBS code")
    parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    parser.add_argument("--submit", action="store_true", help="submit the return for review after pushing")
    args = parser.parse_args(argv)

    values = read_figures(args.csv, args.region)
    body = {"values": values, "dry_run": args.dry_run}
    key = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:40]
    base = args.url.rstrip("/") + f"/api/v1/returns/{args.period}/"
    status, summary = call(base + "values/", args.key, body, idempotency_key=key)
    print(f"HTTP {status}: {summary.get('detail', '')}")
    if "results" in summary:
        print(f"created {summary['created']}, updated {summary['updated']}, unchanged {summary['unchanged']}, "
              f"rejected {summary['rejected']}; written: {summary['written']}")
        for r in summary["results"]:
            if r["outcome"] == "rejected":
                print(f"  row {r['index'] + 2} {r['indicator']}/{r['component']}: {r['reason']}")
    if status != 200:
        return 1
    if args.submit and not args.dry_run:
        status, result = call(base + "submit/", args.key, {"version": summary["return_version"]})
        print(f"submit: HTTP {status}: {result.get('state', result.get('detail'))}")
        return 0 if status == 200 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
