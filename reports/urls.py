from django.urls import path

from reports import dashboard_views, outcome_views, project_views, report_views

app_name = "reports"

urlpatterns = [
    path("reports/", report_views.reports_page, name="reports"),
    path("sponsor/", dashboard_views.sponsor_home, name="sponsor-home"),
    path("sponsor/<int:pk>/", dashboard_views.sponsor_dashboard_page, name="sponsor-dashboard"),
    path("sponsor/projects/<int:pk>/", project_views.sponsor_project, name="sponsor-project"),
    path("my/applications/<int:pk>/outcomes/", outcome_views.my_outcomes, name="my-outcomes"),
    path("staff/applications/<int:pk>/outcomes/", outcome_views.staff_outcomes, name="staff-outcomes"),
    path("staff/applications/<int:pk>/panels/outcomes/", outcome_views.outcomes_panel, name="outcomes-panel"),
    path("staff/programs/<int:pk>/outcomes/", outcome_views.program_outcomes, name="program-outcomes"),
]
