"""The one way the platform refuses a request: a ``ValidationError`` (or a subclass naming the kind
of refusal) with a message in the user's language. Services raise it; forms, the API and imports
turn it into a field error, a 400 or a row message, and the request's transaction writes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Locked(ValidationError):
    """The period is closed for this unit, or the record's state does not allow the change."""


def refuse(message: str, /, *, error: type[ValidationError] = ValidationError, **params) -> None:
    """Raise ``error`` with ``message``, interpolating ``params`` (``%(name)s``) if any are given."""
    raise error(message % params if params else message)
