from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.home, name="plan-current"),
    path("plans/<slug:code>/", views.plan_detail, name="plan-detail"),
    path("plans/<slug:code>/tasks/<int:number>/", views.task_detail, name="task-detail"),
]
