from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error shape of every operation. An operation may add its own fields beside these
    (a refused push adds its import summary: ``results`` and the counts)."""

    detail = serializers.CharField(help_text=_("What went wrong, in Chinese (English with Accept-Language: en)."))
    errors = serializers.DictField(required=False, help_text=_("Per field or per value: the messages."))


ERRORS = {
    "400": _("Bad input: the message names the field or the value; nothing was written."),
    "401": _("No valid credentials (an API key or a session)."),
    "403": _("Not allowed for this key or user (e.g. a read-only key, another county)."),
    "404": _("Not found, or not yours to see (both answer alike)."),
    "409": _("Conflict: the period is closed, the return is approved or submitted, or the version is stale."),
    "415": _("The body is not JSON: send Content-Type: application/json."),
    "429": _("Too many requests for this client; retry later."),
}


class PlatformAutoSchema(AutoSchema):
    """Every operation documents the platform's error responses."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code == "415" and self.method in ("GET", "HEAD"):
                continue
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = str(description)
                responses[code] = response
        return responses
