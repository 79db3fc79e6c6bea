"""The annual assessment follows the reporting: when the approval of a county's return completes
the year's last quarter, the year's assessment is computed (a draft, through the outbox)."""

from __future__ import annotations


def year_approved(sender, *, county_return, event: str, **kwargs) -> None:
    if event != "approved" or county_return.reviewed_by is None:
        return
    from .services import annual_after_approval

    annual_after_approval(county_return=county_return, reviewer=county_return.reviewed_by)
