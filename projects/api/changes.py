"""The API of agreement changes (협약변경, SPEC §16): the SME's owner asks, staff approve or reject.

Whoever cannot see the application, and evaluators and mentors who can, get 404; the sponsor reads
(a cost change moves its money) and writes nothing (403)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from applicants.models import Application, Supplier
from applicants.selectors import application_visible
from config.numbers import parse_whole_number
from program.cost_share import MAX_TOTAL
from projects.change_permissions import can_read_changes
from projects.change_selectors import change_list
from projects.models import AgreementChange
from projects.services.changes import change_approve, change_reject, change_request


class ChangeSerializer(serializers.ModelSerializer):
    new_supplier_name = serializers.CharField(source="new_supplier.name", read_only=True, default=None)

    class Meta:
        model = AgreementChange
        fields = [
            "id", "kind", "status", "cause_on", "reason", "new_ends_on", "new_supplier", "new_supplier_name",
            "new_total_cost", "previous", "note", "requested_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class ChangeWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgreementChange.Kind.choices)
    cause_on = serializers.DateField()
    reason = serializers.CharField(max_length=4000)
    new_ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    new_supplier = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.all(), required=False, allow_null=True, default=None
    )
    new_total_cost = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_TOTAL,
        error_messages={
            "min_value": _("총사업비는 1원 이상이어야 합니다."),
            "max_value": _("총사업비는 100억 원(10,000,000,000원) 이하여야 합니다."),
        },
    )


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


def _id(value) -> int:
    number = parse_whole_number(value)
    if number is None or number > 2**63 - 1:
        raise NotFound()
    return number


def _application(request, pk) -> Application:
    application = application_visible(user=request.user, application_id=_id(pk))
    if application is None or not can_read_changes(request.user, application):
        raise NotFound()
    return application


def _change(request, pk, change_id) -> AgreementChange:
    application = _application(request, pk)
    change = get_object_or_404(AgreementChange, application=application, pk=_id(change_id))
    change.application = application
    return change


APPLICATION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="the application")
CHANGE_ID = OpenApiParameter("change_id", int, OpenApiParameter.PATH, description="the change")


@extend_schema(methods=["GET"], parameters=[APPLICATION_ID], responses=ChangeSerializer(many=True))
@extend_schema(
    methods=["POST"],
    parameters=[APPLICATION_ID],
    request=ChangeWriteSerializer,
    responses={201: ChangeSerializer},
)
@api_view(["GET", "POST"])
def changes(request, pk):
    """협약변경: the application's changes, newest first; the SME's owner POSTs a new one (SPEC §16)."""
    application = _application(request, pk)
    if request.method == "GET":
        return Response(ChangeSerializer(change_list(application_id=application.pk), many=True).data)
    serializer = ChangeWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    change = change_request(actor=request.user, application=application, **serializer.validated_data)
    return Response(ChangeSerializer(change).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[APPLICATION_ID, CHANGE_ID], request=DecisionSerializer, responses=ChangeSerializer)
@api_view(["POST"])
def change_approve_view(request, pk, change_id):
    """Staff approve a pending change and it is applied (SPEC §16)."""
    change = _change(request, pk, change_id)
    serializer = DecisionSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    change = change_approve(actor=request.user, change=change, **serializer.validated_data)
    return Response(ChangeSerializer(change).data)


@extend_schema(parameters=[APPLICATION_ID, CHANGE_ID], request=DecisionSerializer, responses=ChangeSerializer)
@api_view(["POST"])
def change_reject_view(request, pk, change_id):
    """Staff reject a pending change, with a note (SPEC §16)."""
    change = _change(request, pk, change_id)
    serializer = DecisionSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    change = change_reject(actor=request.user, change=change, **serializer.validated_data)
    return Response(ChangeSerializer(change).data)


urlpatterns = [
    path("applications/<pk>/changes/", changes, name="application-changes"),
    path(
        "applications/<pk>/changes/<change_id>/approve/",
        change_approve_view,
        name="application-change-approve",
    ),
    path(
        "applications/<pk>/changes/<change_id>/reject/",
        change_reject_view,
        name="application-change-reject",
    ),
]
