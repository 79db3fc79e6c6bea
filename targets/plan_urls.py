from django.urls import path

from . import plan_views as views

app_name = "plan"
urlpatterns = [
    path("", views.home, name="plan-current"),
    path("plans/<slug:code>/", views.plan_detail, name="plan-detail"),
    path("plans/<slug:code>/tasks/<int:number>/", views.task_detail, name="task-detail"),
]
