"""Writes on an application's thread (SPEC §19): a message, its file, its audit and who hears of it."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import is_official
from applicants.messages import can_read_messages, visibilities_to_post
from applicants.models import Application, Message, MessageAttachment
from applicants.uploads import check_upload
from config.errors import NotAllowed
from program.notifications import notify, staff_users
from program.services import audit_event_record

# What the audit trail keeps of a message's text: enough to recognise it.
AUDIT_EXCERPT = 200


def _author_name(actor) -> str:
    return (actor.get_full_name() or actor.get_username())[:150]


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("내용을 입력해 주세요.")})
    if len(body) > Message.BODY_MAX_LENGTH:
        raise ValidationError(
            {"body": _("내용은 %(max)d자까지 쓸 수 있습니다(지금 %(count)d자).")
             % {"max": Message.BODY_MAX_LENGTH, "count": len(body)}}
        )  # fmt: skip
    return body


def _check_visibility(actor, application: Application, visibility: str) -> None:
    if visibility not in Message.Visibility.values:
        raise ValidationError({"visibility": _("공개 범위를 선택해 주세요.")})
    if visibility not in visibilities_to_post(actor, application):
        raise ValidationError(
            {"visibility": _("신청기업은 내부 메모를 쓸 수 없습니다. '신청기업 공개'로 보내 주세요.")}
        )


def message_record(
    *, actor, application: Application, body: str, visibility: str = Message.Visibility.APPLICANT
) -> Message:
    """The message and its audit row, nobody notified: the caller says who hears of it (a change
    request's note opens the thread and is already in the workflow's own notice)."""
    message = Message.objects.create(
        application=application,
        author=actor,
        author_name=_author_name(actor),
        body=body,
        visibility=visibility,
    )
    audit_event_record(
        actor=actor,
        action="application.message",
        target=message,
        after={"application": application.pk, "visibility": visibility},
        note=body[:AUDIT_EXCERPT],
    )
    return message


def message_post(
    *, actor, application: Application, body: str, visibility: str = Message.Visibility.APPLICANT, upload=None
) -> Message:
    """A message in the application's thread by one of its two sides, with at most one file checked
    like the application's documents. Outside the thread: 404; the ministry: 403; bad input:
    ValidationError on its field, and nothing is written (the file is removed again)."""
    if not can_read_messages(actor, application):
        raise Http404
    if not visibilities_to_post(actor, application):
        raise NotAllowed()
    body = _clean_body(body)
    _check_visibility(actor, application, visibility)
    content_type = check_upload(upload) if upload is not None else ""
    attachment = None
    try:
        with transaction.atomic():
            message = message_record(actor=actor, application=application, body=body, visibility=visibility)
            if upload is not None:
                attachment = _attach(message, upload, content_type)
            _notify(message, actor)
    except BaseException:
        if attachment is not None and attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return message


def _attach(message: Message, upload, content_type: str) -> MessageAttachment:
    original_name = upload.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    extension = original_name.rsplit(".", 1)[-1].lower()
    size = upload.size
    upload.name = f"{uuid.uuid4().hex}.{extension}"
    return MessageAttachment.objects.create(
        message=message, file=upload, original_name=original_name, content_type=content_type, size=size
    )


def _notify(message: Message, actor) -> None:
    """The other side hears of a new message: the SME's people of staff's applicant-visible ones, the
    agency's staff of the SME's. Internal notes notify nobody."""
    application = message.application
    if message.is_internal:
        return
    if is_official(actor):
        users = list(application.company.members.all())
        url = reverse("applicants:my-detail", args=[application.pk]) + "#messages"
    else:
        users = list(staff_users(agency_id=application.program.agency_id))
        url = reverse("applicants:staff-detail", args=[application.pk]) + "#tab-messages"

    users = [user for user in users if user.pk != actor.pk]
    subject = _("[상생형 스마트공장] %(title)s: 새 메시지") % {"title": application.title}
    body = _("신청서 '%(title)s'(%(company)s)에 %(author)s 님의 새 메시지가 있습니다.\n\n%(body)s") % {
        "title": application.title,
        "company": application.company.name,
        "author": message.author_name,
        "body": message.body,
    }
    notify(subject=subject, body=body, users=users, url=url, kind="message", target=application)
