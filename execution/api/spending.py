"""SPEC §18.1-18.2 API: spending lines and deposits.

Whoever cannot see the application, and evaluators and mentors who can, get 404; the agency's staff,
the ministry, the SME's people and the program's sponsor read. The SME's owner records spending, the
agency's staff review it and record deposits; any other reader who writes gets 403 (before its body
is judged)."""

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from applicants.models import Application
from applicants.selectors import application_visible
from config.files import stored_file_response
from config.numbers import parse_whole_number
from config.uploads import CONTENT_TYPES, file_extension
from execution.models import Deposit, SpendingLine
from execution.permissions import can_manage_execution, can_record_spending, can_view_execution
from execution.selectors import deposit_list, spending_list
from execution.services.deposits import deposit_record
from execution.services.spending import spending_record, spending_review
from program.cost_share import MAX_TOTAL


class SpendingLineSerializer(serializers.ModelSerializer):
    """One line of the register with its flags, review and the running total of what is not
    disallowed up to it (what counts against the agreed total)."""

    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    running_total = serializers.IntegerField(read_only=True)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = SpendingLine
        fields = [
            "id", "spent_on", "supplier_business_number", "item", "amount", "evidence", "invoice_number",
            "supplier_mismatch", "outside_period", "credit_note", "over_budget", "flagged", "flags",
            "status", "reason", "reviewed_at", "created_at", "running_total", "document_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_document_url(self, line: SpendingLine) -> str:
        """Where the evidence file is downloaded (`…/spending/{id}/document/`)."""
        return reverse("application-spending-document", args=[line.application_id, line.pk])


class SpendingWriteSerializer(serializers.Serializer):
    """multipart. Whether the values make a line (the business number's check digit, the invoice
    number for a tax invoice, the file's content) is the service's to judge, at each field."""

    spent_on = serializers.DateField()
    supplier_business_number = serializers.CharField(max_length=12)
    item = serializers.CharField(max_length=200)
    amount = serializers.IntegerField(
        min_value=-MAX_TOTAL, max_value=MAX_TOTAL, help_text="KRW excluding VAT; negative: a credit note"
    )
    evidence = serializers.ChoiceField(choices=SpendingLine.Evidence.choices)
    invoice_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, allow_null=True, default=None,
        help_text="24 digits; required for tax_invoice",
    )  # fmt: skip
    document = serializers.FileField(help_text="PDF, PNG, JPG; 20MB")


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[SpendingLine.Status.APPROVED, SpendingLine.Status.DISALLOWED])
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DepositSerializer(serializers.ModelSerializer):
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Deposit
        fields = ["id", "amount", "deposited_on", "has_document", "created_at"]
        read_only_fields = fields

    def get_has_document(self, deposit: Deposit) -> bool:
        return bool(deposit.document)


class DepositWriteSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=MAX_TOTAL)
    deposited_on = serializers.DateField()
    document = serializers.FileField(required=False, allow_null=True, default=None, help_text="PDF, PNG, JPG")


def _id(value) -> int:
    number = parse_whole_number(value)
    if number is None or number > 2**63 - 1:
        raise NotFound()
    return number


def _application(request, pk) -> Application:
    """The application in the user's scope whose execution they may read, else 404."""
    application = application_visible(user=request.user, application_id=_id(pk))
    if application is None or not can_view_execution(request.user, application):
        raise NotFound()
    return application


def _line(request, pk, line_pk) -> SpendingLine:
    application = _application(request, pk)
    line = SpendingLine.objects.filter(application=application, pk=_id(line_pk)).first()
    if line is None:
        raise NotFound()
    line.application = application
    return line


def _with_running_total(line: SpendingLine) -> SpendingLine:
    """The line as the register lists it (with its running total): one read of the ~20 lines."""
    return next(row for row in spending_list(application_id=line.application_id) if row.pk == line.pk)


APPLICATION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="the application")
LINE_ID = OpenApiParameter("line_pk", int, OpenApiParameter.PATH, description="the spending line")


@extend_schema(methods=["GET"], parameters=[APPLICATION_ID], responses=SpendingLineSerializer(many=True))
@extend_schema(
    methods=["POST"],
    parameters=[APPLICATION_ID],
    request={"multipart/form-data": SpendingWriteSerializer},
    responses={201: SpendingLineSerializer},
    description="The SME's owner records a line while building; 409 `duplicate_invoice` for an invoice "
    "number recorded anywhere, 409 `not_building` in any other state.",
)
@api_view(["GET", "POST"])
def spending(request, pk):
    """집행 내역: the whole register ordered by spent_on, id (a project has ~20 lines), with a running
    total; the SME's owner POSTs a line with its evidence (SPEC §18.1)."""
    application = _application(request, pk)
    if request.method == "GET":
        lines = spending_list(application_id=application.pk)
        return Response(SpendingLineSerializer(lines, many=True).data)
    if not can_record_spending(request.user, application):
        raise PermissionDenied()
    serializer = SpendingWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    line = spending_record(actor=request.user, application=application, **serializer.validated_data)
    return Response(SpendingLineSerializer(_with_running_total(line)).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[APPLICATION_ID, LINE_ID],
    request=ReviewSerializer,
    responses=SpendingLineSerializer,
    description="Staff approve or disallow (reason required) a line; 409 `settlement_confirmed` once the "
    "settlement is confirmed.",
)
@api_view(["POST"])
def spending_review_view(request, pk, line_pk):
    """Staff review one line (SPEC §18.1)."""
    line = _line(request, pk, line_pk)
    if not can_manage_execution(request.user, line.application):
        raise PermissionDenied()
    serializer = ReviewSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    line = spending_review(actor=request.user, line=line, **serializer.validated_data)
    return Response(SpendingLineSerializer(_with_running_total(line)).data)


@extend_schema(
    parameters=[APPLICATION_ID, LINE_ID],
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    description="Downloads the line's evidence file.",
)
@api_view(["GET"])
def spending_document(request, pk, line_pk):
    """The evidence file of one line, to whoever reads the register."""
    line = _line(request, pk, line_pk)
    extension = file_extension(line.document.name or "")
    return stored_file_response(
        line.document.name,
        filename=f"spending-{line.pk}.{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


@extend_schema(methods=["GET"], parameters=[APPLICATION_ID], responses=DepositSerializer(many=True))
@extend_schema(
    methods=["POST"],
    parameters=[APPLICATION_ID],
    request={"multipart/form-data": DepositWriteSerializer, "application/json": DepositWriteSerializer},
    responses={201: DepositSerializer},
    description="Staff of the agency record a deposit of the SME's share (SPEC §18.2), from selection to "
    "the completion review (409 `not_depositable` otherwise).",
)
@api_view(["GET", "POST"])
def deposits(request, pk):
    """기업부담금 입금: the application's deposits, oldest first; staff POST one (SPEC §18.2)."""
    application = _application(request, pk)
    if request.method == "GET":
        return Response(DepositSerializer(deposit_list(application_id=application.pk), many=True).data)
    if not can_manage_execution(request.user, application):
        raise PermissionDenied()
    serializer = DepositWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    deposit = deposit_record(actor=request.user, application=application, **serializer.validated_data)
    return Response(DepositSerializer(deposit).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("applications/<pk>/spending/", spending, name="application-spending"),
    path(
        "applications/<pk>/spending/<line_pk>/review/",
        spending_review_view,
        name="application-spending-review",
    ),
    path(
        "applications/<pk>/spending/<line_pk>/document/",
        spending_document,
        name="application-spending-document",
    ),
    path("applications/<pk>/deposits/", deposits, name="application-deposits"),
]
