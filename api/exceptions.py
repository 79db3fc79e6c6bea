from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler
from rest_framework.views import set_rollback

from kernel.refusals import Locked
from kernel.versioning import Conflict


def exception_handler(exc, context):
    """One error shape, {"detail": ..., "errors": {...}}; the services' errors mapped to HTTP. A
    refusal answered here rolls the request's transaction back, as DRF's own handler does: a
    request applies whole or not at all (ATOMIC_REQUESTS)."""
    if isinstance(exc, (Conflict, Locked, ValidationError)):
        set_rollback()
    if isinstance(exc, (Conflict, Locked)):
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ValidationError):
        body = {"detail": " ".join(exc.messages)}
        if hasattr(exc, "error_dict"):
            body["errors"] = {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):  # Django's own limit, met before the view's: the same 413
        from .views import body_too_large

        exc = body_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": str(exceptions.ValidationError.default_detail), "errors": response.data}
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(m) for m in response.data)}
    return response
