"""Signals of quarterly reporting, for the layers above it (reports imports none of them)."""

from django.dispatch import Signal

# A county return was sent back, approved or corrected; sent in the change's transaction.
# kwargs: county_return, event ("returned" | "approved" | "corrected"), detail (dict, JSON-ready).
return_reviewed = Signal()
