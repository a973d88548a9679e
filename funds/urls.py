from django.urls import path

from funds import views

app_name = "funds"

urlpatterns = [
    path("staff/programs/<int:pk>/fund/", views.program_fund, name="program-fund"),
    path("staff/applications/<int:pk>/disbursements/", views.record_disbursement, name="record-disbursement"),
    path("staff/applications/<int:pk>/panels/payments/", views.payments_panel, name="payments-panel"),
]
