"""GET companies/{id}/history/ (SPEC §15.4): a company's support history across every agency, with
the imported records. A shared register (SPEC §14): staff of any agency and the ministry read it;
applicants (even of that company), sponsors, evaluators and mentors get 404, as for a company they
cannot see; anonymous requests 403."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from applicants.models import Application, Company
from config.numbers import parse_whole_number
from funds.history import IMPORT, SYSTEM, can_view_support_history, company_history
from program.choices import SupportLevel


class HistoryRowSerializer(serializers.Serializer):
    """One row of SPEC §15.4."""

    # The field is called `source` as SPEC §15.4 names it; DRF's metaclass takes declared fields off
    # the class, so it does not meet Field.source (the stubs cannot know).
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[(SYSTEM, _("시스템")), (IMPORT, _("가져옴"))],
        help_text="system: an application in this system; import: an imported support record",
    )
    program = serializers.CharField(help_text="the program's title, or the record's 사업명")
    agency = serializers.CharField(allow_null=True, help_text="the executing agency; null for a record")
    year = serializers.IntegerField(help_text="the program's year (사업연도), or the record's 연도")
    level = serializers.ChoiceField(choices=SupportLevel.choices)
    level_label = serializers.CharField(help_text="the level in Korean (기초, 고도화1, 고도화2)")
    status = serializers.ChoiceField(choices=Application.Status.choices)
    status_label = serializers.CharField(help_text="the status in Korean (선정, 완료, …)")
    government = serializers.IntegerField(
        allow_null=True,
        help_text="KRW: the government share committed (the stored split, else the split it would get); "
        "null for an application without a total cost",
    )
    sponsor = serializers.IntegerField(
        allow_null=True, help_text="KRW: the sponsor's share; null for a record"
    )


COMPANY_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="the company")


@extend_schema(parameters=[COMPANY_ID], responses=HistoryRowSerializer(many=True))
@api_view(["GET"])
def company_history_view(request, pk):
    """지원 이력: every application of the company's business number, in any program or agency, that
    reached `selected` (withdrawn ones only after selection), and every imported record; newest
    first (by year; within a year this system's applications, then the records). Not paginated:
    a company's history is a few rows."""
    if not can_view_support_history(request.user):
        raise NotFound()
    number = parse_whole_number(pk)
    company = None if number is None or number > 2**63 - 1 else Company.objects.filter(pk=number).first()
    if company is None:
        raise NotFound()
    rows = company_history(company.business_number)
    return Response(HistoryRowSerializer(rows, many=True).data)


urlpatterns = [
    path("companies/<pk>/history/", company_history_view, name="company-history"),
]
