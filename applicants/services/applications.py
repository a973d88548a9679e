import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import is_applicant, is_staff
from applicants.models import Application, Attachment, Company, SubmissionDeclaration
from applicants.permissions import (
    application_outside_agency,
    can_change_company,
    can_create_application,
    can_edit_application,
    is_owner,
)
from applicants.selectors import application_lock, application_missing_documents, company_lock
from applicants.services.messages import message_record
from applicants.workflow import OWNER, STAFF, TRANSITIONS, Transition
from config.errors import Conflict, DomainError, NotAllowed, TransitionNotAllowed
from config.plugins import plugins
from program.models import AuditEvent
from program.notifications import notify, staff_users
from program.selectors import program_is_open
from program.services import audit_changes_record, audit_event_record


def _actor_parts(actor, application) -> set[str]:
    parts = set()
    if is_staff(actor):
        parts.add(STAFF)
    if is_owner(actor, application):
        parts.add(OWNER)
    return parts


def require_in_agency(actor, application: Application) -> None:
    """Another agency's application answers 404 before any other check (docs/domain.md §1),
    whichever page, endpoint or command calls the service."""
    if application_outside_agency(actor, application):
        raise Http404


def _check_submittable(application: Application) -> None:
    if not program_is_open(program=application.program):
        raise Conflict(_("이 사업은 지금 신청을 받지 않습니다."), code="program_closed")
    missing = [
        label
        for label, value in (
            (_("과제명"), application.title),
            (_("사업계획"), application.plan),
            (_("총사업비"), application.total_cost),
        )
        if not value
    ]
    if missing:
        raise DomainError(
            _("제출 전에 입력해 주세요: %s") % ", ".join(str(m) for m in missing), code="incomplete"
        )
    documents = application_missing_documents(application=application)
    if documents:
        labels = dict(Attachment.Kind.choices)
        raise DomainError(
            _("제출 전에 필수 서류를 올려 주세요: %s") % ", ".join(str(labels[kind]) for kind in documents),
            code="documents_missing",
            data={"missing": documents},
        )


def _check_declarations(declarations: dict | None) -> dict[str, bool]:
    """The four declarations of SPEC §15.1, every one given and true; else 400 declarations_required."""
    given = declarations if isinstance(declarations, dict) else {}
    values = {field: given.get(field) is True for field in SubmissionDeclaration.FIELDS}
    if not all(values.values()):
        raise DomainError(
            _("제출하려면 네 가지 확인 사항에 모두 동의해 주세요."),
            code="declarations_required",
            data={"missing": [field for field, value in values.items() if not value]},
        )
    return values


def _apply_side_effects(transition: Transition, application: Application, actor, previous: str) -> None:
    now = timezone.now()
    if transition.action == "submit":
        application.submitted_at = now
    elif transition.action in ("select", "reject"):
        application.decided_at = now
    # Money follows the workflow (docs/domain.md §3): funds plugs in here (funds/effects.py).
    for effect in plugins("application_transition"):
        effect(application=application, action=transition.action, previous=previous, actor=actor)


CHANGES_DUE_DAYS = 14  # 보완 기한 when staff give none
CHANGES_DUE_MAX_DAYS = 60


def changes_due_on_default(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=CHANGES_DUE_DAYS)


# The actions that come with a 보완 기한: a change request (default 14 days on) and a rework after a
# failed inspection item (SPEC §4, §17: the date is required, Transition.due_required).
DUE_ACTIONS = frozenset({"request_changes", "request_rework"})


def _changes_due_on(due_on: datetime.date | None, *, required: bool = False) -> datetime.date:
    """The 보완 기한 of a change request or a rework: today to CHANGES_DUE_MAX_DAYS ahead (Seoul days)."""
    today = timezone.localdate()
    if due_on is None and required:
        raise DomainError(_("보완 기한을 입력해 주세요."), code="due_on_required")
    if due_on is None:
        return changes_due_on_default(today)
    if due_on < today:
        raise DomainError(_("보완 기한은 오늘 이후 날짜여야 합니다."), code="due_on_invalid")
    if due_on > today + datetime.timedelta(days=CHANGES_DUE_MAX_DAYS):
        raise DomainError(
            _("보완 기한은 오늘부터 %d일 안으로 정해 주세요.") % CHANGES_DUE_MAX_DAYS, code="due_on_invalid"
        )
    return due_on


@transaction.atomic
def application_transition(
    *,
    application: Application,
    action: str,
    actor,
    note: str = "",
    due_on: datetime.date | None = None,
    declarations: dict | None = None,
) -> Application:
    """Apply one workflow action (docs/domain.md §4): check it, change the status, move money, audit, notify.

    `due_on` is the 보완 기한 of a request_changes (default 14 days on) or a request_rework (required);
    other actions ignore it and clear the one set before (submitting again, asking for inspection again).
    `declarations`: the four of SPEC §15.1 a `submit` needs (`{"not_closed": True, …}`), stored with
    the actor and time and carried in the audit event's `after`; other actions ignore them.

    Raises NotAllowed (403) for a role that may not act, TransitionNotAllowed (409) from a state the
    action does not start from, DomainError (400) for a missing note or a due date out of range;
    nothing changes then.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError(_("알 수 없는 작업입니다: %s") % action, code="unknown_action")
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    if not transition.by & _actor_parts(actor, application):
        raise NotAllowed()
    previous = application.status
    if previous not in transition.sources:
        raise TransitionNotAllowed(
            _("'%(status)s' 상태에서는 '%(action)s'을(를) 할 수 없습니다.")
            % {"status": application.get_status_display(), "action": transition.label}
        )
    note = (note or "").strip()
    if transition.note_required and not note:
        raise DomainError(_("'%s'에는 사유를 입력해야 합니다.") % transition.label, code="note_required")
    if len(note) > AuditEvent.NOTE_MAX_LENGTH:
        raise DomainError(
            _("사유는 %d자까지 쓸 수 있습니다.") % AuditEvent.NOTE_MAX_LENGTH, code="note_too_long"
        )
    if action == "submit":
        _check_submittable(application)
        declared = _check_declarations(declarations)
    before: dict = {"status": previous}
    after: dict = {"status": transition.target}
    if action == "submit":
        SubmissionDeclaration.objects.create(application=application, user=actor, **declared)
        after["declarations"] = declared
    if action in DUE_ACTIONS or application.changes_due_on is not None:
        due = _changes_due_on(due_on, required=transition.due_required) if action in DUE_ACTIONS else None
        before["changes_due_on"] = _plain(application.changes_due_on)
        after["changes_due_on"] = _plain(due)
        application.changes_due_on = due
    _apply_side_effects(transition, application, actor, previous)
    application.status = transition.target
    application.save()
    audit_event_record(
        actor=actor, action=f"application.{action}", target=application, before=before, after=after, note=note
    )
    if action == "request_changes":
        # The change request's note opens the thread: the SME answers there before resubmitting.
        message_record(actor=actor, application=application, body=note)
    _notify_transition(transition, application, note)
    return application


def _notify_transition(transition: Transition, application: Application, note: str) -> None:
    subject = _("[상생형 스마트공장] %(title)s: %(label)s") % {
        "title": application.title,
        "label": transition.label,
    }
    body = _("신청서 '%(title)s'(%(company)s)의 상태가 '%(status)s'(으)로 바뀌었습니다.") % {
        "title": application.title,
        "company": application.company.name,
        "status": application.get_status_display(),
    }
    if note:
        body += "\n\n" + _("사유: %s") % note
    if transition.action in DUE_ACTIONS and application.changes_due_on:
        body += "\n" + _("보완 기한: %s") % date_format(application.changes_due_on, "SHORT_DATE_FORMAT")
    members = application.company.members.all()
    # The owner's actions reach the staff of the program's agency only (docs/domain.md §1).
    staff = staff_users(agency_id=application.program.agency_id) if OWNER in transition.by else []
    # Each audience's notice links to its own page of the application.
    for users, page in ((members, "applicants:my-detail"), (staff, "applicants:staff-detail")):
        notify(
            subject=subject,
            body=body,
            users=users,
            url=reverse(page, args=[application.pk]),
            kind="application.status",
            target=application,
        )


EDITABLE_FIELDS = ("program", "level", "title", "plan", "total_cost", "supplier", "wants_mentoring")


def _enqueue_cost_share(application: Application) -> None:
    # The split is computed again (docs/domain.md §3.2): funds plugs in here (funds/effects.py).
    for effect in plugins("application_cost_changed"):
        effect(application=application)


def _check_live_unique(application: Application) -> None:
    others = Application.objects.filter(program_id=application.program_id, company_id=application.company_id)
    if application.pk:
        others = others.exclude(pk=application.pk)
    if others.exclude(status__in=Application.ENDED).exists():
        raise ValidationError({"program": _("이 사업에 진행 중인 신청서가 이미 있습니다.")})


def _save_live_unique(application: Application) -> None:
    """Check one live application per company and program, then save.

    Two requests at once both pass the check; the database's unique constraint then refuses the
    second. Its IntegrityError is answered like the check's refusal: the other row is committed by
    then (the constraint waited for it), so the check, run again, sees it.
    """
    _check_live_unique(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        _check_live_unique(application)
        raise


@transaction.atomic
def application_create(*, actor, company: Company, program, **fields) -> Application:
    """A new draft by an applicant for its own company, in a program taking applications."""
    if not can_create_application(actor):
        raise NotAllowed()
    if company.pk != actor.company_id:
        raise ValidationError({"company": _("소속 기업의 신청서만 작성할 수 있습니다.")})
    if not program_is_open(program=program):
        raise ValidationError({"program": _("이 사업은 지금 신청을 받지 않습니다.")})
    application = Application(company=company, program=program, created_by=actor, **fields)
    application.full_clean(exclude=["status"], validate_constraints=False)
    _save_live_unique(application)
    audit_event_record(
        actor=actor, action="application.create", target=application, after={"status": "draft"}
    )
    if application.total_cost:
        _enqueue_cost_share(application)
    return application


def require_editable(actor, application: Application) -> None:
    """The owner may change its application only in draft or changes requested (409 otherwise);
    anyone else may not change it at all (403)."""
    if can_edit_application(actor, application):
        return
    if is_owner(actor, application):
        raise Conflict(_("작성중이거나 보완요청 상태인 신청서만 고칠 수 있습니다."), code="not_editable")
    raise NotAllowed()


@transaction.atomic
def application_update(*, application: Application, actor, **fields) -> Application:
    """Edit a draft or an application sent back for changes; only its owner may."""
    application = application_lock(application_id=application.pk)
    require_editable(actor, application)
    before = {name: _plain(getattr(application, name)) for name in fields}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise DomainError(_("고칠 수 없는 항목입니다: %s") % name, code="not_editable_field")
        setattr(application, name, value)
    if "program" in fields and not program_is_open(program=application.program):
        raise ValidationError({"program": _("이 사업은 지금 신청을 받지 않습니다.")})
    application.full_clean(exclude=["status"], validate_constraints=False)
    _save_live_unique(application)
    after = {name: _plain(getattr(application, name)) for name in fields}
    audit_changes_record(
        actor=actor, action="application.update", target=application, before=before, after=after
    )
    if before.get("total_cost") != after.get("total_cost") and application.total_cost:
        _enqueue_cost_share(application)
    return application


def _plain(value):
    """A field's value as the audit trail stores it (JSON): a related object by its id, a date as text."""
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def company_register(*, actor, **fields) -> Company:
    """An applicant without a company registers one and is bound to it (docs/domain.md §10)."""
    if not is_applicant(actor):
        raise NotAllowed()
    if actor.company_id:
        raise ValidationError({"business_number": _("이미 기업이 등록된 계정입니다.")})
    company = Company(**fields)
    company.full_clean()
    company.save()
    actor.company = company
    actor.save(update_fields=["company"])
    audit_event_record(actor=actor, action="company.register", target=company, after={"name": company.name})
    return company


COMPANY_FIELDS = (
    "business_number", "name", "representative", "region", "industry_code",
    "employees", "annual_revenue", "founded_on", "current_level", "is_sponsor_partner",
)  # fmt: skip


@transaction.atomic
def company_update(*, company: Company, actor, **fields) -> Company:
    """Change a company's details: its own applicant or staff. Every change is audited (before →
    after), and staff see it on the company's applications.

    Once the company has an application past draft, its business number is its identity in the
    program (staff checked it, money may be committed to it) and can no longer change.
    """
    company = company_lock(company_id=company.pk)
    if not can_change_company(actor, company):
        raise NotAllowed()
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise DomainError(
            _("고칠 수 없는 항목입니다: %s") % ", ".join(sorted(unknown)), code="not_editable_field"
        )
    before = {name: _plain(getattr(company, name)) for name in fields}
    renumbered = fields.get("business_number", company.business_number) != company.business_number
    if renumbered and company.applications.exclude(status=Application.Status.DRAFT).exists():
        fixed = _("신청서를 제출한 기업의 사업자등록번호는 바꿀 수 없습니다. 사업담당자에게 문의해 주세요.")
        raise ValidationError({"business_number": ValidationError(fixed, code="business_number_fixed")})
    for name, value in fields.items():
        setattr(company, name, value)
    company.full_clean()
    company.save()
    after = {name: _plain(getattr(company, name)) for name in fields}
    audit_changes_record(actor=actor, action="company.update", target=company, before=before, after=after)
    return company
