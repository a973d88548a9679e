"""Agreement changes (협약변경, SPEC §16; 세부관리기준 제29조).

The SME's owner asks for a change of the period (an extension), the supplier, the cost or the plan
while the project is under agreement or being built; staff of the program's agency approve or reject
it. An approved change is applied here: the agreement's end date, its supplier, or the total cost —
whose split is recomputed and whose commitments move through funds' service, under the program lock.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.models import Application, Supplier
from applicants.selectors import application_lock
from applicants.services.applications import require_in_agency
from applicants.services.bans import supplier_check
from config.dates import add_months
from config.errors import Conflict, DomainError, NotAllowed
from funds.models import CostShare
from funds.services import fund_commitment_adjust
from program.cost_share import MAX_TOTAL
from program.notifications import notify, staff_users
from program.services import audit_event_record
from projects.change_permissions import can_decide_change, can_request_change
from projects.models import Agreement, AgreementChange

S = Application.Status
Kind = AgreementChange.Kind
# A change may be asked for, and applied, only while the agreement runs (SPEC §16).
CHANGEABLE = (S.AGREEMENT, S.BUILDING)
CAUSE_DAYS = 15  # filed within 15 days of its cause (세부관리기준 제29조)
BEFORE_END_MONTHS = 1  # and at least a month before the agreement ends (calendar months)


def supplier_ban_check(supplier: Supplier) -> None:
    """Refuse a supplier banned on the day of approval (참여제한, SPEC §15.2): 400 on `new_supplier`,
    and nothing of the agreement changes."""
    supplier_check(supplier, field="new_supplier")


def filing_deadline(cause_on: datetime.date) -> datetime.date:
    """The last day a change caused on `cause_on` may be filed (the 15th day after it)."""
    return cause_on + datetime.timedelta(days=CAUSE_DAYS)


def last_filing_day(ends_on: datetime.date) -> datetime.date:
    """The last day any change may be filed: exactly one month before the agreement ends."""
    return add_months(ends_on, -BEFORE_END_MONTHS)


def extension_limit(agreement: Agreement, months: int) -> datetime.date:
    """The latest end date extensions may reach: `months` after the end first agreed."""
    return add_months(agreement.original_ends_on or _ends_on(agreement), months)


def _ends_on(agreement: Agreement) -> datetime.date:
    if agreement.ends_on is None:  # a countersigned agreement has its period; an odd row is refused
        raise Conflict(_("체결된 협약이 없어 변경을 신청할 수 없습니다."), code="agreement_unsigned")
    return agreement.ends_on


def _countersigned_agreement(application: Application) -> Agreement:
    agreement = Agreement.objects.filter(application=application).select_related("supplier").first()
    if agreement is None or agreement.status != Agreement.Status.COUNTERSIGNED:
        raise Conflict(_("체결된 협약이 없어 변경을 신청할 수 없습니다."), code="agreement_unsigned")
    _ends_on(agreement)
    return agreement


def _check_timing(agreement: Agreement, cause_on: datetime.date, today: datetime.date) -> None:
    if cause_on > today:
        raise ValidationError({"cause_on": _("변경 사유 발생일은 오늘 이후일 수 없습니다.")})
    if today > filing_deadline(cause_on):
        raise DomainError(
            _("변경 사유 발생일로부터 15일 이내(%(deadline)s까지)에 신청해야 합니다.")
            % {"deadline": date_format(filing_deadline(cause_on), "SHORT_DATE_FORMAT")},
            code="too_late",
            data={"field": "cause_on"},
        )
    if today > last_filing_day(_ends_on(agreement)):
        raise DomainError(
            _("협약 종료 1개월 전(%(deadline)s)까지만 변경을 신청할 수 있습니다.")
            % {"deadline": date_format(last_filing_day(_ends_on(agreement)), "SHORT_DATE_FORMAT")},
            code="too_late",
            data={"field": "cause_on"},
        )


def _kind_values(application, agreement, kind, new_ends_on, new_supplier, new_total_cost) -> dict:
    """The one new value the kind needs, checked; the others are dropped."""
    if kind == Kind.EXTENSION:
        if new_ends_on is None:
            raise ValidationError({"new_ends_on": _("연장할 협약 종료일을 입력해 주세요.")})
        if new_ends_on <= _ends_on(agreement):
            raise ValidationError(
                {
                    "new_ends_on": _("변경 종료일은 지금의 협약 종료일(%(ends_on)s)보다 뒤여야 합니다.")
                    % {"ends_on": date_format(agreement.ends_on, "SHORT_DATE_FORMAT")}
                }
            )
        limit = extension_limit(agreement, application.program.max_extension_months)
        if new_ends_on > limit:
            raise DomainError(
                _("연장은 모두 합쳐 %(months)d개월(%(limit)s)까지만 할 수 있습니다.")
                % {
                    "months": application.program.max_extension_months,
                    "limit": date_format(limit, "SHORT_DATE_FORMAT"),
                },
                code="extension_limit",
                data={"field": "new_ends_on"},
            )
        return {"new_ends_on": new_ends_on}
    if kind == Kind.SUPPLIER:
        if new_supplier is None:
            raise ValidationError({"new_supplier": _("변경할 공급기업을 선택해 주세요.")})
        if new_supplier.pk == agreement.supplier_id:
            raise ValidationError({"new_supplier": _("지금의 공급기업과 다른 기업을 선택해 주세요.")})
        return {"new_supplier": new_supplier}
    if kind == Kind.COST:
        if isinstance(new_total_cost, bool) or not isinstance(new_total_cost, int):
            raise ValidationError({"new_total_cost": _("변경 총사업비를 원 단위 정수로 입력해 주세요.")})
        if not 1 <= new_total_cost <= MAX_TOTAL:
            raise ValidationError(
                {"new_total_cost": _("총사업비는 1원 이상 100억 원(10,000,000,000원) 이하여야 합니다.")}
            )
        if new_total_cost == application.total_cost:
            raise ValidationError({"new_total_cost": _("지금의 총사업비와 다른 금액을 입력해 주세요.")})
        return {"new_total_cost": new_total_cost}
    if kind == Kind.PLAN:
        return {}
    raise ValidationError({"kind": _("변경 종류를 선택해 주세요.")})


@transaction.atomic
def change_request(
    *,
    actor,
    application: Application,
    kind: str,
    cause_on: datetime.date,
    reason: str,
    new_ends_on: datetime.date | None = None,
    new_supplier: Supplier | None = None,
    new_total_cost: int | None = None,
    today: datetime.date | None = None,
) -> AgreementChange:
    """The owner asks for a change (SPEC §16): 400 `too_late` past 15 days from its cause or within a
    month of the end, 400 `extension_limit` past the program's extension months, 409 `change_pending`
    while one of the kind waits. Audited, the agency's staff notified."""
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    if not can_request_change(actor, application):
        raise NotAllowed()
    if application.status not in CHANGEABLE:
        raise Conflict(_("협약 또는 구축 중인 사업만 협약변경을 신청할 수 있습니다."), code="not_changeable")
    agreement = _countersigned_agreement(application)
    today = today or timezone.localdate()
    if kind not in Kind.values:
        raise ValidationError({"kind": _("변경 종류를 선택해 주세요.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("변경 사유를 입력해 주세요.")})
    if not isinstance(cause_on, datetime.date):
        raise ValidationError({"cause_on": _("변경 사유 발생일을 입력해 주세요.")})
    values = _kind_values(application, agreement, kind, new_ends_on, new_supplier, new_total_cost)
    _check_timing(agreement, cause_on, today)
    if AgreementChange.objects.filter(application=application, kind=kind, status="pending").exists():
        raise Conflict(
            _("검토 중인 같은 종류의 변경 신청이 있습니다. 처리된 뒤에 다시 신청해 주세요."),
            code="change_pending",
        )
    change = AgreementChange.objects.create(
        application=application, kind=kind, cause_on=cause_on, reason=reason, requested_by=actor, **values
    )
    audit_event_record(
        actor=actor, action="agreement_change.request", target=change, after=_requested(change)
    )
    notify(
        subject=_("[상생형 스마트공장] %(title)s: 협약변경 신청") % {"title": application.title},
        body=_("%(company)s이(가) '%(title)s'의 %(kind)s을(를) 신청했습니다.\n\n사유: %(reason)s")
        % {
            "company": application.company.name,
            "title": application.title,
            "kind": change.get_kind_display(),
            "reason": reason,
        },
        users=staff_users(agency_id=application.program.agency_id),
        url=reverse("applicants:staff-detail", args=[application.pk]) + "#changes",
        kind="agreement_change.request",
        target=application,
    )
    return change


def _requested(change: AgreementChange) -> dict:
    after: dict = {"kind": change.kind, "cause_on": change.cause_on.isoformat()}
    if change.new_ends_on:
        after["new_ends_on"] = change.new_ends_on.isoformat()
    if change.new_supplier_id:
        after["new_supplier"] = change.new_supplier_id
    if change.new_total_cost:
        after["new_total_cost"] = change.new_total_cost
    return after


def _decidable(actor, change: AgreementChange) -> tuple[Application, AgreementChange]:
    """The application locked first (the order of every money movement), then the change; a change
    already decided answers 409, so two approvals at once apply it once."""
    application = application_lock(application_id=change.application_id)
    require_in_agency(actor, application)
    if not can_decide_change(actor, application):
        raise NotAllowed()
    change = AgreementChange.objects.select_for_update().get(pk=change.pk)
    if change.status != AgreementChange.Status.PENDING:
        raise Conflict(_("이미 처리된 변경 신청입니다."), code="change_decided")
    return application, change


def _apply(actor, application: Application, change: AgreementChange) -> tuple[dict, dict]:
    """Apply an approved change; (before, after) for the audit trail."""
    agreement = Agreement.objects.select_for_update().get(application=application)
    if change.kind == Kind.EXTENSION and change.new_ends_on and agreement.ends_on:
        before: dict = {"ends_on": agreement.ends_on.isoformat()}
        agreement.ends_on = change.new_ends_on
        agreement.save(update_fields=["ends_on", "updated_at"])
        return before, {"ends_on": change.new_ends_on.isoformat()}
    if change.kind == Kind.SUPPLIER and (new := change.new_supplier) is not None:
        supplier_ban_check(new)
        old = agreement.supplier
        before = {"supplier": old.pk if old else None, "supplier_name": old.name if old else ""}
        agreement.supplier = new
        agreement.save(update_fields=["supplier", "updated_at"])
        application.supplier = new
        application.save(update_fields=["supplier"])
        return before, {"supplier": new.pk, "supplier_name": new.name}
    if change.kind == Kind.COST:
        before = {"total_cost": application.total_cost, **_split_of(application)}
        application.total_cost = change.new_total_cost
        application.save(update_fields=["total_cost"])
        moved = fund_commitment_adjust(application=application, actor=actor)
        after = {"total_cost": application.total_cost, **_split_of(application), "moved": moved}
        return before, after
    return {}, {}


def _split_of(application: Application) -> dict:
    share = CostShare.objects.filter(application=application).first()
    if share is None:
        return {}
    return {"government": share.government, "sponsor": share.sponsor, "sme": share.sme}


@transaction.atomic
def change_approve(*, actor, change: AgreementChange, note: str = "") -> AgreementChange:
    """Staff approve a pending change and it is applied (SPEC §16); a cost change that the pots cannot
    cover answers 409 `insufficient_funds` and nothing changes."""
    application, change = _decidable(actor, change)
    if application.status not in CHANGEABLE:
        raise Conflict(_("협약 또는 구축 중인 사업의 변경만 승인할 수 있습니다."), code="not_changeable")
    _countersigned_agreement(application)
    before, after = _apply(actor, application, change)
    change.previous = before
    return _decide(actor, application, change, AgreementChange.Status.APPROVED, note, after)


@transaction.atomic
def change_reject(*, actor, change: AgreementChange, note: str) -> AgreementChange:
    """Staff reject a pending change, saying why; nothing of the agreement changes."""
    note = (note or "").strip()
    application, change = _decidable(actor, change)
    if not note:
        raise ValidationError({"note": _("반려 사유를 입력해 주세요.")})
    return _decide(actor, application, change, AgreementChange.Status.REJECTED, note, {})


def _decide(actor, application, change, status, note, after) -> AgreementChange:
    change.status = status
    change.note = (note or "").strip()
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "note", "previous", "decided_by", "decided_at"])
    action = "approve" if status == AgreementChange.Status.APPROVED else "reject"
    audit_event_record(
        actor=actor,
        action=f"agreement_change.{action}",
        target=change,
        before={"status": "pending", **change.previous},
        after={"status": status, **after},
        note=change.note,
    )
    body = _("'%(title)s'의 %(kind)s 신청이 %(status)s되었습니다.") % {
        "title": application.title,
        "kind": change.get_kind_display(),
        "status": change.get_status_display(),
    }
    if change.note:
        body += "\n\n" + _("검토 의견: %s") % change.note
    notify(
        subject=_("[상생형 스마트공장] %(title)s: 협약변경 %(status)s")
        % {"title": application.title, "status": change.get_status_display()},
        body=body,
        users=application.company.members.all(),
        url=reverse("projects:my-changes", args=[application.pk]),
        kind=f"agreement_change.{action}",
        target=application,
    )
    return change
