"""Demo certifications for the embedded default (is_demo, certificate numbers 演示-…).

Deterministic; consistent with the tier rules (each higher tier only for a community that holds
the one below, certified later). Written in bulk: the services' checks hold by construction and a
test re-checks them. Refuses to run without DEMO_MODE."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import transaction

from .models import Certification, Region, Tier

COUNTS = {"municipal": 1150, "provincial": 38, "provincial_star": 14, "national": 3}
START, END = datetime.date(2021, 6, 1), datetime.date(2026, 5, 31)


@transaction.atomic
def demo_certifications_seed() -> int:
    if not settings.DEMO_MODE:
        raise RuntimeError("demo certifications are only created with DEMO_MODE on (never in production)")
    if Certification.objects.filter(is_demo=True).exists():
        return 0
    rnd = random.Random(1500)
    tiers = {t.code: t for t in Tier.objects.all()}
    span = (END - START).days
    units = list(Region.objects.filter(level=Region.Level.VILLAGE).order_by("code"))
    municipal = rnd.sample(units, COUNTS["municipal"])
    held = {r.pk: START + datetime.timedelta(days=rnd.randrange(span)) for r in municipal}
    rows = [Certification(community=r, tier=tiers["municipal"], certificate_number=f"演示-市-{i:04d}",
                          certified_on=held[r.pk], issuer="安康市人民政府（演示）", is_demo=True)
            for i, r in enumerate(municipal, start=1)]
    candidates = [r for r in municipal if r.kind == Region.Kind.COMMUNITY]
    for code, issuer in (("provincial", "陕西省人社厅（演示）"), ("provincial_star", "陕西省人社厅（演示）"),
                         ("national", "人力资源社会保障部（演示）")):
        chosen = rnd.sample(candidates, COUNTS[code])
        for i, r in enumerate(chosen, start=1):
            earliest = held[r.pk] + datetime.timedelta(days=90)
            if earliest >= END:
                continue
            held[r.pk] = earliest + datetime.timedelta(days=rnd.randrange((END - earliest).days))
            rows.append(Certification(community=r, tier=tiers[code], certificate_number=f"演示-{code}-{i:03d}",
                                      certified_on=held[r.pk], issuer=issuer, is_demo=True))
        candidates = chosen
    Certification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def demo_profiles_seed() -> int:
    """Demo sizes for every village and community, and 60 relocation communities (task 18)."""
    from .models import CommunityProfile

    if not settings.DEMO_MODE:
        raise RuntimeError("demo profiles are only created with DEMO_MODE on (never in production)")
    if CommunityProfile.objects.exists():
        return 0
    rnd = random.Random(18)
    units = list(Region.objects.filter(level=Region.Level.VILLAGE).order_by("code"))
    relocation = {r.pk for r in rnd.sample([u for u in units if u.kind == Region.Kind.COMMUNITY], 60)}
    rows = []
    for r in units:
        households = rnd.randint(800, 4000) if r.kind == Region.Kind.COMMUNITY else rnd.randint(150, 900)
        if r.pk in relocation:
            households = rnd.randint(100, 1500)
        rows.append(CommunityProfile(region=r, households=households, population=int(households * rnd.uniform(2.6, 3.4)),
                                     is_relocation=r.pk in relocation))
    CommunityProfile.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
