import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from applicants.filters import ApplicationFilter
from applicants.models import Application
from applicants.selectors import application_split, application_visible, company_list
from config.api import StaffWrites
from funds.models import Contribution, Disbursement
from funds.permissions import can_record_disbursement, can_view_ranking, contribution_scope
from funds.ranking import program_ranking
from funds.selectors import fund_figures
from funds.serializers import FundSerializer
from funds.services import contribution_record, disbursement_record
from program.choices import SupportLevel
from program.cost_share import MAX_TOTAL
from program.models import Program
from program.permissions import can_view_program_fund
from program.selectors import program_list


class PreviewSerializer(serializers.Serializer):
    program = serializers.IntegerField()
    level = serializers.ChoiceField(choices=SupportLevel.choices)
    total_cost = serializers.IntegerField(
        min_value=1,
        max_value=MAX_TOTAL,
        error_messages={
            "min_value": _("총사업비는 1원 이상이어야 합니다."),
            "max_value": _("총사업비는 100억 원(10,000,000,000원) 이하여야 합니다."),
            "invalid": _("총사업비는 원 단위 정수로 입력해 주세요."),
        },
    )
    # SPEC §15.3: the company the split is for, so that a repeat at the same level is capped.
    company = serializers.IntegerField(required=False, allow_null=True)

    def validate_company(self, value):
        if value is None:
            return None
        company = company_list(user=self.context["request"].user).filter(pk=value).first()
        if company is None:
            raise serializers.ValidationError(_("선택할 수 없는 기업입니다."))
        return company


class PreviewResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    government = serializers.IntegerField()
    sponsor = serializers.IntegerField()
    sme = serializers.IntegerField()
    capped = serializers.BooleanField()
    repeat_capped = serializers.BooleanField()


@extend_schema(request=PreviewSerializer, responses=PreviewResultSerializer)
@api_view(["POST"])
def cost_share_preview(request):
    """The §3.2 split of a total under a program's policy, without saving anything; with `company`,
    the §15.3 repeat cap when that company already completed a project at the level or higher."""
    serializer = PreviewSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    program = get_object_or_404(Program.objects.exclude(status=Program.Status.DRAFT), pk=data["program"])
    company = data.get("company")
    # An unsaved application, so that the preview splits exactly as the saved one will.
    application = Application(
        program=program, company=company, level=data["level"], total_cost=data["total_cost"]
    )
    if company is None:
        application.repeat_level = False  # type: ignore[attr-defined]
    split = application_split(application)
    return Response(PreviewResultSerializer(split).data)


# --- contributions, fund, dashboard, disbursements ---------------------------------------------


class ContributionSerializer(serializers.ModelSerializer):
    sponsor_name = serializers.CharField(source="sponsor.name", read_only=True)
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())

    class Meta:
        model = Contribution
        fields = [
            "id", "sponsor", "sponsor_name", "program", "amount", "kind", "purpose", "received_on", "note",
            "created_at",
        ]  # fmt: skip
        read_only_fields = ["sponsor", "created_at"]
        # Omitted, kind and purpose are the model's defaults: contribution_record needs a value.
        extra_kwargs = {
            "amount": {"min_value": 1, "max_value": 10**15},
            "kind": {"default": Contribution.Kind.CASH},
            "purpose": {"default": Contribution.Purpose.BUILD},
        }

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Another agency's program answers like one that does not exist (docs/domain.md §1).
            fields["program"].queryset = program_list(user=request.user)  # type: ignore[attr-defined]
        return fields


class ContributionFilter(django_filters.FilterSet):
    class Meta:
        model = Contribution
        fields = ["sponsor", "program", "kind", "purpose"]


class ContributionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Staff see and record their agency's programs' contributions, the ministry reads every one; a
    sponsor user sees its own; others see none."""

    serializer_class = ContributionSerializer
    queryset = Contribution.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]
    filterset_class = ContributionFilter

    def get_queryset(self):
        queryset = Contribution.objects.select_related("sponsor").order_by("-received_on", "-id")
        scope = contribution_scope(self.request.user)
        return queryset.none() if scope is None else queryset.filter(scope)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contribution = contribution_record(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(contribution).data, status=status.HTTP_201_CREATED)


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ["id", "application", "kind", "amount", "gov_part", "sponsor_part", "paid_on", "created_at"]
        read_only_fields = ["application", "gov_part", "sponsor_part", "created_at"]
        extra_kwargs = {"amount": {"min_value": 1, "max_value": MAX_TOTAL}}


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="null: not scored yet (미평가), not ranked")
    scored = serializers.BooleanField()
    application = serializers.IntegerField(source="application.pk")
    company_name = serializers.CharField(source="application.company.name")
    title = serializers.CharField(source="application.title")
    score = serializers.DecimalField(
        source="application.score", max_digits=5, decimal_places=2, allow_null=True
    )
    government = serializers.IntegerField(source="split.government", allow_null=True, default=None)
    sponsor = serializers.IntegerField(source="split.sponsor", allow_null=True, default=None)
    funded = serializers.BooleanField()
    cut_before = serializers.BooleanField(help_text="the cut line (money runs out) falls just above this row")


class ProgramMoneyViewSet(viewsets.GenericViewSet):
    """`programs/{id}/ranking/` and `programs/{id}/fund/`: funds' actions on a program (its money).

    Routed by name in config/api_urls.py; the program is found in the user's scope as on `programs/`,
    query filters included, so each answers exactly as when it was an action of the program API."""

    queryset = Program.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]
    filterset_fields = ["status", "year", "sponsor"]

    def get_queryset(self):
        return program_list(user=self.request.user)

    @extend_schema(responses=RankingRowSerializer(many=True))
    def ranking(self, request, pk=None):
        """Staff: the applications in evaluation ranked by score, with where the money runs out."""
        program = self.get_object()
        if not can_view_ranking(request.user, program):
            raise NotFound()
        rows = program_ranking(program=program)
        return Response(RankingRowSerializer(rows, many=True).data)

    @extend_schema(responses=FundSerializer)
    def fund(self, request, pk=None):
        """Per pot: total, committed, released, disbursed, available. Staff and the program's sponsor."""
        program = self.get_object()
        if not can_view_program_fund(request.user, program):
            raise NotFound()
        return Response(FundSerializer(fund_figures(program_id=program.pk)).data)


class ApplicationDisbursementViewSet(viewsets.GenericViewSet):
    """`applications/{id}/disbursements/`: payments to an application the user may see (§3.3)."""

    serializer_class = DisbursementSerializer  # what OPTIONS describes for POST
    queryset = Application.objects.none()  # for the schema; the application comes from the selector
    filterset_class = ApplicationFilter  # the filters of `applications/`, as the schema has shown them

    def get_object(self):
        application = application_visible(user=self.request.user, application_id=_int(self.kwargs["pk"]))
        if application is None:
            raise NotFound()
        return application

    @extend_schema(request=DisbursementSerializer, responses=DisbursementSerializer(many=True))
    def disbursements(self, request, pk=None):
        """Payments to the application; staff record one (split pro rata between the pots)."""
        application = self.get_object()
        if request.method == "GET":
            rows = Disbursement.objects.filter(application=application).order_by("paid_on", "id")
            return Response(DisbursementSerializer(rows, many=True).data)
        if not can_record_disbursement(request.user, application):
            raise PermissionDenied()
        serializer = DisbursementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        disbursement = disbursement_record(
            actor=request.user, application=application, **serializer.validated_data
        )
        return Response(DisbursementSerializer(disbursement).data, status=status.HTTP_201_CREATED)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
