import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from config.api import StaffWrites
from funds.models import Contribution, Disbursement
from funds.permissions import contribution_scope
from funds.selectors import fund_balances
from funds.services import contribution_record
from program.choices import SupportLevel
from program.cost_share import MAX_TOTAL, split_cost
from program.models import Program


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


class PreviewResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    government = serializers.IntegerField()
    sponsor = serializers.IntegerField()
    sme = serializers.IntegerField()
    capped = serializers.BooleanField()


@extend_schema(request=PreviewSerializer, responses=PreviewResultSerializer)
@api_view(["POST"])
def cost_share_preview(request):
    """The §3.2 split of a total under a program's policy, without saving anything."""
    serializer = PreviewSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    program = get_object_or_404(Program.objects.exclude(status=Program.Status.DRAFT), pk=data["program"])
    split = split_cost(data["total_cost"], data["level"], program.cost_share_policy())
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


class ContributionFilter(django_filters.FilterSet):
    class Meta:
        model = Contribution
        fields = ["sponsor", "program", "kind", "purpose"]


class ContributionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Staff see and record every contribution; a sponsor user sees its own; others see none."""

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


class PotSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    committed = serializers.IntegerField()
    released = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    available = serializers.IntegerField()


class FundSerializer(serializers.Serializer):
    sponsor = PotSerializer()
    government = PotSerializer()


def fund_data(program_id: int) -> dict:
    balances = fund_balances(program_id=program_id)
    return {
        pot: {
            "total": b.total,
            "committed": b.committed,
            "released": b.released,
            "disbursed": b.disbursed,
            "available": b.available,
        }
        for pot, b in balances.items()
    }


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ["id", "application", "kind", "amount", "gov_part", "sponsor_part", "paid_on", "created_at"]
        read_only_fields = ["application", "gov_part", "sponsor_part", "created_at"]
        extra_kwargs = {"amount": {"min_value": 1, "max_value": MAX_TOTAL}}


class DashboardSerializer(serializers.Serializer):
    """The shape of `sponsors/{id}/dashboard/` (for the schema): amounts in whole won."""

    contributed = serializers.DictField(child=serializers.IntegerField())
    committed = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    available = serializers.IntegerField()
    pots = FundSerializer()
    smes_supported = serializers.IntegerField()
    projects_supported = serializers.IntegerField()
    partners = serializers.DictField(child=serializers.IntegerField())
    by_year = serializers.ListField(child=serializers.DictField())
    by_region = serializers.ListField(child=serializers.DictField())
    by_level = serializers.ListField(child=serializers.DictField())
    outcomes = serializers.ListField(child=serializers.DictField())
    capacity_estimate = serializers.DictField(allow_null=True)
