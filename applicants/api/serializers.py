from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from applicants.models import (
    Application,
    Attachment,
    Company,
    Evaluation,
    Message,
    MessageAttachment,
    Supplier,
)
from applicants.services.bans import supplier_check
from program.business_number import format_business_number
from program.models import AuditEvent
from program.serializer_fields import business_number_field


class CompanySerializer(serializers.ModelSerializer):
    business_number = business_number_field(Company)

    class Meta:
        model = Company
        fields = [
            "id",
            "business_number",
            "name",
            "representative",
            "region",
            "industry_code",
            "employees",
            "annual_revenue",
            "founded_on",
            "current_level",
            "is_sponsor_partner",
        ]


class SupplierSerializer(serializers.ModelSerializer):
    business_number = business_number_field(Supplier)

    class Meta:
        model = Supplier
        fields = ["id", "name", "business_number", "solution_areas", "region"]


# The range of the database's 64-bit integer: what the schema has always said of these amounts.
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


# `application.cost_share`: the split as last computed (docs/domain.md §3.2). Funds owns the row; its
# fields are spelled out here so that applicants reads it without importing funds (and no docstring:
# it would become the schema component's description).
class CostShareSerializer(serializers.Serializer):
    total = serializers.IntegerField(label=_("총사업비(원)"), min_value=BIGINT_MIN, max_value=BIGINT_MAX)
    government = serializers.IntegerField(
        label=_("정부 지원금(원)"), min_value=BIGINT_MIN, max_value=BIGINT_MAX
    )
    sponsor = serializers.IntegerField(
        label=_("주관기관 부담금(원)"), min_value=BIGINT_MIN, max_value=BIGINT_MAX
    )
    sme = serializers.IntegerField(label=_("기업 부담금(원)"), min_value=BIGINT_MIN, max_value=BIGINT_MAX)
    capped = serializers.BooleanField(label=_("정부지원 한도 적용"), required=False)
    computed_at = serializers.DateTimeField(label=_("계산일시"))


class ApplicationSerializer(serializers.ModelSerializer):
    program_title = serializers.CharField(source="program.title", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)
    business_number = serializers.SerializerMethodField()
    region = serializers.CharField(source="company.region", read_only=True)
    industry_code = serializers.CharField(source="company.industry_code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    cost_share = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "program",
            "program_title",
            "company",
            "company_name",
            "business_number",
            "region",
            "industry_code",
            "level",
            "title",
            "plan",
            "total_cost",
            "supplier",
            "wants_mentoring",
            "status",
            "status_display",
            "score",
            "cost_share",
            "submitted_at",
            "changes_due_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "score", "submitted_at", "changes_due_on", "created_at", "updated_at"]

    def get_business_number(self, application) -> str:
        return format_business_number(application.company.business_number)

    def get_cost_share(self, application) -> dict | None:
        # Loaded with select_related by the selectors; a missing row reads as None without a query.
        share = getattr(application, "cost_share", None)
        return CostShareSerializer(share).data if share else None


class ApplicationListSerializer(ApplicationSerializer):
    class Meta(ApplicationSerializer.Meta):
        fields = [f for f in ApplicationSerializer.Meta.fields if f != "plan"]


class ApplicationWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ["program", "company", "level", "title", "plan", "total_cost", "supplier", "wants_mentoring"]
        extra_kwargs = {
            "plan": {"required": False},
            "total_cost": {"required": False},
            # Another company's id answers exactly like one that does not exist: nothing leaks.
            "company": {"error_messages": {"does_not_exist": _("소속 기업의 신청서만 작성할 수 있습니다.")}},
        }

    def validate_supplier(self, supplier):
        # 참여제한 (SPEC §15.2): a supplier banned today cannot be chosen (400 on `supplier`).
        try:
            supplier_check(supplier, field="supplier")
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["supplier"]) from None
        return supplier

    def get_fields(self):
        fields = super().get_fields()
        user = self.context.get("user")
        if user is not None:
            # mypy: "company" is the ModelSerializer's PrimaryKeyRelatedField, not a bare Field
            fields["company"].queryset = Company.objects.filter(pk=user.company_id or 0)  # type: ignore[attr-defined]
        return fields


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    # 보완 기한 of a request_changes (default 14 days on; other actions ignore it).
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "actor", "action", "before", "after", "note"]


class EvaluatorAssignSerializer(serializers.Serializer):
    evaluator = serializers.CharField(max_length=150)


class EvaluationSerializer(serializers.ModelSerializer):
    evaluator = serializers.CharField(source="evaluator.username", read_only=True)
    # Omitted, no conflict is declared (as on the evaluator's page); evaluation_submit needs a value.
    conflict_of_interest = serializers.BooleanField(required=False, default=False)
    scores = serializers.DictField(child=serializers.IntegerField(), required=False, default=dict)
    bonus = serializers.IntegerField(required=False, default=0)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "application",
            "evaluator",
            "conflict_of_interest",
            "scores",
            "bonus",
            "total",
            "comment",
        ]
        read_only_fields = ["total"]
        # Several submissions by the same evaluator update one evaluation: uniqueness is the service's.
        validators: list = []


class MessageAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")

    class Meta:
        model = MessageAttachment
        fields = ["id", "name", "content_type", "size"]


class AttachmentSerializer(serializers.ModelSerializer):
    """A typed document of an application (SPEC §10); `GET …/attachments/{id}/` downloads it."""

    name = serializers.CharField(source="original_name")

    class Meta:
        model = Attachment
        fields = ["id", "kind", "name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    """multipart: the document's `kind` and its `file`. Which kinds may be added in which state, and
    what a file may be, is the service's to judge (applicants/services/attachments.py)."""

    kind = serializers.CharField(
        help_text="business_registration | financial_statements | quote | business_plan (while editable); "
        "completion_report (while building)"
    )
    file = serializers.FileField(help_text=_("PDF, PNG, JPG, XLSX, HWP, 20MB까지"))


class MessageSerializer(serializers.ModelSerializer):
    """One message of an application's thread (SPEC §19)."""

    attachments = MessageAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author_name", "body", "visibility", "created_at", "attachments"]
        read_only_fields = fields


class MessageWriteSerializer(serializers.Serializer):
    """A new message: its text, and who reads it (`internal`: officials only; staff alone post one).
    What the text and the visibility may be is the service's to judge (applicants/services/messages.py)."""

    body = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text=_("5,000자까지"))
    visibility = serializers.CharField(default=Message.Visibility.APPLICANT, help_text="applicant | internal")
