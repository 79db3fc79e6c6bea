"""Celery jobs of the quarterly report pack."""

from celery import shared_task


@shared_task(name="packs.build", acks_late=True)
def report_pack_build_job(*, pack_id: int) -> str:
    """Build one requested pack. Safe to run twice: the second run finds the pack claimed."""
    from .services import report_pack_build

    pack = report_pack_build(pack_id=pack_id)
    return pack.state if pack is not None else "nothing to do"
