"""`imports/` of SPEC §15.5: staff upload a file (202; the dry run runs in a worker), read its findings
and confirm it (202; the write runs in a worker). Staff see their agency's runs, the ministry every
agency's and writes nothing (403); another agency's run, and every run to the other roles, is 404."""

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.roles import is_official, is_staff
from config.api import Pagination
from config.errors import NotAllowed
from config.numbers import parse_whole_number
from imports.models import ImportRun
from imports.selectors import import_list, import_visible
from imports.services import import_confirm, import_start

LIST_FIELDS = [
    "id", "kind", "status", "original_name", "size", "progress", "rows", "valid", "error_count", "failure",
    "created", "updated", "unchanged", "agency", "created_by", "confirmed_by", "created_at", "checked_at",
    "confirmed_at", "finished_at",
]  # fmt: skip


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="the spreadsheet's row number (the header is row 1)")
    column = serializers.CharField(help_text="the Korean header; empty for the row as a whole")
    message = serializers.CharField(help_text="Korean")


class ImportRunListSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    confirmed_by = serializers.CharField(source="confirmed_by.username", read_only=True, default=None)

    class Meta:
        model = ImportRun
        fields = LIST_FIELDS
        read_only_fields = fields


class ImportRunSerializer(ImportRunListSerializer):
    # Only ever serialized, never validated: the field may take the name of DRF's `errors` property.
    errors = ImportErrorSerializer(  # type: ignore[assignment]
        many=True, read_only=True, help_text="the first 1,000 in file order"
    )

    class Meta(ImportRunListSerializer.Meta):
        fields = [*LIST_FIELDS, "errors"]
        read_only_fields = fields


class ImportPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ImportRunListSerializer(many=True)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False, help_text="XLSX or CSV (UTF-8 or CP949), Korean headers, 20MB"
    )
    kind = serializers.ChoiceField(choices=ImportRun.Kind.choices, required=False)


def _require_official(request) -> None:
    if not is_official(request.user):
        raise NotFound()


def _run(request, run_id) -> ImportRun:
    _require_official(request)
    number = parse_whole_number(run_id)
    run = import_visible(user=request.user, run_id=number) if number and number < 2**63 else None
    if run is None:
        raise NotFound()
    return run


RUN_ID = OpenApiParameter("run_id", int, OpenApiParameter.PATH, description="the import")


@extend_schema(
    methods=["GET"],
    operation_id="v1_imports_list",
    parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int, description="at most 100")],
    responses=ImportPageSerializer,
)
@extend_schema(
    methods=["POST"],
    request={"multipart/form-data": ImportUploadSerializer},
    responses={202: ImportRunSerializer},
    description="Staff upload a file of `kind` `support_records` or `bans`; the dry run is queued. 400 on "
    "`file` (Korean) for no file, an empty, too large or unreadable file, or missing headers; on `kind` "
    "for an unknown kind.",
)
@api_view(["GET", "POST"])
def imports(request):
    """가져오기: the runs, newest first (staff, ministry); staff POST a file (SPEC §15.5)."""
    _require_official(request)
    if request.method == "GET":
        paginator = Pagination()
        page = paginator.paginate_queryset(import_list(user=request.user), request)
        return paginator.get_paginated_response(ImportRunListSerializer(page, many=True).data)
    if not is_staff(request.user):
        raise NotAllowed()
    body = request.data if isinstance(request.data, Mapping) else {}
    kind = body.get("kind", "")
    kind = kind if isinstance(kind, str) else ""
    run = import_start(request.user, upload=request.FILES.get("file"), kind=kind)
    return Response(ImportRunSerializer(_reloaded(request, run)).data, status=status.HTTP_202_ACCEPTED)


def _reloaded(request, run: ImportRun) -> ImportRun:
    """The run as it stands now: an eager task (tests, the demo without a broker) has already moved it."""
    return import_visible(user=request.user, run_id=run.pk) or run


@extend_schema(parameters=[RUN_ID], responses=ImportRunSerializer)
@api_view(["GET"])
def import_detail(request, run_id):
    """One run: status, progress, rows, valid, errors, error_count, created/updated/unchanged, failure."""
    return Response(ImportRunSerializer(_run(request, run_id)).data)


@extend_schema(
    parameters=[RUN_ID],
    request=None,
    responses={202: ImportRunSerializer},
    description="Staff confirm a checked run with valid rows; the write is queued. 409 `import_not_checked`, "
    "409 `import_nothing_valid` otherwise.",
)
@api_view(["POST"])
def import_confirm_view(request, run_id):
    """Write the valid rows of a checked run (staff of its agency)."""
    run = _run(request, run_id)
    run = import_confirm(request.user, run)
    return Response(ImportRunSerializer(_reloaded(request, run)).data, status=status.HTTP_202_ACCEPTED)
