"""Django's own admin msgids that its Simplified Chinese catalogue leaves in English (the admin's
screen-reader table headings, the add-user hint). Marked here so makemessages puts them in the
platform's catalogue (locale/, which takes precedence) and locale/terms/todo_numbers.py gives them
their Chinese; nothing imports this module."""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_TERMS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]
