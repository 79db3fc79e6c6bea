from django.urls import path

from . import views

app_name = "packs"
urlpatterns = [
    path("", views.pack_list, name="list"),
    path("<int:pk>/download/", views.pack_download, name="download"),
    path("<int:pk>/", views.pack_summary, name="summary"),
]
