from django.urls import path

from reports import outcome_views, report_views

app_name = "reports"

urlpatterns = [
    path("reports/", report_views.reports_page, name="reports"),
    path("my/applications/<int:pk>/outcomes/", outcome_views.my_outcomes, name="my-outcomes"),
    path("staff/applications/<int:pk>/outcomes/", outcome_views.staff_outcomes, name="staff-outcomes"),
    path("staff/applications/<int:pk>/panels/outcomes/", outcome_views.outcomes_panel, name="outcomes-panel"),
    path("staff/programs/<int:pk>/outcomes/", outcome_views.program_outcomes, name="program-outcomes"),
]
