"""Receivers of lower layers' signals that end in a callback event."""

from __future__ import annotations

from .webhooks import return_event_emit


def return_reviewed(sender, *, county_return, event: str, detail: dict, **kwargs) -> None:
    return_event_emit(county_return=county_return, event=event, detail=detail)
