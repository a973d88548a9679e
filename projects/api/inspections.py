"""The API of SPEC §17: `applications/{id}/inspection/` — the inspections newest first (GET), and
staff record one (POST), whose result may send the project back or terminate it."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from applicants.models import Application, Attachment
from applicants.selectors import application_visible
from projects.inspection_permissions import can_read_inspections, can_record_inspection
from projects.inspection_selectors import inspection_list
from projects.models import Inspection
from projects.services.inspections import inspection_record


class InspectionSerializer(serializers.ModelSerializer):
    kpis = serializers.DictField(child=serializers.BooleanField(), help_text='{"<kpi>": met or not}')
    audit_report = serializers.PrimaryKeyRelatedField(
        queryset=Attachment.objects.all(), allow_null=True, required=False, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    rework_due = serializers.DateField(required=False, allow_null=True, default=None)
    inspected_by: serializers.Field = serializers.StringRelatedField()

    class Meta:
        model = Inspection
        fields = [
            "id", "installed", "operating", "data_collected", "kpis", "audit_report", "result",
            "note", "rework_due", "inspected_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "inspected_by", "created_at"]


class ApplicationInspectionView(generics.GenericAPIView):
    """Staff, the ministry, the SME's people and the program's sponsor read; staff record."""

    serializer_class = InspectionSerializer
    queryset = Application.objects.none()  # for the schema; the application comes from the selector

    def _application(self) -> Application:
        application = application_visible(user=self.request.user, application_id=self.kwargs["pk"])
        if application is None or not can_read_inspections(self.request.user, application):
            raise NotFound()
        return application

    @extend_schema(responses=InspectionSerializer(many=True))
    def get(self, request, pk):
        """The application's inspections, newest first."""
        application = self._application()
        rows = inspection_list(application_id=application.pk)
        return Response(InspectionSerializer(rows, many=True).data)

    @extend_schema(request=InspectionSerializer, responses={201: InspectionSerializer})
    def post(self, request, pk):
        """Record an inspection (in `completion_review`): `rework` performs request_rework with
        `rework_due`, `fail` performs terminate (SPEC §17)."""
        application = self._application()
        if not can_record_inspection(request.user, application):
            raise PermissionDenied()
        serializer = InspectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inspection = inspection_record(
            actor=request.user, application=application, **serializer.validated_data
        )
        return Response(InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)


urlpatterns: list = [
    path(
        "applications/<int:pk>/inspection/",
        ApplicationInspectionView.as_view(),
        name="application-inspection",
    ),
]
