from django.urls import path

from . import views

app_name = "my_work"
urlpatterns = [
    path("", views.home, name="home"),
]
