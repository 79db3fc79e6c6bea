"""Incremental sync for the list endpoints and conditional reads.

``?updated_since=<ISO 8601>`` keeps the rows changed at or after that moment and switches the list
to keyset order — by when each row last changed (``changed_at``), then by id — with an opaque
``cursor`` for the next page, so a county system pulls exactly what changed since its last run and
never misses a row when other rows change between two pages. Without it the lists keep their
page-number order of v1. Every read answers an ``ETag``; ``If-None-Match`` with it answers 304.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

SINCE_PARAMS = [
    OpenApiParameter("updated_since", str, description=(
        "ISO 8601 moment, e.g. 2026-11-30T08:00:00+08:00 (a date means its first moment, China time): only rows "
        "changed at or after it, in the order they changed (changed_at, then id), paged by `cursor`. Malformed or "
        "in the future: 400.")),
    OpenApiParameter("cursor", str, description="Opaque: the `next_cursor` of the page before (sync order only)."),
]


def _refuse(field: str, message: str):
    raise ValidationError({field: [message]})


def since_parse(text: str, *, now: datetime.datetime | None = None) -> datetime.datetime:
    """``updated_since`` as an aware moment: 400 (a ValidationError naming the parameter) when it
    cannot be read or lies in the future, whose changes nobody could have seen."""
    text = text.strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.datetime.combine(day, datetime.time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        _refuse("updated_since", _("updated_since “%(text)s” is not an ISO 8601 time: write it like "
                                   "2026-11-30T08:00:00+08:00 or 2026-11-30.") % {"text": text[:40]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > (now or timezone.now()):
        _refuse("updated_since", _("updated_since %(text)s is in the future: no row can have changed then.")
                % {"text": text[:40]})
    return moment


def _cursor_encode(changed_at: datetime.datetime, pk: int) -> str:
    raw = json.dumps([changed_at.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(text: str) -> tuple[datetime.datetime, int]:
    try:
        moment, pk = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        moment = parse_datetime(moment)
        if moment is None or type(pk) is not int:
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError):
        _refuse("cursor", _("The cursor is not one this API gave: start again from updated_since."))
    return moment, pk


def wants_sync(request) -> bool:
    return "updated_since" in request.query_params or "cursor" in request.query_params


class SyncPages(pagination.PageNumberPagination):
    """Page numbers as in v1; with ``updated_since`` or ``cursor``, keyset pages over
    (changed_at, id) whose ``next`` link carries the cursor. Same envelope in both: count, next,
    previous, results, plus next_cursor (null on the last page and in page-number order)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.next_cursor, self.sync = request, None, wants_sync(request)
        if self.sync and not isinstance(view, SyncedList):  # a reference list: no change order to follow
            _refuse("cursor" if "cursor" in request.query_params else "updated_since",
                    _("This list is not kept in the order its rows change: read it whole, without "
                      "updated_since or cursor (and with If-None-Match, to pay nothing when it has not changed)."))
        if not self.sync:
            return super().paginate_queryset(queryset, request, view)
        queryset = queryset.filter(changed_at__isnull=False)  # a row with no recorded change has no place in the order
        self.total = queryset.count()
        if request.query_params.get("cursor"):
            moment, pk = _cursor_decode(request.query_params["cursor"])
            queryset = queryset.filter(Q(changed_at__gt=moment) | Q(changed_at=moment, pk__gt=pk))
        size = self.get_page_size(request)
        rows = list(queryset.order_by("changed_at", "pk")[:size + 1])
        if len(rows) > size:
            rows = rows[:size]
            self.next_cursor = _cursor_encode(rows[-1].changed_at, rows[-1].pk)
        return rows

    def get_paginated_response(self, data):
        if not self.sync:
            response = super().get_paginated_response(data)
            response.data["next_cursor"] = None
            return response
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(remove_query_param(url, self.page_query_param), "cursor",
                                       self.next_cursor) if self.next_cursor else None
        return Response({"count": self.total, "next": next_url, "previous": None, "results": data,
                         "next_cursor": self.next_cursor})

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["next_cursor"] = {
            "type": "string", "nullable": True,
            "description": "With updated_since: pass as `cursor` for the next page; null on the last page."}
        schema["required"] = [*schema.get("required", []), "next_cursor"]
        return schema


class SyncedList:
    """A list view whose rows say when they last changed (``changed_at``, an annotation the view
    names in ``changed_at_expression``) and that ``updated_since`` filters."""

    changed_at_expression = None  # an expression, or a callable of the view returning one

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        expression = self.changed_at_expression
        queryset = queryset.annotate(changed_at=expression() if callable(expression) else expression)
        since = self.request.query_params.get("updated_since")
        if since is not None:
            queryset = queryset.filter(changed_at__gte=since_parse(since))
        return queryset


class ConditionalRead:
    """An ``ETag`` on every successful read (a hash of the body as sent); ``If-None-Match`` with
    it answers 304 without the body, so a county system polling reference lists costs nothing."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or not isinstance(response, Response):
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
        asked = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
        if etag in asked or "*" in asked:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            patch_vary_headers(not_modified, ["Authorization", "Cookie", "Accept-Language"])
            return not_modified
        response["ETag"] = etag
        return response
