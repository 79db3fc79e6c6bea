"""JSON bodies of the API, read strictly."""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose keys are all different: Python's json keeps the last of a repeated key
    silently, so ``{"dry_run": false, "dry_run": true}`` would mean whatever the sender's library
    happened to write last. The platform refuses to guess."""
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _constant(name: str):
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: DRF's strict mode refuses them too


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing a key repeated in one object (400, naming the key) as well as
    NaN and Infinity. The default parser of every API view (settings REST_FRAMEWORK)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.load(codecs.getreader(encoding)(stream), object_pairs_hook=_object,
                             parse_constant=_constant)
        except _DuplicateKey as exc:
            raise ParseError(_("The key “%(key)s” appears twice in one JSON object: send each key once.")
                             % {"key": exc.key[:100]}) from exc
        except ValueError as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc
        except RecursionError as exc:  # "[[[[…" nested deeper than Python's parser recurses
            raise ParseError(_("The body's JSON is nested too deeply: no request of this API nests more than a "
                               "few levels.")) from exc
