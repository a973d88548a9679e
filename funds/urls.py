from django.urls import path

from funds import ranking_views, views

app_name = "funds"

urlpatterns = [
    path("staff/programs/<int:pk>/fund/", views.program_fund, name="program-fund"),
    path("staff/programs/<int:program_pk>/ranking/", ranking_views.ranking, name="ranking"),
    path("staff/applications/<int:pk>/disbursements/", views.record_disbursement, name="record-disbursement"),
    path("sponsor/", views.sponsor_home, name="sponsor"),
    path("sponsor/<int:pk>/", views.sponsor_dashboard_page, name="sponsor-dashboard"),
]
