from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("communities/", views.community_upload, name="communities"),
    path("brands/", views.brands_upload, name="brands"),
    path("returns/<str:region_code>/<str:period_label>/", views.return_upload, name="return"),
    path("applications/<slug:tier_code>/", views.applications_upload, name="applications"),
    path("task-reports/<str:period_label>/", views.task_reports_upload, name="task-reports"),
    path("plan/", views.plan_upload, name="plan"),
    path("templates/plan/", views.plan_template_download, name="plan-template"),
    path("templates/returns/<str:region_code>/<str:period_label>/", views.return_template_download,
         name="return-template"),
    path("templates/task-reports/<str:period_label>/", views.task_report_template_download, name="task-report-template"),
    path("templates/task-reports/<str:period_label>/<int:number>/", views.task_report_template_download,
         name="task-report-template-one"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/confirm/", views.batch_confirm, name="confirm"),
    path("<int:pk>/progress.json", views.batch_progress, name="progress"),
    path("<int:pk>/file/", views.batch_file, name="file"),
    path("samples/<str:name>/", views.sample, name="sample"),
]
