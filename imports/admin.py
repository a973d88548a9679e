"""가져오기 in the admin: shown, never edited. Runs are started, checked, confirmed and written by
imports' services, which keep the rules and the audit (SPEC §15.5)."""

from django.contrib import admin

from config.admin import ReadOnlyAdmin
from imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name", "kind", "status", "rows", "valid", "error_count", "created", "updated", "unchanged",
        "agency", "created_by", "created_at",
    )  # fmt: skip
    list_filter = ("status", "kind", "agency")
    search_fields = ("original_name",)
    list_select_related = ("agency", "created_by")
    date_hierarchy = "created_at"
    exclude = ("file",)  # private storage: read by the worker, never served by URL
