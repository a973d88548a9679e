from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from applicants.models import (
    Application,
    Attachment,
    Company,
    Evaluation,
    EvaluatorAssignment,
    Message,
    MessageAttachment,
    ParticipationBan,
    ReminderSent,
    SubmissionDeclaration,
    Supplier,
    SupportRecord,
)
from config.admin import ReadOnlyAdmin


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "business_number", "representative", "region", "industry_code", "current_level")
    list_filter = ("region", "current_level", "is_sponsor_partner")
    search_fields = ("name", "business_number", "representative")
    list_select_related = ("partner_of",)
    autocomplete_fields = ("partner_of",)


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("name", "business_number", "region", "created_at")
    list_filter = ("region",)
    search_fields = ("name", "business_number")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("title", "company", "program", "level", "status", "total_cost", "score", "submitted_at")
    list_filter = ("status", "level", "program__year")
    search_fields = ("title", "company__name", "company__business_number", "program__title")
    list_select_related = ("company", "program")
    autocomplete_fields = ("program", "company", "supplier", "created_by")
    date_hierarchy = "submitted_at"


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind", "application", "size", "uploaded_by", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("original_name", "application__title")
    list_select_related = ("application", "uploaded_by")
    autocomplete_fields = ("application", "uploaded_by")
    # Documents are private (no MEDIA_URL): the stock widget would link to the file and crash.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}
    readonly_fields = ("stored_as",)

    @admin.display(description=_("저장 경로"))
    def stored_as(self, obj):
        return obj.file.name or "-"


@admin.register(EvaluatorAssignment)
class EvaluatorAssignmentAdmin(admin.ModelAdmin):
    list_display = ("application", "evaluator", "assigned_by", "assigned_at")
    search_fields = ("application__title", "evaluator__username")
    list_select_related = ("application", "evaluator", "assigned_by")
    autocomplete_fields = ("application", "evaluator", "assigned_by")


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("application", "evaluator", "conflict_of_interest", "total", "bonus", "updated_at")
    list_filter = ("conflict_of_interest",)
    search_fields = ("application__title", "evaluator__username")
    list_select_related = ("application", "evaluator")
    autocomplete_fields = ("application", "evaluator")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("application", "author_name", "visibility", "created_at")
    list_filter = ("visibility",)
    search_fields = ("application__title", "author_name", "body")
    list_select_related = ("application",)
    autocomplete_fields = ("application", "author")


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "message", "size")
    search_fields = ("original_name", "message__application__title")
    list_select_related = ("message",)
    raw_id_fields = ("message",)
    # Private like the application's documents: the stock widget would link to the file and crash.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    """Which reminders went (applicants/services/reminders.py): written by the beat task only."""

    list_display = ("day", "kind", "object_id", "sent_at")
    list_filter = ("kind",)
    date_hierarchy = "day"


@admin.register(SubmissionDeclaration)
class SubmissionDeclarationAdmin(ReadOnlyAdmin):
    """제출 확인 (SPEC §15.1): written by the submit service only, as the applicant declared."""

    list_display = ("application", "user", "created_at")
    search_fields = ("application__title", "user__username")
    list_select_related = ("application", "user")
    date_hierarchy = "created_at"


@admin.register(SupportRecord)
class SupportRecordAdmin(admin.ModelAdmin):
    """지원 이력 (SPEC §15.4): past support records brought in from other systems' exports."""

    list_display = (
        "business_number",
        "company_name",
        "program_name",
        "year",
        "level",
        "status",
        "government",
    )
    list_filter = ("year", "level", "status")
    search_fields = ("business_number", "company_name", "program_name")


@admin.register(ParticipationBan)
class ParticipationBanAdmin(ReadOnlyAdmin):
    """참여제한 (SPEC §15.2): recorded and lifted by staff through the bans' services, which audit
    and count strikes; shown here, never edited."""

    list_display = ("subject_type", "business_number", "starts_on", "ends_on", "second_strike", "lifted_on")
    list_filter = ("subject_type", "second_strike")
    search_fields = ("business_number", "reason")
    date_hierarchy = "starts_on"
