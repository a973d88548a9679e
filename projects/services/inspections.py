"""The completion inspection (완료점검, SPEC §17): staff check a finished project against its agreement
and pass it, send it back for rework (`request_rework`) or fail it (`terminate`)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_staff
from applicants.models import Application
from applicants.selectors import application_lock
from applicants.services.applications import CHANGES_DUE_MAX_DAYS, require_in_agency
from applicants.services.applications import application_transition as transition
from config.errors import Conflict, DomainError, NotAllowed
from program.models import AuditEvent
from program.notifications import notify
from program.services import audit_event_record
from projects.inspection_selectors import agreement_kpi_targets
from projects.models import Inspection

S = Application.Status
R = Inspection.Result
REWORK_DUE_MAX_DAYS = CHANGES_DUE_MAX_DAYS  # the same 60 days as a change request's 보완 기한


@transaction.atomic
def inspection_record(
    *,
    actor,
    application: Application,
    installed: bool,
    operating: bool,
    data_collected: bool,
    kpis: dict,
    audit_report,
    result: str,
    note: str = "",
    rework_due: datetime.date | None = None,
) -> Inspection:
    """Record one inspection of a project in 완료점검 and act on its result: `pass` leaves it ready to
    complete, `rework` sends it back to building with a due date, `fail` terminates the agreement.

    Raises NotAllowed (403) for anyone but staff, 404 for another agency's project, Conflict (409)
    outside completion_review and DomainError (400) for a refused field; nothing changes then."""
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    if not is_staff(actor):
        raise NotAllowed()
    if application.status != S.COMPLETION_REVIEW:
        raise Conflict(
            _("완료점검은 완료점검 상태의 신청서에만 기록할 수 있습니다(현재: %s).")
            % application.get_status_display(),
            code="not_in_completion_review",
        )
    note = (note or "").strip()
    checks = {"installed": installed, "operating": operating, "data_collected": data_collected}
    kpis = _clean_kpis(application, kpis)
    _check_audit_report(application, audit_report)
    rework_due = _check_result(result, checks, note, rework_due)
    inspection = Inspection.objects.create(
        application=application,
        **checks,
        kpis=kpis,
        audit_report=audit_report,
        result=result,
        note=note,
        rework_due=rework_due,
        inspected_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="inspection.record",
        target=application,
        after={
            "inspection": inspection.pk,
            "result": result,
            **checks,
            "kpis": kpis,
            "audit_report": audit_report.pk if audit_report else None,
            "rework_due": rework_due.isoformat() if rework_due else None,
        },
        note=note,
    )
    if result == R.REWORK:
        transition(
            application=application, action="request_rework", actor=actor, note=note, due_on=rework_due
        )
    elif result == R.FAIL:
        transition(application=application, action="terminate", actor=actor, note=note)
    else:
        _notify_pass(application)  # rework and fail are told by their transition, with the note
    return inspection


def _clean_kpis(application: Application, kpis) -> dict:
    """`{"<kpi>": bool}` for exactly the agreement's target KPIs (none without an agreement)."""
    targets = agreement_kpi_targets(application_id=application.pk) or []
    expected = {target["kpi"] for target in targets}
    if not isinstance(kpis, dict) or set(kpis) != expected:
        every = _("협약의 성과목표마다 달성 여부를 표시해 주세요.")
        raise DomainError(every, code="kpis_invalid", data={"kpis": sorted(expected)})
    if not all(isinstance(value, bool) for value in kpis.values()):
        raise DomainError(_("성과목표 달성 여부는 예/아니오로 표시해 주세요."), code="kpis_invalid")
    return {kpi: kpis[kpi] for kpi in sorted(kpis)}


def _check_audit_report(application: Application, audit_report) -> None:
    if audit_report is not None and audit_report.application_id != application.pk:
        raise DomainError(_("감리 보고서는 이 신청서의 서류에서 골라 주세요."), code="audit_report_invalid")


def _check_result(result: str, checks: dict, note: str, rework_due) -> datetime.date | None:
    """The result's own rules; the rework's due date as kept (None for the other results)."""
    if result not in R.values:
        raise DomainError(_("점검 결과를 선택해 주세요."), code="result_invalid")
    if result == R.PASS and not all(checks.values()):
        unchecked = _("설치·가동·데이터 수집이 모두 확인되어야 적합으로 판정할 수 있습니다.")
        raise DomainError(unchecked, code="checks_incomplete")
    if result != R.PASS and not note:
        raise DomainError(_("보완·부적합 판정에는 점검 의견을 입력해야 합니다."), code="note_required")
    if len(note) > AuditEvent.NOTE_MAX_LENGTH:
        raise DomainError(
            _("점검 의견은 %d자까지 쓸 수 있습니다.") % AuditEvent.NOTE_MAX_LENGTH, code="note_too_long"
        )
    if result != R.REWORK:
        return None
    today = timezone.localdate()
    if rework_due is None:
        raise DomainError(_("보완 기한을 입력해 주세요."), code="due_on_required")
    if not today < rework_due <= today + datetime.timedelta(days=REWORK_DUE_MAX_DAYS):
        raise DomainError(
            _("보완 기한은 내일부터 %d일 안으로 정해 주세요.") % REWORK_DUE_MAX_DAYS, code="due_on_invalid"
        )
    return rework_due


def _notify_pass(application: Application) -> None:
    subject = _("[상생형 스마트공장] %s: 완료점검 적합") % application.title
    body = _("신청서 '%s'의 완료점검 결과는 '적합'입니다. 사업 완료 처리를 기다려 주세요.")
    body %= application.title
    notify(
        subject=subject,
        body=body,
        users=application.company.members.all(),
        url=reverse("projects:my-completion", args=[application.pk]),
        kind="inspection.record",
        target=application,
    )


def passing_inspection(*, application: Application) -> bool:
    """The newest inspection passed, and was recorded after the project last asked for inspection:
    a pass before a rework does not count for the work done since."""
    newest = Inspection.objects.filter(application_id=application.pk).order_by("-created_at", "-pk").first()
    if newest is None or newest.result != R.PASS:
        return False
    asked = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id=application.pk,
            action="application.submit_completion",
        )
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return asked is None or newest.created_at >= asked


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """The `application_transition` extension point: `complete` needs a passing inspection (SPEC §17)."""
    if action == "complete" and not passing_inspection(application=application):
        raise Conflict(
            _("완료점검에서 적합 판정을 받은 뒤에 완료로 처리할 수 있습니다."), code="inspection_required"
        )
