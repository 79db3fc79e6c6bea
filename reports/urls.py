from django.urls import path

from . import delivery_views, supervision_views, views

app_name = "reports"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("returns/<str:region_code>/<str:period_label>/", views.county_return_view, name="county-return"),
    path("returns/<str:region_code>/<str:period_label>/autosave/", views.county_return_autosave,
         name="county-return-autosave"),
    path("tasks/", views.task_board_view, name="task-board"),
    path("timeliness/", views.timeliness_view, name="timeliness"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("notifications/settings/", delivery_views.notification_settings_view, name="notification-settings"),
    path("deliveries/", delivery_views.deliveries_view, name="deliveries"),
    path("extensions/", views.extensions_view, name="extensions"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("instructions/", supervision_views.instructions_view, name="instructions"),
    path("instructions/<int:pk>/", supervision_views.instruction_view, name="instruction"),
    path("tasks/<int:number>/<str:period_label>/", views.task_report_view, name="task-report"),
    path("tasks/<int:number>/<str:period_label>/autosave/", views.task_report_autosave, name="task-report-autosave"),
]
