import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiClient
from .services import api_client_for_key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>``. The request acts as the client's service account (a county
    officer of the client's county), so every page's scoping applies unchanged."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(self.keyword + " "):
            return None
        client = api_client_for_key(header[len(self.keyword) + 1:].strip())
        if client is None:
            raise exceptions.AuthenticationFailed(_("The API key is unknown, revoked or expired."))
        _note_use(client)
        return client.user, client

    def authenticate_header(self, request):
        return self.keyword


# A key's last use is written at most this often, and after the request's transaction: a read
# writes nothing, so on the embedded SQLite concurrent reads do not queue for its one writer lock
# ("database is locked"), and on PostgreSQL a busy client does not update its row 600 times a minute.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def _note_use(client: ApiClient) -> None:
    now = timezone.now()
    if client.last_used_at is not None and now - client.last_used_at < LAST_USED_EVERY:
        return

    def write() -> None:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
        ApiClient.objects.filter(stale, pk=client.pk).update(last_used_at=now)

    transaction.on_commit(write, robust=True)  # its own short transaction; a failure is logged only


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Api-Key <key>`: one key per county system, issued by the city administrator."}
