"""Password rules beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of the four classes (upper case, lower case, digits, others) ``password`` uses."""
    return sum([
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ])


class CharacterClassesValidator:
    """At least ``min_classes`` of upper case, lower case, digits and other characters (Chinese
    characters and punctuation count as "other")."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("The password must use at least %(min_classes)d of: upper-case letters, lower-case letters, "
                  "digits, other characters.") % {"min_classes": self.min_classes},
                code="password_too_few_classes")

    def get_help_text(self) -> str:
        return _("Use at least %(min_classes)d of: upper-case letters, lower-case letters, digits, other characters.") % {
            "min_classes": self.min_classes}
