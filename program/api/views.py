from rest_framework import mixins, permissions, viewsets

from applicants.permissions import is_staff
from program.api.serializers import ProgramSerializer, SponsorSerializer
from program.models import Program, Sponsor


class StaffWrites(permissions.BasePermission):
    """Anyone signed in reads; only program staff write."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_staff(request.user)


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
        user = self.request.user
        if getattr(user, "role", None) == "sponsor":
            return queryset.filter(sponsor_id=user.sponsor_id)
        if is_staff(user):
            return queryset
        return queryset.exclude(status=Program.Status.DRAFT)


class SponsorViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Staff see and register sponsors; a sponsor user sees only its own (others answer 404)."""

    serializer_class = SponsorSerializer
    queryset = Sponsor.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]

    def get_queryset(self):
        user = self.request.user
        if is_staff(user):
            return Sponsor.objects.order_by("name")
        if getattr(user, "role", None) == "sponsor":
            return Sponsor.objects.filter(pk=user.sponsor_id)
        return Sponsor.objects.none()
