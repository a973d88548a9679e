from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.selectors import application_lock
from config.errors import Conflict, InsufficientFunds
from funds.cost_share import Split, split_cost
from funds.models import CostShare, LedgerEntry, Pot
from funds.selectors import application_outstanding, fund_balances
from program.selectors import program_lock
from program.services import audit_event_record


@transaction.atomic
def cost_share_compute(*, application) -> CostShare | None:
    """Store the §3.2 split of the application's current total. Idempotent: the same total and
    policy leave the stored row (and its `computed_at`) untouched."""
    # Lock the application so that two runs (a redelivered task) never race to create the row.
    application = application_lock(application_id=application.pk)
    if application.total_cost is None:
        return None
    split: Split = split_cost(
        application.total_cost, application.level, application.program.cost_share_policy()
    )
    values = {
        "total": split.total,
        "government": split.government,
        "sponsor": split.sponsor,
        "sme": split.sme,
        "capped": split.capped,
    }
    current = CostShare.objects.select_for_update().filter(application=application).first()
    if current is None:
        return CostShare.objects.create(application=application, computed_at=timezone.now(), **values)
    if all(getattr(current, field) == value for field, value in values.items()):
        return current
    for field, value in values.items():
        setattr(current, field, value)
    current.computed_at = timezone.now()
    current.save()
    return current


POT_SHARES = ((Pot.GOVERNMENT, "government"), (Pot.SPONSOR, "sponsor"))


@transaction.atomic
def fund_commit(*, application, actor) -> CostShare:
    """Commit the application's government and sponsor shares from the program's two pots.

    Locks the program row first: every movement of a program's pots goes through that lock, so
    concurrent selections are serialised and can never over-commit a pot.
    """
    program_lock(program_id=application.program_id)
    share = cost_share_compute(application=application)
    if share is None:
        raise Conflict(_("총사업비가 없는 신청서는 선정할 수 없습니다."), code="no_total_cost")
    balances = fund_balances(program_id=application.program_id)
    for pot, field in POT_SHARES:
        if getattr(share, field) > balances[pot].available:
            raise InsufficientFunds(
                _("%(pot)s 잔액(%(available)s원)이 필요한 금액(%(needed)s원)보다 적습니다.")
                % {
                    "pot": Pot(pot).label,
                    "available": f"{balances[pot].available:,}",
                    "needed": f"{getattr(share, field):,}",
                }
            )
    for pot, field in POT_SHARES:
        amount = getattr(share, field)
        if amount > 0:
            _ledger_append(application, pot, LedgerEntry.Kind.COMMITMENT, amount, actor)
    return share


@transaction.atomic
def fund_release(*, application, actor) -> dict[str, int]:
    """Release what is committed to the application and not yet paid (on withdrawal or cancellation)."""
    program_lock(program_id=application.program_id)
    outstanding = application_outstanding(application_id=application.pk)
    for pot, amount in outstanding.items():
        if amount > 0:
            _ledger_append(application, pot, LedgerEntry.Kind.RELEASE, amount, actor)
    return outstanding


def _ledger_append(application, pot, kind, amount, actor) -> LedgerEntry:
    entry = LedgerEntry.objects.create(
        program_id=application.program_id,
        pot=pot,
        kind=kind,
        amount=amount,
        application=application,
        actor=actor,
    )
    audit_event_record(
        actor=actor,
        action=f"ledger.{kind}",
        target=entry,
        after={"pot": pot, "amount": amount, "application": application.pk},
    )
    return entry
