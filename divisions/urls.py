from django.urls import path

from . import views

app_name = "divisions"
urlpatterns = [
    path("", views.region_list, name="region-list"),
    path("<str:code>/", views.region_list, name="region-detail"),
]
