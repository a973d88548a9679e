from django.db import transaction
from rest_framework import mixins, permissions, viewsets

from config.api import StaffWrites
from funds.services import fund_budget_sync
from program.api.serializers import ProgramSerializer, SponsorSerializer
from program.models import Program, Sponsor
from program.selectors import program_list, sponsor_list
from program.services import audit_event_record


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
        with transaction.atomic():
            program = serializer.save()
            audit_event_record(
                actor=self.request.user,
                action="program.create",
                target=program,
                after={"title": program.title},
            )
            fund_budget_sync(program=program, actor=self.request.user)

    def perform_update(self, serializer):
        with transaction.atomic():
            before = {name: str(getattr(serializer.instance, name)) for name in serializer.validated_data}
            program = serializer.save()
            after = {name: str(getattr(program, name)) for name in serializer.validated_data}
            changed = {k: v for k, v in after.items() if before[k] != v}
            if changed:
                audit_event_record(
                    actor=self.request.user,
                    action="program.update",
                    target=program,
                    before={k: before[k] for k in changed},
                    after=changed,
                )
            fund_budget_sync(program=program, actor=self.request.user)


class SponsorViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Staff see and register sponsors; a sponsor user sees only its own (others answer 404)."""

    serializer_class = SponsorSerializer
    queryset = Sponsor.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]

    def get_queryset(self):
        return sponsor_list(user=self.request.user)
