from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import StaffWrites
from program.api.serializers import (
    AgencySerializer,
    NotificationSerializer,
    NotificationsReadSerializer,
    ProgramSerializer,
    SponsorSerializer,
)
from program.models import Agency, Notification, Program, Sponsor
from program.notifications import notification_list, notification_mark_all_read, notification_mark_read
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


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """`notifications/`: the signed-in user's own notices, unread first then newest (the inbox);
    `{id}/read/` marks one read (another user's id answers 404), `read-all/` every unread one."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return notification_list(user=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(user=request.user, pk=_int_or_404(pk))
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=NotificationsReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notification_mark_all_read(user=request.user)})


def _int_or_404(pk) -> int:
    """The router's `{pk}` takes any text; one that is no id is no notice of the user's (404, not 500)."""
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
