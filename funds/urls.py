from django.urls import path

from funds import ranking_views, views

app_name = "funds"

urlpatterns = [
    path("staff/programs/<int:pk>/fund/", views.program_fund, name="program-fund"),
    path("staff/programs/<int:program_pk>/ranking/", ranking_views.ranking, name="ranking"),
    path(
        "staff/programs/<int:program_pk>/ranking/<int:pk>/decide/",
        ranking_views.decide,
        name="ranking-decide",
    ),
    path(
        "staff/programs/<int:program_pk>/ranking/committee/",
        ranking_views.committee,
        name="ranking-committee",
    ),
    path("staff/applications/<int:pk>/disbursements/", views.record_disbursement, name="record-disbursement"),
    path("staff/applications/<int:pk>/panels/payments/", views.payments_panel, name="payments-panel"),
]
