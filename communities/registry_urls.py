from django.urls import path

from . import registry_views

app_name = "registry"
urlpatterns = [
    path("", registry_views.registry_list, name="list"),
    path("<str:code>/", registry_views.community_detail, name="community"),
]
