"""Nothing typed is lost to the idle logout: a form posted after the session idled out is kept in
the new (anonymous) session before the login page is shown; once the user has signed in again, the
page the form came from shows it back — restored, not saved (the user looks at it and saves).

Files cannot be kept (the user attaches them again); the CSRF token is dropped. Only the page the
form was posted to (or its autosave endpoint, ``<page>autosave/``) takes it back, once."""

from __future__ import annotations

from django.http import QueryDict

STASH = "stashed_form"
MAX_CHARS = 200_000  # a longer body is not kept (the session is stored in the database)
AUTOSAVE_SUFFIX = "autosave/"


def form_stash(request) -> bool:
    """Keep ``request``'s posted fields in its session (already the new, signed-out one)."""
    try:
        fields = {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
    except Exception:  # an unreadable body: nothing to keep
        return False
    if not fields or sum(len(v) for values in fields.values() for v in values) > MAX_CHARS:
        return False
    path = request.path
    if path.endswith(AUTOSAVE_SUFFIX):  # the page's autosave: the page takes it back
        path = path[: -len(AUTOSAVE_SUFFIX)]
    request.session[STASH] = {"path": path, "fields": fields}
    return True


def form_take(request) -> QueryDict | None:
    """The fields kept for this page, once (None if none were kept for it)."""
    stash = request.session.get(STASH)
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[STASH]
    restored = QueryDict(mutable=True)
    for key, values in stash["fields"].items():
        restored.setlist(key, values)
    restored.pop("action", None)  # shown back, never done: the user saves or submits it again
    return restored
