"""Writes of certification: the tiers, and issuing and withdrawing certifications under the tier
rules (the pipeline in pipeline.py ends here)."""

from __future__ import annotations

from django.db import transaction

from divisions.models import Region
from kernel.loading import LoadSummary, upsert
from kernel.refusals import refuse
from targets.services import rollups_enqueue

TIERS = [
    # code, name, English name, rank, derived indicator, communities only
    ("municipal", "市级充分就业村（社区）", "Municipal full-employment village or community", 1, "municipal_fe_communities", False),
    ("provincial", "省级充分就业社区", "Provincial full-employment community", 2, "provincial_fe_communities", True),
    ("provincial_star", "省级充分就业星级社区", "Provincial star-level full-employment community", 3,
     "provincial_star_fe_communities", True),
    ("national", "国家级充分就业社区", "National full-employment community", 4, "national_fe_communities", True),
]


@transaction.atomic
def tiers_ensure(summary: LoadSummary | None = None) -> LoadSummary:
    """The four certification tiers of task 8. Idempotent."""

    from .models import Tier

    summary = summary if summary is not None else LoadSummary()
    for code, name, name_en, rank, indicator_code, communities_only in TIERS:
        upsert(Tier, summary, {"code": code}, {"name": name, "name_en": name_en, "rank": rank,
                                               "indicator_code": indicator_code,
                                               "communities_only": communities_only}, "tiers_ensure")
    from .pipeline import criteria_ensure

    criteria_ensure(summary)
    return summary


def certification_tier_check(*, community: Region, tier, day, lock: bool = False) -> None:
    """The tier rules for certifying ``community`` at ``tier`` on ``day`` (the same for opening or
    submitting an application and for issuing the certificate): a village or community; a tier of
    communities only for a community; not a tier it holds in force; the tier below (``Tier.below``)
    held and in force on the day. ``lock``: lock the community's certifications read (issuing)."""
    from django.utils.translation import gettext as _

    from .models import Certification

    if community.level != Region.Level.VILLAGE:
        refuse(_("Only villages and communities are certified (%(name)s is not one)."), name=community.name)
    if tier.communities_only and community.kind != Region.Kind.COMMUNITY:
        refuse(_("%(tier)s certifies communities only; %(name)s is a village."), tier=tier.name, name=community.name)
    held = Certification.objects.filter(community=community)
    if lock:
        held = held.select_for_update()
    held = held.in_force_on(day)
    if held.filter(tier=tier).exists():
        refuse(_("%(name)s already holds %(tier)s."), name=community.name, tier=tier.name)
    below = tier.below
    if below is not None and not held.filter(tier=below).exists():
        refuse(_("%(tier)s requires %(below)s, held and in force on %(day)s."), tier=tier.name,
               below=below.name, day=day)


@transaction.atomic
def certification_issue(*, community: Region, tier, certificate_number: str, certified_on, issuer: str,
                        valid_until=None, is_demo: bool = False):
    """Certify a village or community at a tier (``certification_tier_check``); a certificate
    number is used once."""
    from django.utils.translation import gettext as _

    from .models import Certification

    certification_tier_check(community=community, tier=tier, day=certified_on, lock=True)
    used = Certification.objects.filter(certificate_number=certificate_number).select_related("community").first()
    if used is not None:
        refuse(_("Certificate number %(number)s is already used (%(name)s%(withdrawn)s); a certificate number is "
                  "never reused."), number=certificate_number, name=used.community.name,
                withdrawn=_(", withdrawn on %(day)s") % {"day": used.withdrawn_on} if used.withdrawn_on else "")
    certification = Certification(community=community, tier=tier, certificate_number=certificate_number,
                                  certified_on=certified_on, valid_until=valid_until, issuer=issuer, is_demo=is_demo)
    certification.full_clean()
    certification.save()
    certification_counts_recompute(tier)
    return certification


@transaction.atomic
def certification_withdraw(*, certification, on, reason: str):
    """Withdraw (摘牌) a certification from a date, with a reason; the record stays."""
    from django.utils.translation import gettext as _

    if not reason.strip():
        refuse(_("A withdrawal needs a reason."))
    if certification.withdrawn_on is not None:
        refuse(_("This certification was already withdrawn on %(day)s."), day=certification.withdrawn_on)
    certification.withdrawn_on, certification.withdrawal_reason = on, reason.strip()
    certification.full_clean()
    certification.save()
    certification_counts_recompute(certification.tier)
    return certification


def certification_counts_recompute(tier) -> None:
    """Queue the roll-up of the tier counts a certification at ``tier`` moves (``Tier.counted_from``:
    its own and, with higher tiers counting toward lower, every count below it), through the
    targets engine's one entry point for roll-ups."""

    from .models import Tier

    rollups_enqueue(indicator_codes=[t.indicator_code for t in Tier.objects.counted_from(tier)],
                    trigger="certification")
