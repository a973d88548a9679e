"""`/api/v1/reports/` (docs/domain.md §10): request a report (202), follow it, download it when done."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.roles import is_official
from config.files import stored_file_response
from program.models import Program, Sponsor
from program.selectors import program_list, sponsor_list
from reports.generators import CONTENT_TYPES
from reports.models import Report
from reports.runs import download_name
from reports.selectors import report_visible
from reports.services import report_request


class ReportSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    format_display = serializers.CharField(source="get_format_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    program_title = serializers.CharField(source="program.title", read_only=True, default=None)
    sponsor_name = serializers.CharField(source="sponsor.name", read_only=True, default=None)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, default=None)
    filters = serializers.DictField(read_only=True)  # the user's only: the run's have their columns
    download_url = serializers.SerializerMethodField()
    file_name = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id", "kind", "kind_display", "format", "format_display", "status", "status_display",
            "progress", "program", "program_title", "sponsor", "sponsor_name", "period_start",
            "period_end", "filters", "scheduled", "requested_by", "created_at", "started_at",
            "finished_at", "error", "file_name", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, report) -> str | None:
        if report.status != Report.Status.DONE:
            return None
        return reverse("report-download", args=[report.pk], request=self.context.get("request"))

    def get_file_name(self, report) -> str | None:
        return download_name(report) if report.status == Report.Status.DONE else None


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    format = serializers.ChoiceField(choices=Report.Format.choices)
    program = serializers.IntegerField(required=False, allow_null=True)
    sponsor = serializers.IntegerField(required=False, allow_null=True)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    filters = serializers.DictField(required=False)


def _in_scope(model, pk, user, field: str):
    """The program or sponsor `pk` if the user may report on it. A sponsor user asking about another
    sponsor's gets 404 (docs/domain.md §1: its existence does not leak); officials get a field error,
    staff for another agency's program too (the programs in their scope; sponsors are shared)."""
    if pk is None:
        return None
    if is_official(user):
        found = (
            (program_list(user=user) if model is Program else sponsor_list(user=user)).filter(pk=pk).first()
        )
        if found is None:
            raise serializers.ValidationError({field: [_("존재하지 않는 항목입니다.")]})
        return found
    found = model.objects.filter(pk=pk).first()
    own = getattr(user, "sponsor_id", None)
    if found is None or own is None or (found.pk if model is Sponsor else found.sponsor_id) != own:
        raise NotFound()
    return found


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff see their agency's reports, the ministry every one; a sponsor user its sponsor's and its
    programs' scheduled reports; others none (404). POST answers 202: the report is made by a
    worker, `progress` 0–100."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()  # for the schema; get_queryset scopes to the user
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["kind", "format", "status", "program", "sponsor", "scheduled"]

    def get_queryset(self):
        return report_visible(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportSerializer})
    def create(self, request):
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["program"] = _in_scope(Program, data.get("program"), request.user, "program")
        data["sponsor"] = _in_scope(Sponsor, data.get("sponsor"), request.user, "sponsor")
        report = report_request(actor=request.user, **data)
        report = report_visible(request.user).get(pk=report.pk)  # as the worker may have left it
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="the file")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The finished file, as an attachment; 404 until the report is done."""
        report = self.get_object()
        if report.status != Report.Status.DONE or not report.file:
            raise NotFound()
        return stored_file_response(
            report.file.name, filename=download_name(report), content_type=CONTENT_TYPES[report.format]
        )
