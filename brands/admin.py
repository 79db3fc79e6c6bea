from django.contrib import admin

from accounts.admin_site import RoleScopedAdmin

from .models import LabourBrand
from .services import labour_brand_delete, labour_brand_save


@admin.register(LabourBrand)
class LabourBrandAdmin(RoleScopedAdmin):
    """The city administrator records the counties' labour brands; every save goes through the
    service (its rules, the roll-up of the per-county counts)."""

    list_display = ["name", "work_type", "county", "year_recognised", "workers_employed", "is_demo"]
    list_filter = ["county", "year_recognised", "is_demo"]
    search_fields = ["name", "work_type"]
    list_select_related = ["county"]
    fields = ["name", "work_type", "county", "year_recognised", "workers_employed", "note"]
    autocomplete_fields = ["county"]
    actions = None

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = labour_brand_save(brand=LabourBrand.objects.get(pk=obj.pk) if change else None, name=data["name"],
                                  work_type=data["work_type"], county=data["county"],
                                  year_recognised=data["year_recognised"], workers_employed=data["workers_employed"],
                                  note=data.get("note", ""), user=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        labour_brand_delete(brand=obj, user=request.user)
