import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import Application, Attachment
from applicants.permissions import is_owner
from applicants.selectors import application_lock
from applicants.services.applications import require_editable
from applicants.uploads import check_upload
from config.errors import Conflict, NotAllowed
from program.choices import APPLICATION_DOCUMENT_KINDS, DocumentKind
from program.services import audit_event_record


def attachment_add(*, actor, application: Application, kind: str, upload) -> Attachment:
    """A typed document for an editable application, after checking its type, content and size; the
    completion report (완료보고서) only while the project is being built (SPEC §10, §17).

    The file is written inside the transaction; if anything after it fails, it is deleted again, so
    no file is left on disk without its row.
    """
    if kind not in APPLICATION_DOCUMENT_KINDS and kind != DocumentKind.COMPLETION_REPORT:
        raise ValidationError({"kind": _("서류 종류를 선택해 주세요.")})
    content_type = check_upload(upload)
    original_name = upload.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    extension = original_name.rsplit(".", 1)[-1].lower()
    attachment = None
    try:
        with transaction.atomic():
            application = application_lock(application_id=application.pk)
            _require_uploadable(actor, application, kind)
            _check_room(application, kind)
            upload.name = f"{uuid.uuid4().hex}.{extension}"
            attachment = Attachment(
                application=application,
                kind=kind,
                file=upload,
                original_name=original_name,
                content_type=content_type,
                size=upload.size,
                uploaded_by=actor,
            )
            attachment.save()
            audit_event_record(
                actor=actor,
                action="application.attachment_add",
                target=application,
                after={"attachment": attachment.pk, "kind": kind, "name": original_name, "size": upload.size},
            )
    except BaseException:
        if attachment is not None and attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def _require_uploadable(actor, application: Application, kind: str) -> None:
    """The application's own documents while it may be edited; the completion report while building."""
    if kind != DocumentKind.COMPLETION_REPORT:
        require_editable(actor, application)
        return
    if not is_owner(actor, application):
        raise NotAllowed()
    if application.status != Application.Status.BUILDING:
        raise Conflict(_("완료보고서는 구축 중에만 올리거나 지울 수 있습니다."), code="not_editable")


def _check_room(application: Application, kind: str) -> None:
    """At most MAX_PER_KIND documents of a kind and MAX_PER_APPLICATION in all (the row is locked,
    so two uploads at once cannot both take the last place)."""
    kinds = list(application.attachments.values_list("kind", flat=True))
    if len(kinds) >= Attachment.MAX_PER_APPLICATION:
        raise ValidationError(
            {"file": _("한 신청서에는 서류를 %d개까지 올릴 수 있습니다.") % Attachment.MAX_PER_APPLICATION}
        )
    if kinds.count(kind) >= Attachment.MAX_PER_KIND:
        raise ValidationError(
            {
                "file": _("서류 종류마다 %d개까지 올릴 수 있습니다. 필요 없는 파일을 지운 뒤 올려 주세요.")
                % Attachment.MAX_PER_KIND
            }
        )


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    """Remove a document from an editable application (a completion report while building); the file
    goes once the change is committed."""
    application = application_lock(application_id=attachment.application_id)
    _require_uploadable(actor, application, attachment.kind)
    storage, name = attachment.file.storage, attachment.file.name
    audit_event_record(
        actor=actor,
        action="application.attachment_delete",
        target=application,
        before={"attachment": attachment.pk, "kind": attachment.kind, "name": attachment.original_name},
    )
    attachment.delete()
    if name is not None:  # always, for a saved attachment (its FileField is required); narrows for mypy
        transaction.on_commit(lambda: storage.delete(name))
