from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("targets/<slug:code>/", views.target_page, name="target"),
    path("counties/<str:region_code>/", views.county_page, name="county"),
    path("tasks/", views.task_board, name="tasks"),
    path("certification/", views.certification, name="certification"),
    path("rankings/", views.rankings, name="rankings"),
    path("behind/", views.behind, name="behind"),
]
