from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from applicants.models import Application
from applicants.selectors import application_lock
from applicants.workflow import FUNDED, OWNER, STAFF, TRANSITIONS, Transition
from config.errors import Conflict, DomainError, NotAllowed, TransitionNotAllowed
from funds.services import fund_commit, fund_release
from program.notifications import notify, staff_users
from program.selectors import program_is_open
from program.services import audit_event_record


def _actor_parts(actor, application) -> set[str]:
    parts = set()
    if actor.is_active and actor.role == Role.STAFF:
        parts.add(STAFF)
    if actor.is_active and actor.role == Role.APPLICANT and actor.company_id == application.company_id:
        parts.add(OWNER)
    return parts


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


def _apply_side_effects(transition: Transition, application: Application, actor, previous: str) -> None:
    now = timezone.now()
    if transition.action == "submit":
        application.submitted_at = now
    elif transition.action in ("select", "reject"):
        application.decided_at = now
    if transition.action == "select":
        fund_commit(application=application, actor=actor)
    elif transition.action == "withdraw" and previous in FUNDED:
        fund_release(application=application, actor=actor)


@transaction.atomic
def application_transition(*, application: Application, action: str, actor, note: str = "") -> Application:
    """Apply one workflow action (SPEC §4): check it, change the status, move money, audit, notify.

    Raises NotAllowed (403) for a role that may not act, TransitionNotAllowed (409) from a state the
    action does not start from, DomainError (400) for a missing note; nothing changes then.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError(_("알 수 없는 작업입니다: %s") % action, code="unknown_action")
    application = application_lock(application_id=application.pk)
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
    if action == "submit":
        _check_submittable(application)
    _apply_side_effects(transition, application, actor, previous)
    application.status = transition.target
    application.save()
    audit_event_record(
        actor=actor,
        action=f"application.{action}",
        target=application,
        before={"status": previous},
        after={"status": application.status},
        note=note,
    )
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
    members = application.company.members.all()
    users = list(members) + (list(staff_users()) if OWNER in transition.by else [])
    notify(subject=subject, body=body, users=users)
