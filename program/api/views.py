from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.roles import is_sponsor_user, is_staff
from applicants.ranking import program_ranking
from config.api import StaffWrites
from funds.api.views import DashboardSerializer, FundSerializer, fund_data
from funds.dashboard import sponsor_dashboard
from program.api.serializers import ProgramSerializer, RankingRowSerializer, SponsorSerializer
from program.models import Program, Sponsor
from program.permissions import program_scope, sponsor_scope
from program.services import program_save


class ProgramViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProgramSerializer
    queryset = Program.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["status", "year", "sponsor"]

    def get_queryset(self):
        queryset = Program.objects.select_related("sponsor", "agency").order_by("-year", "title")
        return queryset.filter(program_scope(self.request.user))

    def perform_create(self, serializer):
        serializer.instance = program_save(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = program_save(
            actor=self.request.user, program=serializer.instance, **serializer.validated_data
        )

    @extend_schema(responses=RankingRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """Staff: the applications in evaluation ranked by score, with where the money runs out."""
        if not is_staff(request.user):
            raise NotFound()
        rows = program_ranking(program=self.get_object())
        return Response(RankingRowSerializer(rows, many=True).data)

    @extend_schema(responses=FundSerializer)
    @action(detail=True, methods=["get"])
    def fund(self, request, pk=None):
        """Per pot: total, committed, released, disbursed, available. Staff and the program's sponsor."""
        program = self.get_object()
        user = request.user
        if not (is_staff(user) or (is_sponsor_user(user) and program.sponsor_id == user.sponsor_id)):
            raise NotFound()
        return Response(FundSerializer(fund_data(program.pk)).data)


class SponsorViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Staff see and register sponsors; a sponsor user sees only its own (others answer 404)."""

    serializer_class = SponsorSerializer
    queryset = Sponsor.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]

    def get_queryset(self):
        scope = sponsor_scope(self.request.user)
        return Sponsor.objects.none() if scope is None else Sponsor.objects.filter(scope).order_by("name")

    @extend_schema(responses=DashboardSerializer)
    @action(detail=True, methods=["get"])
    def dashboard(self, request, pk=None):
        """The sponsor's fund dashboard: its own for a sponsor user (any other id answers 404)."""
        sponsor = self.get_object()
        return Response(sponsor_dashboard(sponsor_id=sponsor.pk))
