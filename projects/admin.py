from django.contrib import admin

from config.admin import ReadOnlyAdmin
from projects.models import Agreement, AgreementChange, AgreementSignature, Inspection


class SignatureInline(admin.TabularInline):
    model = AgreementSignature
    extra = 0
    readonly_fields = ["party", "user", "signed_at", "ip_address", "document_sha256"]
    can_delete = False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["application", "status", "starts_on", "ends_on", "sent_at", "countersigned_at"]
    list_filter = ["status"]
    raw_id_fields = ["application", "supplier", "created_by"]
    readonly_fields = ["document_sha256", "sent_at", "countersigned_at"]
    inlines = [SignatureInline]


@admin.register(AgreementChange)
class AgreementChangeAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "status", "cause_on", "requested_at", "decided_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["application", "new_supplier", "requested_by", "decided_by"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["application", "result", "created_at", "inspected_by"]
    list_filter = ["result"]
    raw_id_fields = ["application", "audit_report", "inspected_by"]


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(ReadOnlyAdmin):
    """Signatures are made by the agreement's services only (SPEC §16): shown, never edited."""

    list_display = ["agreement", "party", "user", "signed_at", "ip_address"]
    list_filter = ["party"]
