#!/usr/bin/env python
"""Audit chain benchmark: what hash-chaining costs a bulk write of audit events, and how fast
``audit_verify`` walks the trail.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench .venv/bin/python benchmarks/audit_chain_benchmark.py

Inside a transaction that is rolled back at the end (nothing is left behind): N synthetic events
written by ``audit_events_bulk`` (chained) against a plain ``bulk_create`` of the same events
(unchained), then the hashes alone, then a full verification of the trail. Prints the figures.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

N = int(os.environ.get("N", "20000"))


class _Rollback(Exception):
    pass


def main() -> None:
    from audit.chain import event_hash, verify
    from audit.models import AuditChainHead, AuditEvent
    from audit.services import audit_append

    changes = [{"field": "value", "label": "数值", "old": "1", "new": "2"}]
    now = timezone.now()

    def events() -> list:
        return [AuditEvent(occurred_at=now, actor_username="bench", action="changed", model="targets.indicatorvalue",
                           model_verbose_name="指标数值", object_pk=str(i), object_repr=f"汉滨区 2024Q3 #{i}",
                           changes=changes, reason="benchmark") for i in range(N)]

    chained_events, plain_events = events(), events()
    try:
        with transaction.atomic():
            start = time.perf_counter()
            audit_append(chained_events)  # what audit_events_bulk and the history receiver call
            chained = time.perf_counter() - start

            start = time.perf_counter()
            AuditEvent.objects.bulk_create(plain_events, batch_size=2000)
            plain = time.perf_counter() - start

            start = time.perf_counter()
            previous = ""
            for event in plain_events:
                previous = event_hash(event, previous)
            hashing = time.perf_counter() - start

            AuditEvent.objects.filter(pk__in=[e.pk for e in plain_events]).delete()
            total = AuditEvent.objects.count()
            head = AuditChainHead.objects.get(pk=1).last_hash
            start = time.perf_counter()
            broken = list(verify(AuditEvent.objects.order_by("id").iterator(chunk_size=5000), head))
            verifying = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    print(f"database: {connection.vendor}; {N:,} audit events in one bulk write")
    print(f"  chained (audit_append)        {chained * 1000:9.0f} ms")
    print(f"  unchained bulk_create         {plain * 1000:9.0f} ms   ratio {chained / plain:.2f}×")
    print(f"  the hashes alone              {hashing * 1000:9.0f} ms   ({hashing / N * 1e6:.1f} µs per event)")
    print(f"  audit_verify over {total:,} events {verifying * 1000:7.0f} ms   ({total / verifying:,.0f} events/s), "
          f"{'intact' if not broken else 'BROKEN'}")


if __name__ == "__main__":
    main()
