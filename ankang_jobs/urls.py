from django.contrib import admin
from django.urls import include, path

from kernel import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("regions/", include("divisions.urls")),
    path("communities/", include("communities.urls")),
    path("brands/", include("brands.urls")),
    path("audit/", include("audit.urls")),
    path("targets/", include("targets.urls")),
    path("reports/my/", include("my_work.urls")),
    path("reports/", include("reports.urls")),
    path("imports/", include("imports.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("packs/", include("packs.urls")),
    path("api/v1/", include((__import__("api.urls", fromlist=["v1"]).v1, "v1"))),
    path("api/", include("api.urls")),
    path("plans/<slug:code>/assessment/", include("assessments.urls")),
    path("assessments/annual/", include("assessments.annual_urls")),
    path("", include("targets.plan_urls")),
]

# Error pages name the request id and nothing internal (templates/error.html).
handler403 = "kernel.views.permission_denied"
handler404 = "kernel.views.page_not_found"
handler500 = "kernel.views.server_error"
