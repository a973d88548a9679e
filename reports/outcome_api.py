"""`/api/v1/outcomes/` (docs/domain.md §10): read the outcomes in the user's scope; enter or correct one.

The body is `{"application", "kpi", "baseline", "result", "measured_on", "baseline_on"?}`; the rules
are reports.outcomes.outcome_save's. A new row answers 201, a correction 200. An application
outside the user's scope answers 404 (docs/domain.md §1).
"""

from decimal import Decimal

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from applicants.selectors import application_visible
from config.api import IdFilter
from reports.models import Outcome
from reports.outcomes import change_percent, outcome_save, outcome_visible_list


@extend_schema_field(OpenApiTypes.NUMBER)
class KpiNumberField(serializers.Field):
    """A KPI value as a JSON number: `1200000000`, `3.5` (never a string like `"3.5000"`)."""

    def to_representation(self, value):
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)


class OutcomeSerializer(serializers.ModelSerializer):
    kpi_label = serializers.CharField(source="get_kpi_display", read_only=True)
    baseline = KpiNumberField(read_only=True)
    result = KpiNumberField(read_only=True)
    change_percent = serializers.SerializerMethodField(
        help_text="(result − baseline) / |baseline| × 100, negated where lower is better; null when the "
        "baseline is 0."
    )

    class Meta:
        model = Outcome
        fields = [
            "id", "application", "kpi", "kpi_label", "baseline", "result", "baseline_on", "measured_on",
            "change_percent", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.NUMBER)
    def get_change_percent(self, outcome) -> float | None:
        change = change_percent(outcome.kpi, outcome.baseline, outcome.result)
        return None if change is None else float(change)


class OutcomeWriteSerializer(serializers.Serializer):
    """The shape only; ranges, whole numbers and dates are checked by outcome_save."""

    application = serializers.IntegerField(min_value=1)
    kpi = serializers.CharField(max_length=20)
    baseline = serializers.DecimalField(max_digits=None, decimal_places=None)
    result = serializers.DecimalField(max_digits=None, decimal_places=None)
    measured_on = serializers.DateField()
    baseline_on = serializers.DateField(required=False, allow_null=True)


class OutcomeFilter(django_filters.FilterSet):
    application = IdFilter()
    kpi = django_filters.ChoiceFilter(choices=Outcome.Kpi.choices)

    class Meta:
        model = Outcome
        fields = ["application", "kpi"]


class OutcomeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Staff read every outcome; an SME its company's; a sponsor those of the projects it funds;
    mentors and evaluators none. Staff and the SME (for its own ended applications) write."""

    serializer_class = OutcomeSerializer
    queryset = Outcome.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = OutcomeFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return outcome_visible_list(user=self.request.user).order_by("application_id", "kpi", "id")

    @extend_schema(request=OutcomeWriteSerializer, responses={200: OutcomeSerializer, 201: OutcomeSerializer})
    def create(self, request, *args, **kwargs):
        serializer = OutcomeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = application_visible(user=request.user, application_id=data.pop("application"))
        if application is None:
            raise NotFound()
        existed = Outcome.objects.filter(application=application, kpi=data["kpi"]).exists()
        outcome = outcome_save(actor=request.user, application=application, **data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(self.get_serializer(outcome).data, status=code)
