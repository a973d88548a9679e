"""The SME's deposits (기업부담금, SPEC §18.2) and the rules they put on payments and on `start_build`:
construction starts only once the SME has paid something in, and the pots pay out no faster than the
SME's own share comes in, in proportion to what the government and the sponsor put in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.selectors import application_lock
from applicants.services.applications import require_in_agency
from config.errors import Conflict, NotAllowed
from execution.models import Deposit
from execution.permissions import can_manage_execution
from execution.selectors import deposit_total
from execution.services.spending import evidence_check, evidence_discard, evidence_rename
from funds.models import CostShare
from program.cost_share import MAX_TOTAL
from program.services import audit_event_record
from program.validators import check_field

S = Application.Status
# From selection to the completion review: the SME pays in its share while the project is funded.
DEPOSITABLE = (S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW)


def _depositable(actor, application: Application) -> Application:
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    if not can_manage_execution(actor, application):
        raise NotAllowed()
    if application.status not in DEPOSITABLE:
        raise Conflict(
            _("선정 이후 완료 전(선정·협약·구축·완료점검)인 사업에만 기업부담금 입금을 기록할 수 있습니다."),
            code="not_depositable",
        )
    return application


def _clean_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("입금액은 1원 이상의 원 단위 정수여야 합니다.")})
    if amount > MAX_TOTAL:
        raise ValidationError({"amount": _("입금액은 100억 원(10,000,000,000원)을 넘을 수 없습니다.")})
    return amount


@transaction.atomic
def deposit_record(*, actor, application, amount: int, deposited_on, document=None) -> Deposit:
    """Staff record a deposit of the SME's share, with an optional proof (PDF or image)."""
    application = _depositable(actor, application)
    amount = _clean_amount(amount)
    if deposited_on is None:
        raise ValidationError({"deposited_on": _("입금일을 입력해 주세요.")})
    check_field(Deposit, "deposited_on", deposited_on)
    deposit = Deposit(application=application, amount=amount, deposited_on=deposited_on, recorded_by=actor)
    if document is not None:
        evidence_rename(document, evidence_check(document, field="document"))
        deposit.document = document
    try:
        deposit.save()
        audit_event_record(
            actor=actor,
            action="deposit.record",
            target=deposit,
            after={
                "application": application.pk,
                "amount": amount,
                "deposited_on": deposit.deposited_on.isoformat(),
                "total": deposit_total(application_id=application.pk),
            },
        )
    except BaseException:
        evidence_discard(deposit.document)
        raise
    return deposit


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """`start_build` needs a deposit recorded (409 `deposit_required`)."""
    if action == "start_build" and not Deposit.objects.filter(application_id=application.pk).exists():
        raise Conflict(_("기업부담금 입금이 기록되어야 구축을 시작할 수 있습니다."), code="deposit_required")


def sme_share_required(*, share: CostShare, paid_after: int) -> int:
    """What the SME must have deposited before the pots have paid `paid_after` in all (SPEC §18.2):
    its share in proportion to the government's and the sponsor's, rounded down."""
    funded = share.government + share.sponsor
    return share.sme * paid_after // funded if funded else 0


def payment_rule(*, application, amount: int, kind: str, paid: dict, parts: tuple[int, int]):
    """409 `sme_share_unpaid` unless deposits ≥ floor(sme × (paid + amount) / (government + sponsor))."""
    share = CostShare.objects.filter(application_id=application.pk).first()
    if share is None or share.government + share.sponsor == 0:
        return None
    required = sme_share_required(share=share, paid_after=sum(paid.values()) + amount)
    deposited = deposit_total(application_id=application.pk)
    if deposited < required:
        raise Conflict(
            _(
                "기업부담금이 부족합니다. 이 금액을 지급하려면 기업부담금 %(required)s원이 입금되어야 합니다"
                "(입금 %(deposited)s원, %(shortfall)s원을 먼저 입금해야 합니다)."
            )
            % {
                "required": f"{required:,}",
                "deposited": f"{deposited:,}",
                "shortfall": f"{required - deposited:,}",
            },
            code="sme_share_unpaid",
            data={"required": required, "deposited": deposited, "shortfall": required - deposited},
        )
    return None
