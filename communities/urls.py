from django.urls import path

from . import pipeline_views, registry_views

app_name = "registry"
urlpatterns = [
    path("", registry_views.registry_list, name="list"),
    path("applications/", pipeline_views.application_list, name="applications"),
    path("applications/new/", pipeline_views.application_new, name="application-new"),
    path("applications/<int:pk>/", pipeline_views.application_detail, name="application"),
    path("applications/evidence/<int:pk>/", pipeline_views.evidence_download, name="application-evidence"),
    path("certifications/<int:pk>/", pipeline_views.certification_detail, name="certification"),
    path("progress/", pipeline_views.progress, name="progress"),
    path("criteria/", pipeline_views.criteria, name="criteria"),
    path("<str:code>/", registry_views.community_detail, name="community"),
]
