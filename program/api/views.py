from rest_framework import mixins, permissions, viewsets

from config.api import StaffWrites
from program.api.serializers import AgencySerializer, ProgramSerializer, SponsorSerializer
from program.models import Agency, Program, Sponsor
from program.selectors import program_list, sponsor_list
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
        return program_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = program_save(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = program_save(
            actor=self.request.user, program=serializer.instance, **serializer.validated_data
        )


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """`agencies/`: the executing agencies (협업기관), for any signed-in user (docs/domain.md §1)."""

    queryset = Agency.objects.order_by("name")
    serializer_class = AgencySerializer
    permission_classes = [permissions.IsAuthenticated]


class SponsorViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Staff see and register sponsors; a sponsor user sees only its own (others answer 404)."""

    serializer_class = SponsorSerializer
    queryset = Sponsor.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]

    def get_queryset(self):
        return sponsor_list(user=self.request.user)
