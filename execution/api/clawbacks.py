"""SPEC §18.4 API: clawbacks and their collections.

The list is the officials' (staff their agency's, the ministry all; anyone else 404). One clawback
and its collections are read by whoever reads its application's execution (the agency's officials,
the SME's people, the program's sponsor); only the agency's staff write (the ministry 403)."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from accounts.roles import is_official, is_staff
from applicants.selectors import application_visible
from config.api import Pagination
from config.numbers import parse_whole_number
from execution.api.settlement import application_in_scope
from execution.clawback_selectors import clawback_list
from execution.models import Clawback, ClawbackCollection
from execution.services.clawbacks import clawback_collect, clawback_open, clawback_uncollectable
from program.cost_share import MAX_TOTAL


class ClawbackSerializer(serializers.ModelSerializer):
    application_title = serializers.CharField(source="application.title", read_only=True)
    company_name = serializers.CharField(source="application.company.name", read_only=True)
    amount = serializers.IntegerField(read_only=True)
    collected = serializers.IntegerField(read_only=True)
    remaining = serializers.IntegerField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Clawback
        fields = [
            "id", "application", "application_title", "company_name", "reason", "government", "sponsor",
            "amount", "collected_government", "collected_sponsor", "collected", "remaining", "due_on",
            "overdue", "ban", "status", "note", "closed_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, clawback: Clawback) -> bool:
        return clawback.status == Clawback.Status.OPEN and clawback.due_on < timezone.localdate()


def _amount(**kwargs):
    return serializers.IntegerField(
        min_value=kwargs.pop("min_value", 0),
        max_value=MAX_TOTAL,
        error_messages={"min_value": _("0원 이상이어야 합니다."), "max_value": _("금액이 너무 큽니다.")},
        **kwargs,
    )


class ClawbackWriteSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.ChoiceField(choices=Clawback.Reason.choices)
    government = _amount()
    sponsor = _amount()
    due_on = serializers.DateField()
    ban = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CollectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClawbackCollection
        fields = ["id", "amount", "gov_part", "sponsor_part", "collected_on", "created_at"]
        read_only_fields = ["gov_part", "sponsor_part", "created_at"]
        extra_kwargs = {"amount": {"min_value": 1, "max_value": MAX_TOTAL}}


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ClawbackFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=Clawback.Status.choices, required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    application = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


def _clawback(request, clawback_id) -> Clawback:
    """The clawback if the user reads its application's execution, else 404."""
    number = parse_whole_number(clawback_id)
    clawback = (
        Clawback.objects.filter(pk=number).first() if number is not None and number <= 2**63 - 1 else None
    )
    if clawback is None:
        raise NotFound()
    clawback.application = application_in_scope(request, str(clawback.application_id))
    return clawback


def _create(request) -> Response:
    if not is_staff(request.user):
        raise PermissionDenied()
    serializer = ClawbackWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    application = application_visible(user=request.user, application_id=data.pop("application"))
    if application is None:
        raise serializers.ValidationError({"application": [_("환수할 신청서를 찾을 수 없습니다.")]})
    clawback = clawback_open(actor=request.user, application=application, **data)
    return Response(ClawbackSerializer(clawback).data, status=status.HTTP_201_CREATED)


ClawbackPage = inline_serializer(
    name="PaginatedClawbackList",
    fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": ClawbackSerializer(many=True),
    },
)
CLAWBACK_ID = OpenApiParameter("clawback_id", int, OpenApiParameter.PATH, description="the clawback")


@extend_schema(
    methods=["GET"], operation_id="v1_clawbacks_list", parameters=[ClawbackFilters], responses=ClawbackPage
)
@extend_schema(methods=["POST"], request=ClawbackWriteSerializer, responses={201: ClawbackSerializer})
@api_view(["GET", "POST"])
def clawbacks(request):
    """환수: staff see their agency's clawbacks (the ministry all), by due date; filters `status`,
    `overdue=true`, `application`. Staff POST a new one (SPEC §18.4)."""
    if not is_official(request.user):
        raise NotFound()
    if request.method == "POST":
        return _create(request)
    filters = ClawbackFilters(data=request.query_params)
    filters.is_valid(raise_exception=True)
    paginator = Pagination()
    page = paginator.paginate_queryset(
        clawback_list(user=request.user, filters=filters.validated_data), request
    )
    return paginator.get_paginated_response(ClawbackSerializer(page, many=True).data)


@extend_schema(parameters=[CLAWBACK_ID], responses=ClawbackSerializer)
@api_view(["GET"])
def clawback_detail(request, clawback_id):
    """One clawback."""
    return Response(ClawbackSerializer(_clawback(request, clawback_id)).data)


@extend_schema(methods=["GET"], parameters=[CLAWBACK_ID], responses=CollectionSerializer(many=True))
@extend_schema(
    methods=["POST"],
    parameters=[CLAWBACK_ID],
    request=CollectionSerializer,
    responses={201: CollectionSerializer},
)
@api_view(["GET", "POST"])
def collections(request, clawback_id):
    """환수금 회수: the clawback's collections; staff POST one `{"amount", "collected_on"}`, split
    between the pots and appended to the ledger as `recovery`."""
    clawback = _clawback(request, clawback_id)
    if request.method == "GET":
        return Response(
            CollectionSerializer(clawback.collections.order_by("collected_on", "id"), many=True).data
        )
    serializer = CollectionSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    collection = clawback_collect(actor=request.user, clawback=clawback, **serializer.validated_data)
    return Response(CollectionSerializer(collection).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[CLAWBACK_ID], request=NoteSerializer, responses=ClawbackSerializer)
@api_view(["POST"])
def uncollectable(request, clawback_id):
    """환수 불능 (staff, note required)."""
    clawback = _clawback(request, clawback_id)
    serializer = NoteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    clawback = clawback_uncollectable(actor=request.user, clawback=clawback, **serializer.validated_data)
    return Response(ClawbackSerializer(clawback).data)


urlpatterns = [
    path("clawbacks/", clawbacks, name="clawbacks"),
    path("clawbacks/<clawback_id>/", clawback_detail, name="clawback-detail"),
    path("clawbacks/<clawback_id>/collections/", collections, name="clawback-collections"),
    path("clawbacks/<clawback_id>/uncollectable/", uncollectable, name="clawback-uncollectable"),
]
