"""`imports/` of SPEC §15.5 under /api/v1/ (part B)."""

from django.urls import path

from imports.api.views import import_confirm_view, import_detail, imports

urlpatterns = [
    path("imports/", imports, name="import-list"),
    path("imports/<run_id>/", import_detail, name="import-detail"),
    path("imports/<run_id>/confirm/", import_confirm_view, name="import-confirm"),
]
