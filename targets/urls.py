from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("", views.target_list, name="target-list"),
    path("<slug:plan_code>/", views.target_list, name="plan-target-list"),
    path("<slug:plan_code>/<slug:code>/", views.target_detail_view, name="target-detail"),
    path("<slug:plan_code>/<slug:code>/sources/<str:region_code>/<str:quarter>/", views.snapshot_sources_view,
         name="snapshot-sources"),
]
