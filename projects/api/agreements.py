"""The API of SPEC §16 for the agreement: `applications/{id}/agreement/` (GET, PUT), its `send/`,
`sign/`, `countersign/` and `document/`. The application is found in the user's scope (404 outside);
evaluators and mentors, who see the application, do not see its agreement (404)."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from accounts.security import client_ip
from applicants.models import Supplier
from applicants.selectors import application_visible
from config.files import stored_file_response
from program.choices import Kpi
from projects.models import Agreement, AgreementSignature
from projects.permissions import can_edit_agreement, can_view_agreement
from projects.selectors import agreement_get, agreement_or_draft, agreement_split
from projects.services.agreements import (
    agreement_countersign,
    agreement_send,
    agreement_sign,
    agreement_update,
)


class KpiTargetSerializer(serializers.Serializer):
    kpi = serializers.ChoiceField(choices=Kpi.choices)
    baseline = serializers.CharField(max_length=30, help_text='a decimal, e.g. "3.5"')
    target = serializers.CharField(max_length=30, help_text="better than the baseline in the KPI's direction")


class AmountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    government = serializers.IntegerField()
    sponsor = serializers.IntegerField()
    sme = serializers.IntegerField()


class SignatureSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = AgreementSignature
        fields = ["party", "user_name", "signed_at", "ip_address", "document_sha256"]

    def get_user_name(self, signature) -> str:
        return signature.user.get_full_name() or signature.user.username


class AgreementSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id", read_only=True)
    kpi_targets = KpiTargetSerializer(many=True)
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), allow_null=True)
    amounts = serializers.SerializerMethodField()
    signatures = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "application", "status", "starts_on", "ends_on", "original_ends_on", "kpi_targets", "supplier",
            "amounts", "document_sha256", "sent_at", "countersigned_at", "signatures",
        ]  # fmt: skip
        read_only_fields = ["status", "original_ends_on", "document_sha256", "sent_at", "countersigned_at"]
        extra_kwargs = {"starts_on": {"allow_null": True}, "ends_on": {"allow_null": True}}

    @extend_schema_field(AmountsSerializer(allow_null=True))
    def get_amounts(self, agreement) -> dict | None:
        split = agreement_split(agreement.application)
        return None if split is None else AmountsSerializer(split).data

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, agreement) -> list:
        if agreement.pk is None:
            return []
        return list(SignatureSerializer(agreement.signatures.all(), many=True).data)


# The application's id in the path (named `pk` in the URL, as DRF's routes call it "id").
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class SignSerializer(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, max_length=128)


def _application(request, pk):
    application = application_visible(user=request.user, application_id=_int(pk))
    if application is None or not can_view_agreement(request.user, application):
        raise NotFound()
    return application


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def _answer(application, status: int = 200) -> Response:
    agreement = agreement_or_draft(application=application)
    if agreement is None:
        raise NotFound()
    return Response(AgreementSerializer(agreement).data, status=status)


@extend_schema(parameters=[ID], request=AgreementSerializer, responses=AgreementSerializer)
@api_view(["GET", "PUT"])
def agreement(request, pk):
    """The application's agreement (SPEC §16); staff of the agency write the draft with PUT."""
    application = _application(request, pk)
    if request.method == "GET":
        return _answer(application)
    if not can_edit_agreement(request.user, application):
        raise PermissionDenied()
    serializer = AgreementSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    agreement_update(
        actor=request.user,
        application=application,
        starts_on=data.get("starts_on"),
        ends_on=data.get("ends_on"),
        kpi_targets=[dict(row) for row in data["kpi_targets"]],
        supplier=data.get("supplier"),
    )
    return _answer(application)


@extend_schema(parameters=[ID], request=None, responses=AgreementSerializer)
@api_view(["POST"])
def send(request, pk):
    """Staff: generate the PDF, store its SHA-256, ask the SME to sign."""
    application = _application(request, pk)
    if not can_edit_agreement(request.user, application):
        raise PermissionDenied()
    agreement_send(actor=request.user, application=application)
    return _answer(application)


@extend_schema(parameters=[ID], request=SignSerializer, responses=AgreementSerializer)
@api_view(["POST"])
def sign(request, pk):
    """The SME's owner signs by re-entering its password (400 `password_invalid`)."""
    application = _application(request, pk)
    serializer = SignSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    agreement_sign(
        actor=request.user,
        application=application,
        password=serializer.validated_data["password"],
        ip=client_ip(request) or None,
    )
    return _answer(application)


@extend_schema(parameters=[ID], request=None, responses=AgreementSerializer)
@api_view(["POST"])
def countersign(request, pk):
    """Staff countersign what the SME signed, which performs `sign_agreement`."""
    application = _application(request, pk)
    agreement_countersign(actor=request.user, application=application, ip=client_ip(request) or None)
    return _answer(application)


@extend_schema(
    parameters=[ID], responses={(200, "application/pdf"): OpenApiResponse(description="the agreement's PDF")}
)
@api_view(["GET"])
def document(request, pk):
    """The sent PDF: staff, the SME's owner, the program's sponsor."""
    application = _application(request, pk)
    found = agreement_get(application_id=application.pk)
    if found is None or not found.document:
        raise NotFound()
    return stored_file_response(
        found.document.name, filename=f"agreement-{application.pk}.pdf", content_type="application/pdf"
    )


urlpatterns = [
    path("applications/<pk>/agreement/", agreement, name="application-agreement"),
    path("applications/<pk>/agreement/send/", send, name="application-agreement-send"),
    path("applications/<pk>/agreement/sign/", sign, name="application-agreement-sign"),
    path("applications/<pk>/agreement/countersign/", countersign, name="application-agreement-countersign"),
    path("applications/<pk>/agreement/document/", document, name="application-agreement-document"),
]
