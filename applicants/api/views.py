from collections.abc import Mapping

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from applicants import services
from applicants.api.serializers import (
    ApplicationListSerializer,
    ApplicationSerializer,
    ApplicationWriteSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    AuditEventSerializer,
    CompanySerializer,
    CostShareSerializer,
    EvaluationSerializer,
    EvaluatorAssignSerializer,
    MessageSerializer,
    MessageWriteSerializer,
    SupplierSerializer,
    TransitionSerializer,
)
from applicants.filters import ApplicationFilter
from applicants.messages import can_read_messages, message_list
from applicants.models import Application, Company, Evaluation, Supplier
from applicants.permissions import can_create_application, can_register_supplier, is_owner
from applicants.selectors import (
    application_history,
    application_list,
    application_visible,
    company_list,
    evaluation_list,
)
from config.files import stored_file_response
from config.numbers import parse_whole_number


class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Applications the user may see; applicants create and edit their own drafts."""

    filterset_class = ApplicationFilter
    queryset = Application.objects.none()  # for the schema; get_queryset scopes to the user
    # DELETE only where an action takes it (a document, SPEC §10): there is no destroy of an application.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return application_list(user=self.request.user).order_by("-submitted_at", "-id")

    def get_serializer_class(self):
        return ApplicationListSerializer if self.action == "list" else ApplicationSerializer

    def get_object(self):
        application = application_visible(user=self.request.user, application_id=_int(self.kwargs["pk"]))
        if application is None:
            raise NotFound()
        return application

    @extend_schema(request=ApplicationWriteSerializer, responses=ApplicationSerializer)
    def create(self, request, *args, **kwargs):
        if not can_create_application(request.user):
            raise PermissionDenied()
        serializer = ApplicationWriteSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        application = services.application_create(actor=request.user, **serializer.validated_data)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationWriteSerializer, responses=ApplicationSerializer)
    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        serializer = ApplicationWriteSerializer(application, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if "company" in fields and fields.pop("company") != application.company:
            raise PermissionDenied()
        application = services.application_update(application=application, actor=request.user, **fields)
        return Response(ApplicationSerializer(application).data)

    @extend_schema(request=TransitionSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        application = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_transition(
            application=application, actor=request.user, **serializer.validated_data
        )
        # Re-read through the user's scope: a withdrawn or selected application may look different now.
        visible = application_visible(user=request.user, application_id=application.pk) or application
        return Response(ApplicationSerializer(visible).data)

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        application = self.get_object()
        events = application_history(user=request.user, application=application)
        return Response(AuditEventSerializer(events, many=True).data)

    @extend_schema(request=EvaluatorAssignSerializer, responses=EvaluatorAssignSerializer)
    @action(detail=True, methods=["post"])
    def evaluators(self, request, pk=None):
        application = self.get_object()
        serializer = EvaluatorAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = services.evaluator_assign(
            application=application,
            evaluator_username=serializer.validated_data["evaluator"],
            actor=request.user,
        )
        return Response({"evaluator": assignment.evaluator.username}, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses=MessageSerializer(many=True),
        description="문의·답변: the messages the user may read, oldest first (SPEC §19).",
    )
    @extend_schema(
        methods=["POST"],
        request=MessageWriteSerializer,
        responses={201: MessageSerializer},
        description="A message to the thread: the SME `applicant` only, staff either; the ministry 403.",
    )
    # The thread is filtered by nothing: the applications' filters are not its parameters.
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def messages(self, request, pk=None):
        application = self.get_object()
        # Evaluators, mentors and sponsors see the application but not its thread.
        if not can_read_messages(request.user, application):
            raise NotFound()
        if request.method == "GET":
            page = self.paginate_queryset(message_list(user=request.user, application=application))
            return self.get_paginated_response(MessageSerializer(page, many=True).data)
        serializer = MessageWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_post(
            actor=request.user, application=application, **serializer.validated_data
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses=AttachmentSerializer(many=True),
        description="The application's documents (SPEC §10), to whoever may see the application.",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
        description="The owner adds a document: the first four kinds while the application is editable, "
        "`completion_report` while building; checked by its content and size.",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def attachments(self, request, pk=None):
        application = self.get_object()
        if request.method == "GET":
            documents = application.attachments.order_by("kind", "uploaded_at", "pk")
            return Response(AttachmentSerializer(documents, many=True).data)
        if not is_owner(request.user, application):
            raise PermissionDenied()  # only the company's people add documents (before judging the body)
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            actor=request.user,
            application=application,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="Downloads the document (its own content type and file name).",
    )
    @extend_schema(methods=["DELETE"], responses={204: None}, description="The owner removes a document, "
                   "in the states it may add one.")  # fmt: skip
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_pk>[0-9]+)",
        filter_backends=[],
    )
    def attachment(self, request, pk=None, attachment_pk=None):
        application = self.get_object()
        attachment = application.attachments.filter(pk=_int(attachment_pk)).first()
        if attachment is None:
            raise NotFound()
        if request.method == "DELETE":
            services.attachment_delete(actor=request.user, attachment=attachment)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return stored_file_response(
            attachment.file.name, filename=attachment.original_name, content_type=attachment.content_type
        )

    @extend_schema(responses=CostShareSerializer)
    @action(detail=True, methods=["get"], url_path="cost-share")
    def cost_share(self, request, pk=None):
        application = self.get_object()
        share = getattr(application, "cost_share", None)
        if share is None:
            raise NotFound(_("아직 계산된 분담금이 없습니다."))
        return Response(CostShareSerializer(share).data)


class CompanyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff see every company; an applicant registers and edits only its own (the queryset is the scope)."""

    serializer_class = CompanySerializer
    queryset = Company.objects.none()  # for the schema; get_queryset scopes to the user
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return company_list(user=self.request.user).order_by("name", "id")

    def perform_create(self, serializer):
        serializer.instance = services.company_register(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.company_update(
            company=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class SupplierViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Suppliers are public to signed-in users (applicants choose one); staff register them."""

    serializer_class = SupplierSerializer
    queryset = Supplier.objects.order_by("name", "id")

    def create(self, request, *args, **kwargs):
        # Who may register is judged before the body: a reader (an applicant, the ministry) gets 403
        # whatever it sent, not the body's 400.
        if not can_register_supplier(request.user):
            raise PermissionDenied()
        return super().create(request, *args, **kwargs)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


class EvaluationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """An evaluator sees and writes only its own evaluations; staff see all."""

    serializer_class = EvaluationSerializer
    queryset = Evaluation.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_fields = ["application"]

    def get_queryset(self):
        return evaluation_list(user=self.request.user).order_by("application_id", "id")

    def create(self, request, *args, **kwargs):
        # An application the evaluator is not assigned to answers like one that does not exist.
        # A body that is not an object (a JSON list, string, number) is left to the serializer (400).
        body = request.data if isinstance(request.data, Mapping) else {}
        requested = parse_whole_number(str(body.get("application", "")))
        if requested is not None and application_visible(user=request.user, application_id=requested) is None:
            raise NotFound()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = application_visible(user=request.user, application_id=data.pop("application").pk)
        if application is None:
            raise NotFound()
        evaluation = services.evaluation_submit(application=application, evaluator=request.user, **data)
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)
