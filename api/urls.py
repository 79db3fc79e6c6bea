from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

v1 = [
    path("plans/", views.PlanList.as_view(), name="plan-list"),
    path("plans/<slug:code>/", views.PlanDetail.as_view(), name="plan-detail"),
    path("tasks/", views.TaskList.as_view(), name="task-list"),
    path("departments/", views.DepartmentList.as_view(), name="department-list"),
    path("regions/", views.RegionList.as_view(), name="region-list"),
    path("regions/<str:code>/", views.RegionDetail.as_view(), name="region-detail"),
    path("indicators/", views.IndicatorList.as_view(), name="indicator-list"),
    path("targets/", views.TargetList.as_view(), name="target-list"),
    path("periods/", views.PeriodList.as_view(), name="period-list"),
    path("snapshots/", views.SnapshotList.as_view(), name="snapshot-list"),
    path("task-reports/", views.TaskReportList.as_view(), name="task-report-list"),
    path("task-reports/<str:period>/<int:task>/", views.TaskReportWrite.as_view(), name="task-report-save"),
    path("task-reports/<str:period>/<int:task>/submit/", views.TaskReportSubmit.as_view(), name="task-report-submit"),
    path("task-report-parts/<str:period>/<int:task>/", views.TaskPartWrite.as_view(), name="task-part-save"),
    path("task-report-parts/<str:period>/<int:task>/submit/", views.TaskPartSubmit.as_view(),
         name="task-part-submit"),
    path("task-measures/", views.TaskMeasureList.as_view(), name="task-measure-list"),
    path("task-measure-figures/", views.TaskMeasureFigureList.as_view(), name="task-measure-figure-list"),
    path("certifications/", views.CertificationList.as_view(), name="certification-list"),
    path("returns/", views.CountyReturnList.as_view(), name="return-list"),
    path("values/", views.ValueList.as_view(), name="value-list"),
    path("returns/values/", views.ReturnValuesBackfill.as_view(), name="return-values-backfill"),
    path("returns/<str:period>/values/", views.ReturnValues.as_view(), name="return-values"),
    path("returns/<str:period>/submit/", views.ReturnSubmit.as_view(), name="return-submit"),
]

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves its start-up script as a file: the Content-Security-Policy refuses inline ones
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
