from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("communities/", views.community_upload, name="communities"),
    path("returns/<str:region_code>/<str:period_label>/", views.return_upload, name="return"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/confirm/", views.batch_confirm, name="confirm"),
    path("<int:pk>/progress.json", views.batch_progress, name="progress"),
    path("<int:pk>/file/", views.batch_file, name="file"),
    path("samples/<str:name>/", views.sample, name="sample"),
]
