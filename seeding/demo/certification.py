"""Demo certifications for the embedded default (is_demo, certificate numbers 演示-…).

Deterministic; consistent with the tier rules (each higher tier only for a community that holds
the one below, certified later). Written in bulk: the services' checks hold by construction and a
test re-checks them. Refuses to run without DEMO_MODE."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import transaction

from communities import pipeline
from communities.models import Application, Certification, Tier
from divisions.models import CommunityProfile, Region

COUNTS = {"municipal": 1150, "provincial": 38, "provincial_star": 14, "national": 3}
ISSUERS = {"municipal": "安康市人民政府（演示）", "provincial": "陕西省人社厅（演示）",
           "provincial_star": "陕西省人社厅（演示）", "national": "人力资源社会保障部（演示）"}
START, END = datetime.date(2021, 6, 1), datetime.date(2026, 5, 31)


@transaction.atomic
def demo_certifications_seed() -> int:
    if not settings.DEMO_MODE:
        raise RuntimeError("demo certifications are only created with DEMO_MODE on (never in production)")
    if Certification.objects.filter(is_demo=True).exists():
        return 0
    rnd = random.Random(1500)
    lowest, *higher = Tier.objects.order_by("rank")  # the tier order: each tier rests on the one below
    span = (END - START).days
    units = list(Region.objects.filter(level=Region.Level.VILLAGE).order_by("code"))
    municipal = rnd.sample(units, COUNTS[lowest.code])
    held = {r.pk: START + datetime.timedelta(days=rnd.randrange(span)) for r in municipal}
    rows = [Certification(community=r, tier=lowest, certificate_number=f"演示-市-{i:04d}",
                          certified_on=held[r.pk], issuer=ISSUERS[lowest.code], is_demo=True)
            for i, r in enumerate(municipal, start=1)]
    below = municipal  # the holders of the tier below, from whom the next tier's are drawn
    for tier in higher:
        candidates = [r for r in below if r.kind == Region.Kind.COMMUNITY or not tier.communities_only]
        chosen = rnd.sample(candidates, COUNTS[tier.code])
        for i, r in enumerate(chosen, start=1):
            earliest = held[r.pk] + datetime.timedelta(days=90)
            if earliest >= END:
                continue
            held[r.pk] = earliest + datetime.timedelta(days=rnd.randrange((END - earliest).days))
            rows.append(Certification(community=r, tier=tier, certificate_number=f"演示-{tier.code}-{i:03d}",
                                      certified_on=held[r.pk], issuer=ISSUERS[tier.code], is_demo=True))
        below = chosen
    Certification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def demo_profiles_seed() -> int:
    """Demo sizes for every village and community, and 60 relocation communities (task 18)."""

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


# A one-page PDF, the demo's evidence file (a real upload would be minutes, a survey, photos).
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
            b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# What each demo application shows: how far it goes through the pipeline.
DEMO_PIPELINE = ["draft", "town", "county", "city", "returned", "certified", "certified"]


@transaction.atomic
def demo_applications_seed(*, users: dict) -> int:
    """Applications of 汉滨区新城街道's villages and communities at every stage of the pipeline,
    made through the pipeline's own services by the demo accounts (so their reviews, history,
    notifications and certifications are real records), plus a provincial application for a
    community certified here. Idempotent; refuses without DEMO_MODE."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone


    if not settings.DEMO_MODE:
        raise RuntimeError("demo applications are only created with DEMO_MODE on (never in production)")
    if Application.objects.filter(is_demo=True).exists():
        return 0
    county_officer, reviewer, town_officer, admin = (users[k] for k in ("demo_hanbin", "demo_hanbin2", "demo_town",
                                                                        "demo_admin"))
    town = town_officer.region
    tiers = {t.code: t for t in Tier.objects.all()}
    certified = set(Certification.objects.values_list("community_id", flat=True))
    free = [r for r in Region.objects.filter(parent=town).order_by("code") if r.pk not in certified]
    today = timezone.localdate()

    def answered(application, complete=True):
        answers = {}
        for check in application.checks.select_related("criterion"):
            c = check.criterion
            if c.kind == c.Kind.STATEMENT:
                answers[c.pk] = {"met": True, "note": "台账齐全（演示）"}
            elif c.code == "zero_employment_households":
                answers[c.pk] = {"value": "0"}
            elif c.code == "assistance_rate":
                answers[c.pk] = {"value": "100"}
            elif complete:
                answers[c.pk] = {"value": "12"}
        application = pipeline.application_checklist_save(application=application, answers=answers,
                                                          summary="【演示】社区就业服务站规范运行，零就业家庭动态清零。",
                                                          version=application.version, user=county_officer)
        pipeline.application_evidence_attach(application=application, user=county_officer, upload=SimpleUploadedFile(
            "会议纪要（演示）.pdf", DEMO_PDF, content_type="application/pdf"))
        return application

    def review(application, user, approve=True, comment="同意（演示）", **certify):
        return pipeline.application_review(application=application, approve=approve, comment=comment,
                                           version=application.version, user=user, **certify)

    made = 0
    for n, (community, stage) in enumerate(zip(free, DEMO_PIPELINE, strict=False), start=1):
        a = pipeline.application_create(community=community, tier=tiers["municipal"], user=county_officer,
                                        summary="【演示】", is_demo=True)
        a = answered(a, complete=stage != "draft")
        made += 1
        if stage == "draft":
            continue
        a = pipeline.application_submit(application=a, version=a.version, user=county_officer)
        if stage == "town":
            continue
        a = review(a, town_officer)
        if stage == "county":
            continue
        if stage == "returned":
            review(a, reviewer, approve=False, comment="【演示】请补充群众满意度测评材料。")
            continue
        a = review(a, reviewer)
        if stage == "city":
            continue
        a = review(a, admin, certificate_number=f"演示-市-P{n:03d}", certified_on=today)
    # a community certified above goes on to apply for the provincial tier (waits at the town)
    holder = Application.objects.filter(is_demo=True, state=Application.State.CERTIFIED,
                                        community__kind=Region.Kind.COMMUNITY).select_related("community").first()
    if holder is not None:
        a = pipeline.application_create(community=holder.community, tier=tiers["provincial"], user=county_officer,
                                        summary="【演示】申报省级充分就业社区", is_demo=True)
        a = answered(a)
        pipeline.application_submit(application=a, version=a.version, user=county_officer)
        made += 1
    return made
