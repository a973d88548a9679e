from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import ReadOnlyAdmin
from program.models import (
    Agency,
    AuditEvent,
    Notification,
    OutgoingEmail,
    Program,
    ProgramFaq,
    ProgramFile,
    Sponsor,
)
from program.outbox import email_resend


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


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The in-app notices (the inbox), written by program.notifications.notify only: to read, not alter."""

    list_display = ("created_at", "user", "kind", "title", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    """The e-mail outbox (program/outbox.py), to see what went, what waits and why. The body is not
    shown: a sign-up mail carries its activation link, which is the addressee's alone."""

    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    exclude = ("body",)
    actions = ["resend"]

    @admin.action(description=_("선택한 발송 실패 메일 다시 보내기"))
    def resend(self, request, queryset):
        count = email_resend(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("메일 %(count)d건을 다시 보냅니다.", "메일 %(count)d건을 다시 보냅니다.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ProgramFaq)
class ProgramFaqAdmin(admin.ModelAdmin):
    list_display = ("program", "order", "question")
    search_fields = ("question", "program__title")
    list_select_related = ("program",)
    raw_id_fields = ("program",)


@admin.register(ProgramFile)
class ProgramFileAdmin(admin.ModelAdmin):
    """A 공고's files; added and removed on the program form, where they are checked and audited."""

    list_display = ("program", "kind", "title", "original_name", "size", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("title", "original_name", "program__title")
    list_select_related = ("program",)
    raw_id_fields = ("program", "uploaded_by")
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}
