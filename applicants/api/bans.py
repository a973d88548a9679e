"""The API of participation bans (참여제한, SPEC §15.2): a register shared by every agency's staff, read
by the ministry too. Staff record and lift bans; the ministry writes nothing (403); applicants,
sponsors, evaluators and mentors do not see the register (404)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.roles import is_official, is_staff
from applicants.bans_selectors import ban_list
from applicants.models import ParticipationBan
from applicants.services.bans import ban_lift, ban_record
from config.api import Pagination
from config.errors import NotAllowed
from config.numbers import parse_whole_number


class BanSerializer(serializers.ModelSerializer):
    subject_name = serializers.CharField(
        read_only=True, default="", help_text="the company's or supplier's name"
    )
    lifted_by = serializers.CharField(source="lifted_by.username", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

    class Meta:
        model = ParticipationBan
        fields = [
            "id", "subject_type", "business_number", "subject_name", "reason", "basis", "starts_on",
            "ends_on", "second_strike", "clawback_id", "lifted_on", "lift_note", "lifted_by", "created_by",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class BanPageSerializer(serializers.Serializer):
    """One page of the register, as every paginated list answers (config.api.Pagination)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BanSerializer(many=True)


class BanWriteSerializer(serializers.Serializer):
    subject_type = serializers.ChoiceField(choices=ParticipationBan.SubjectType.choices)
    business_number = serializers.CharField(max_length=12)
    reason = serializers.CharField(max_length=500)
    basis = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("null: 영구 제한. 생략하면 시작일부터 3년(재위반이면 영구)."),
    )


class LiftSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _require_official(request) -> None:
    # A register the other roles do not see: 404, so its existence does not leak either.
    if not is_official(request.user):
        raise NotFound()


def _require_staff(request) -> None:
    # The ministry reads and writes nothing: 403 before the body is judged.
    if not is_staff(request.user):
        raise NotAllowed()


def _ban(request, ban_id) -> ParticipationBan:
    _require_official(request)
    number = parse_whole_number(ban_id)
    if number is None or number > 2**63 - 1:
        raise NotFound()
    found = ban_list().filter(pk=number)
    return get_object_or_404(found)


def _shown(ban: ParticipationBan) -> ParticipationBan:
    """The ban as the register shows it (its subject's name, who recorded and lifted it)."""
    return ban_list().get(pk=ban.pk)


BAN_ID = OpenApiParameter("ban_id", int, OpenApiParameter.PATH, description="the ban")
LIST_FILTERS = [
    OpenApiParameter("subject_type", str, enum=ParticipationBan.SubjectType.values),
    OpenApiParameter("business_number", str),
    OpenApiParameter("active", bool, description="true: only the bans covering today"),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="at most 100"),
]


@extend_schema(
    methods=["GET"], operation_id="v1_bans_list", parameters=LIST_FILTERS, responses=BanPageSerializer
)
@extend_schema(methods=["POST"], request=BanWriteSerializer, responses={201: BanSerializer})
@api_view(["GET", "POST"])
def bans(request):
    """참여제한: the register, newest first (staff, ministry); staff POST a new ban (SPEC §15.2)."""
    _require_official(request)
    if request.method == "GET":
        params = request.query_params
        bans = ban_list(
            state="active" if params.get("active") == "true" else "all",
            subject_type=params.get("subject_type", ""),
            business_number=params.get("business_number", ""),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(bans, request)
        return paginator.get_paginated_response(BanSerializer(page, many=True).data)
    _require_staff(request)
    serializer = BanWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    ban = ban_record(actor=request.user, ends_on_given="ends_on" in data, **data)
    return Response(BanSerializer(_shown(ban)).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[BAN_ID], responses=BanSerializer)
@api_view(["GET"])
def ban_detail(request, ban_id):
    """One ban of the register."""
    return Response(BanSerializer(_ban(request, ban_id)).data)


@extend_schema(parameters=[BAN_ID], request=LiftSerializer, responses=BanSerializer)
@api_view(["POST"])
def ban_lift_view(request, ban_id):
    """Lift a ban early with a note (staff, audited): from today it covers no day."""
    ban = _ban(request, ban_id)
    _require_staff(request)
    serializer = LiftSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    ban = ban_lift(actor=request.user, ban=ban, **serializer.validated_data)
    return Response(BanSerializer(_shown(ban)).data)


urlpatterns = [
    path("bans/", bans, name="ban-list"),
    path("bans/<ban_id>/", ban_detail, name="ban-detail"),
    path("bans/<ban_id>/lift/", ban_lift_view, name="ban-lift"),
]
