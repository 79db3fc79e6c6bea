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
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return client.user, client

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Api-Key <key>`: one key per county system, issued by the city administrator."}
