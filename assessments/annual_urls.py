from django.urls import path

from . import annual_views as views

app_name = "annual"
urlpatterns = [
    path("", views.annual_list, name="list"),
    path("template/", views.template_view, name="template"),
    path("<int:year>/", views.annual_view, name="assessment"),
    path("<int:year>/v<int:version>/", views.annual_view, name="version"),
    path("<int:year>/v<int:version>/docx/", views.annual_download, name="download"),
    path("<int:year>/schemes/<str:audience>/", views.scheme_view, name="scheme"),
]
