"""The mentoring API of docs/domain.md §10: mentors, suggestions, assignments and sessions.

Each queryset is the user's scope, so anything outside it answers 404 (docs/domain.md §1).
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from applicants.selectors import application_visible
from config.api import StaffWrites
from config.numbers import parse_whole_number
from mentoring import services
from mentoring.api.serializers import (
    AssignmentEndSerializer,
    AssignmentWriteSerializer,
    MentoringAssignmentSerializer,
    MentoringSessionSerializer,
    MentorSerializer,
    MentorWriteSerializer,
    SessionWriteSerializer,
    SuggestionSerializer,
)
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from mentoring.permissions import can_view_mentors
from mentoring.selectors import assignment_list, mentor_for_user, mentors_with_load, session_list
from mentoring.suggestions import mentor_suggestions


class MentorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Officials see every mentor profile (a register every agency shares) and staff keep them; a
    mentor sees only its own; others see none."""

    serializer_class = MentorSerializer
    queryset = Mentor.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["is_active", "sponsor", "supplier"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        mentors = mentors_with_load().select_related("user", "sponsor", "supplier").order_by("name", "id")
        if can_view_mentors(user):
            return mentors
        own = mentor_for_user(user)
        return mentors.filter(pk=own.pk) if own else mentors.none()

    @extend_schema(request=MentorWriteSerializer, responses=MentorSerializer)
    def create(self, request, *args, **kwargs):
        serializer = MentorWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mentor = services.mentor_save(actor=request.user, **serializer.validated_data)
        return Response(self._read(mentor), status=status.HTTP_201_CREATED)

    @extend_schema(request=MentorWriteSerializer, responses=MentorSerializer)
    def partial_update(self, request, *args, **kwargs):
        mentor = self.get_object()
        serializer = MentorWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        mentor = services.mentor_save(actor=request.user, mentor=mentor, **serializer.validated_data)
        return Response(self._read(mentor))

    def _read(self, mentor: Mentor) -> dict:
        return MentorSerializer(self.get_queryset().get(pk=mentor.pk)).data

    @extend_schema(
        parameters=[OpenApiParameter("application", OpenApiTypes.INT, required=True)],
        responses=SuggestionSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def suggestions(self, request):
        """Officials: the best mentors for an application in scope, best first (at most 10), with the
        reasons."""
        if not can_view_mentors(request.user):
            raise NotFound()
        raw = request.query_params.get("application", "").strip()
        if not raw:
            raise ValidationError({"application": [_("신청서를 지정해 주세요.")]})
        application_id = parse_whole_number(raw)
        if application_id is None:
            raise ValidationError({"application": [_("신청서 번호는 숫자여야 합니다.")]})
        application = application_visible(user=request.user, application_id=application_id)
        if application is None:
            raise NotFound()
        suggestions = mentor_suggestions(application=application)
        return Response(SuggestionSerializer(suggestions, many=True).data)


def _check_visible(queryset, raw) -> None:
    """404 when `raw` names an object outside `queryset` (the user's scope); other values are left to
    the serializer (400)."""
    pk = parse_whole_number(str(raw if raw is not None else ""))
    if pk is not None and not queryset.filter(pk=pk).exists():
        raise NotFound()


class MentoringAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Staff see and make their agency's assignments, the ministry reads every agency's; a mentor sees
    its own, an SME its company's, a sponsor those of the projects it funds."""

    serializer_class = MentoringAssignmentSerializer
    queryset = MentoringAssignment.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated, StaffWrites]
    filterset_fields = ["application", "mentor", "status"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return assignment_list(user=self.request.user).order_by("-starts_on", "-id")

    @extend_schema(request=AssignmentWriteSerializer, responses=MentoringAssignmentSerializer)
    def create(self, request, *args, **kwargs):
        serializer = AssignmentWriteSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        assignment = services.assignment_create(actor=request.user, **serializer.validated_data)
        data = self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentEndSerializer, responses=MentoringAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Staff: end (`ended`) or cancel (`cancelled`) an active assignment."""
        assignment = self.get_object()
        serializer = AssignmentEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assignment_end(actor=request.user, assignment=assignment, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data)


class MentoringSessionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Sessions of the assignments the user may see; the assignment's mentor (or staff) logs one."""

    serializer_class = MentoringSessionSerializer
    queryset = MentoringSession.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_fields = ["assignment"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return session_list(user=self.request.user).order_by("-held_on", "-id")

    @extend_schema(request=SessionWriteSerializer, responses=MentoringSessionSerializer)
    def create(self, request, *args, **kwargs):
        # An assignment outside the user's scope answers like one that does not exist. A body that is
        # not an object (a JSON list, string, number) is left to the serializer (400).
        scope = assignment_list(user=request.user)
        if isinstance(request.data, Mapping):
            _check_visible(scope, request.data.get("assignment"))
        serializer = SessionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        assignment = scope.filter(pk=data.pop("assignment")).first()
        if assignment is None:
            raise NotFound()
        session = services.session_log(actor=request.user, assignment=assignment, **data)
        data = self.get_serializer(self.get_queryset().get(pk=session.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)
