from django.contrib import admin

from config.admin import ReadOnlyAdmin
from program.models import Agency, AuditEvent, Program, Sponsor


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ("name", "business_number", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "business_number")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "year",
        "sponsor",
        "agency",
        "track",
        "status",
        "opens_on",
        "closes_on",
        "gov_budget",
    )
    list_filter = ("status", "year", "agency")
    search_fields = ("title", "track", "sponsor__name")
    list_select_related = ("sponsor", "agency")
    autocomplete_fields = ("sponsor", "agency")
    date_hierarchy = "opens_on"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is written by services only; here it can be read, never altered."""

    list_display = ("created_at", "action", "content_type", "object_id", "actor", "note")
    list_filter = ("action", "content_type")
    search_fields = ("action", "note", "actor__username")
    list_select_related = ("actor", "content_type")
    date_hierarchy = "created_at"
