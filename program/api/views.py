from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from applicants.permissions import is_staff
from applicants.ranking import program_ranking
from program.api.serializers import ProgramSerializer, RankingRowSerializer, SponsorSerializer
from program.models import Program, Sponsor


class StaffWrites(permissions.BasePermission):
    """Anyone signed in reads; only program staff write.

    A write to one object is judged once the object is found in the user's scope, so an object the
    user cannot see answers 404 (SPEC §1), and one it can see but not change answers 403.
    """

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_staff(request.user) or bool(view.detail)

    def has_object_permission(self, request, view, obj):
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

    @extend_schema(responses=RankingRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """Staff: the applications in evaluation ranked by score, with where the money runs out."""
        if not is_staff(request.user):
            raise NotFound()
        rows = program_ranking(program=self.get_object())
        return Response(RankingRowSerializer(rows, many=True).data)


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
