"""SPEC §18.3 API: the settlement of one application, and staff's confirmation.

Whoever cannot see the application, and evaluators and mentors who can, get 404; the agency's
officials, the SME's people and the program's sponsor read; only the agency's staff confirm (the
ministry and the others who read: 403)."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from applicants.models import Application
from applicants.selectors import application_visible
from config.numbers import parse_whole_number
from execution.permissions import can_view_execution
from execution.services.settlement import settlement_confirm
from execution.settlement import settlement_figures


def _pots(name: str, *fields: str):
    return inline_serializer(name=name, fields={field: serializers.IntegerField() for field in fields})


SettlementSerializer = inline_serializer(
    name="Settlement",
    fields={
        "agreed_total": serializers.IntegerField(),
        "approved": serializers.IntegerField(),
        "disallowed": serializers.IntegerField(),
        "pending": serializers.IntegerField(),
        "eligible": serializers.IntegerField(help_text="min(approved, agreed_total), at least 0"),
        "shares": _pots("SettlementShares", "government", "sponsor", "sme"),
        "paid": _pots("SettlementPaid", "government", "sponsor"),
        "balance": _pots("SettlementBalance", "government", "sponsor"),
        "status": serializers.ChoiceField(choices=["open", "confirmed"]),
    },
)


def application_in_scope(request, pk) -> Application:
    """The application if the user sees it and its execution (SPEC §18), else 404."""
    number = parse_whole_number(pk)
    if number is None or number > 2**63 - 1:
        raise NotFound()
    application = application_visible(user=request.user, application_id=number)
    if application is None or not can_view_execution(request.user, application):
        raise NotFound()
    return application


APPLICATION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="the application")


@extend_schema(parameters=[APPLICATION_ID], responses=SettlementSerializer)
@api_view(["GET"])
def settlement(request, pk):
    """정산: the figures of SPEC §18.3, open (as they stand) or confirmed."""
    application = application_in_scope(request, pk)
    return Response(settlement_figures(application=application).as_dict())


@extend_schema(parameters=[APPLICATION_ID], request=None, responses=SettlementSerializer)
@api_view(["POST"])
def settlement_confirm_view(request, pk):
    """정산 확정 (staff): 409 `spending_pending` while a line awaits review."""
    application = application_in_scope(request, pk)
    settlement_confirm(actor=request.user, application=application)
    return Response(settlement_figures(application=application).as_dict())


urlpatterns = [
    path("applications/<pk>/settlement/", settlement, name="application-settlement"),
    path(
        "applications/<pk>/settlement/confirm/",
        settlement_confirm_view,
        name="application-settlement-confirm",
    ),
]
