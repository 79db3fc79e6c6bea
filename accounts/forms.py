"""The second factor's form (login and password change use Django's own forms)."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, and the page to go on to."""

    token = forms.CharField(max_length=6, validators=[RegexValidator(r"^[0-9]{6}$")])
    next = forms.CharField(required=False, max_length=2000)


class StaySignedInForm(forms.Form):
    """"Stay signed in" under the idle warning: nothing to fill in (the POST itself, with its CSRF
    token, is the activity that resets the idle clock)."""
