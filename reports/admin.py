from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import Outcome, Report


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ("application", "kpi", "baseline", "result", "measured_on", "entered_by")
    list_filter = ("kpi",)
    search_fields = ("application__title", "application__company__name")
    list_select_related = ("application", "entered_by")
    autocomplete_fields = ("application", "entered_by")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "format",
        "status",
        "progress",
        "program",
        "sponsor",
        "requested_by",
    )
    list_filter = ("kind", "format", "status", "scheduled")
    search_fields = ("program__title", "sponsor__name", "requested_by__username")
    list_select_related = ("program", "sponsor", "requested_by")
    autocomplete_fields = ("program", "sponsor", "requested_by")
    # Reports are private (no MEDIA_URL): the stock widget would link to the file and crash.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}
    # Written by the run (reports.runs) and by report_request, not by hand.
    readonly_fields = ("stored_as", "attempts", "task_id", "scope")

    @admin.display(description=_("저장 경로"))
    def stored_as(self, obj):
        return obj.file.name or "-"
