"""`/api/v1/sponsors/{id}/dashboard/` (docs/domain.md §10): a sponsor's fund dashboard as JSON.

Reports owns the dashboard (it sits above funds and mentoring: outcomes, money and projects in one
view); the path stays under `sponsors/`, routed by name in config/api_urls.py.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from config.api import StaffWrites
from funds.serializers import FundSerializer
from program.models import Sponsor
from program.permissions import user_agency_id
from program.selectors import sponsor_list
from reports.dashboard import sponsor_dashboard


class DashboardSerializer(serializers.Serializer):
    """The shape of `sponsors/{id}/dashboard/` (for the schema): amounts in whole won."""

    contributed = serializers.DictField(child=serializers.IntegerField())
    committed = serializers.IntegerField(
        help_text=_(
            "주관기관 재원의 약정액에서 약정 해제를 뺀 금액(committed_net과 같음). "
            "재원별 총약정액(gross)은 pots.sponsor.committed"
        )
    )
    committed_net = serializers.IntegerField(
        help_text=_("주관기관 재원: 약정액 − 약정 해제 (지급했거나 지급할 금액)")
    )
    disbursed = serializers.IntegerField()
    available = serializers.IntegerField()
    recovered = serializers.IntegerField(help_text=_("환수로 주관기관 재원에 돌아온 금액(회수 누계)"))
    recovery_due = serializers.IntegerField(
        help_text=_("진행 중인 환수가 주관기관 재원에 아직 갚아야 할 금액")
    )
    pots = FundSerializer(help_text=_("재원별 수치: programs/{id}/fund/와 같은 뜻(committed는 gross)"))
    smes_supported = serializers.IntegerField()
    projects_supported = serializers.IntegerField()
    partners = serializers.DictField(child=serializers.IntegerField())
    by_year = serializers.ListField(
        child=serializers.DictField(),
        help_text=_(
            "연도별 주관기관 재원: contributed, committed(약정 해제를 뺀 금액), disbursed, smes, projects"
        ),
    )
    by_region = serializers.ListField(child=serializers.DictField())
    by_level = serializers.ListField(child=serializers.DictField())
    outcomes = serializers.ListField(child=serializers.DictField())
    capacity_estimate = serializers.DictField(allow_null=True)


class SponsorDashboardViewSet(viewsets.GenericViewSet):
    """The sponsor found in the user's scope as on `sponsors/`: officials any, a sponsor user its own."""

    queryset = Sponsor.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]

    def get_queryset(self):
        return sponsor_list(user=self.request.user)

    @extend_schema(responses=DashboardSerializer)
    def dashboard(self, request, pk=None):
        """The sponsor's fund dashboard: its own for a sponsor user (any other id answers 404); for
        staff, the figures of their agency's programs only."""
        sponsor = self.get_object()
        return Response(sponsor_dashboard(sponsor_id=sponsor.pk, agency_id=user_agency_id(request.user)))
