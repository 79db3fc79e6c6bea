from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_page, name="page"),
    path("v<int:version>/", views.assessment_page, name="version"),
    path("v<int:version>/<str:kind>/", views.assessment_download, name="download"),
]
