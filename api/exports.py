"""The API clients list (admin) as .xlsx / .csv. Never the key or its hash:
the prefix identifies a key, as on the admin list."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from kernel.exports import Table, resource_table

from .models import ApiClient


class ApiClientResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name=gettext_lazy("Name"))
    county = fields.Field(attribute="region__name", column_name=gettext_lazy("County"))
    access = fields.Field(column_name=gettext_lazy("Access"))
    key_prefix = fields.Field(attribute="key_prefix", column_name=gettext_lazy("Key prefix"))
    created_at = fields.Field(column_name=gettext_lazy("Created at"))
    expires_at = fields.Field(column_name=gettext_lazy("Expires at"))
    revoked_at = fields.Field(column_name=gettext_lazy("Revoked at"))
    last_used_at = fields.Field(column_name=gettext_lazy("Last used at"))

    class Meta:
        model = ApiClient
        fields = ("name", "county", "access", "key_prefix", "created_at", "expires_at", "revoked_at",
                  "last_used_at")
        export_order = fields

    def dehydrate_access(self, client: ApiClient) -> str:
        return str(client.get_access_display())

    # date-times as date-time cells (the widget would make them text)
    def dehydrate_created_at(self, client: ApiClient):
        return client.created_at

    def dehydrate_expires_at(self, client: ApiClient):
        return client.expires_at

    def dehydrate_revoked_at(self, client: ApiClient):
        return client.revoked_at

    def dehydrate_last_used_at(self, client: ApiClient):
        return client.last_used_at


def api_clients_table(queryset) -> Table:
    return resource_table("clients", _("API clients"), ApiClientResource(), queryset.select_related("region"))
