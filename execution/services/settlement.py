"""Confirming the settlement (정산 확정, SPEC §18.3) and its rules on payments and on `complete`.

Confirming fixes the figures (a Settlement row), gives back to the pots what is committed beyond
what the project may still be paid, and opens a clawback (reason `settlement`) for what was paid
beyond the settled share. After that the final payment (잔금) pays each pot exactly its balance."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.selectors import application_lock
from applicants.services.applications import require_in_agency
from config.errors import Conflict, DomainError, NotAllowed
from execution.clawback_selectors import clawback_claims
from execution.models import Clawback, Settlement
from execution.permissions import can_manage_execution
from execution.services.clawbacks import DUE_DAYS, clawback_open
from execution.settlement import POTS, SettlementFigures, settlement_figures
from funds.models import Disbursement
from funds.selectors import application_balances, application_outstanding
from funds.services import fund_release_amounts
from program.notifications import notify, staff_users
from program.selectors import program_lock
from program.services import audit_event_record

S = Application.Status
SETTLEABLE = (S.BUILDING, S.COMPLETION_REVIEW)


@transaction.atomic
def settlement_confirm(*, actor, application) -> Settlement:
    """Staff of the agency confirm (403 otherwise): 409 `not_settleable` outside building and
    completion review, 409 `settlement_confirmed` the second time, 409 `spending_pending` while any
    line awaits review. Releases excess commitments and opens a clawback for a refund."""
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    if not can_manage_execution(actor, application):
        raise NotAllowed()
    program_lock(program_id=application.program_id)
    if application.status not in SETTLEABLE:
        raise Conflict(_("구축 또는 완료점검 중인 사업만 정산할 수 있습니다."), code="not_settleable")
    if Settlement.objects.filter(application=application).exists():
        raise Conflict(_("이미 확정된 정산입니다."), code="settlement_confirmed")
    figures = settlement_figures(application=application)
    if figures.pending != 0:
        raise Conflict(
            _("검토 대기 중인 집행 내역이 있어 정산을 확정할 수 없습니다. 모두 검토한 뒤 확정해 주세요."),
            code="spending_pending",
        )
    released = _release_excess(actor, application, figures)
    refund = _refund(application, figures)
    settlement = Settlement.objects.create(
        application=application,
        agreed_total=figures.agreed_total,
        approved=figures.approved,
        disallowed=figures.disallowed,
        eligible=figures.eligible,
        government=figures.shares["government"],
        sponsor=figures.shares["sponsor"],
        sme=figures.shares["sme"],
        paid_government=figures.paid["government"],
        paid_sponsor=figures.paid["sponsor"],
        confirmed_by=actor,
        confirmed_at=timezone.now(),
    )
    clawback = _open_refund(actor, application, refund)
    audit_event_record(
        actor=actor,
        action="settlement.confirm",
        target=application,
        before={"status": "open"},
        after={
            "status": "confirmed",
            "eligible": figures.eligible,
            "shares": figures.shares,
            "paid": figures.paid,
            "released": released,
            "refund": refund,
            "clawback": clawback.pk if clawback else None,
        },
    )
    _notify_confirmed(application, figures, refund)
    return settlement


def _release_excess(actor, application, figures: SettlementFigures) -> dict[str, int]:
    """Per pot, what is committed (net) above the larger of the settled share and what was paid:
    the project will never draw it, so the pot has it back."""
    balances = application_balances(application_id=application.pk)
    excess = {
        str(pot): max(0, balances[pot].committed_net - max(figures.shares[name], figures.paid[name]))
        for pot, name in POTS
    }
    fund_release_amounts(application=application, actor=actor, amounts=excess)
    return {name: excess[str(pot)] for pot, name in POTS}


def _refund(application, figures: SettlementFigures) -> dict[str, int]:
    """Per pot, what was paid beyond the settled share and no clawback claims yet."""
    claims = clawback_claims(application_id=application.pk)
    return {name: max(0, figures.paid[name] - claims[name] - figures.shares[name]) for _pot, name in POTS}


def _open_refund(actor, application, refund: dict[str, int]) -> Clawback | None:
    if not any(refund.values()):
        return None
    return clawback_open(
        actor=actor,
        application=application,
        reason=Clawback.Reason.SETTLEMENT,
        government=refund["government"],
        sponsor=refund["sponsor"],
        due_on=timezone.localdate() + datetime.timedelta(days=DUE_DAYS),
    )


def _notify_confirmed(application, figures: SettlementFigures, refund: dict[str, int]) -> None:
    subject = _("[상생형 스마트공장] %(title)s: 정산 확정") % {"title": application.title}
    body = _("'%(title)s'의 정산이 확정되었습니다. 정산 대상액 %(eligible)s원.") % {
        "title": application.title,
        "eligible": f"{figures.eligible:,}",
    }
    if any(refund.values()):
        body += "\n" + _("반환할 금액: %(amount)s원 (환수 결정이 함께 통지됩니다).") % {
            "amount": f"{sum(refund.values()):,}"
        }
    for users, page in (
        (application.company.members.all(), "applicants:my-detail"),
        (staff_users(agency_id=application.program.agency_id), "applicants:staff-detail"),
    ):
        notify(
            subject=subject,
            body=body,
            users=users,
            url=reverse(page, args=[application.pk]),
            kind="settlement.confirm",
            target=application,
        )


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """`complete` answers 409 `settlement_open` until the settlement is confirmed."""
    if action == "complete" and not Settlement.objects.filter(application_id=application.pk).exists():
        raise Conflict(
            _("정산이 확정되지 않아 완료 처리할 수 없습니다. 먼저 정산을 확정해 주세요."),
            code="settlement_open",
        )


def payment_rule(*, application, amount: int, kind: str, paid: dict, parts: tuple[int, int]):
    """After confirmation the only payment is the final one (잔금): it equals the sum of the positive
    balances (else 400 `final_amount`) and pays each pot exactly its balance."""
    settlement = Settlement.objects.filter(application_id=application.pk).first()
    if settlement is None:
        return None
    shares = {"government": settlement.government, "sponsor": settlement.sponsor}
    due = {name: max(0, shares[name] - paid[pot]) for pot, name in POTS}
    if kind != Disbursement.Kind.FINAL or amount != sum(due.values()):
        raise DomainError(
            _("정산이 확정되어 잔금(%(due)s원)만 지급할 수 있습니다.") % {"due": f"{sum(due.values()):,}"},
            code="final_amount",
            data={"field": "amount"},
        )
    # The funds rule still holds: no pot pays beyond what it has committed and not yet paid.
    outstanding = application_outstanding(application_id=application.pk)
    if any(due[name] > outstanding[pot] for pot, name in POTS):
        raise Conflict(_("지급액이 남은 약정액을 넘습니다."), code="exceeds_commitment")
    return due["government"], due["sponsor"]
