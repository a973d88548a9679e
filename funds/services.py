from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application
from applicants.selectors import application_lock
from applicants.workflow import FUNDED
from config.errors import Conflict, InsufficientFunds, NotAllowed
from config.plugins import plugins
from funds.models import Contribution, CostShare, Disbursement, LedgerEntry, Pot
from funds.permissions import can_record_contribution, can_record_disbursement
from funds.selectors import K, application_balances, application_outstanding, fund_balances
from program.cost_share import Split, split_cost
from program.selectors import program_lock
from program.services import audit_event_record
from program.validators import check_field


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


@transaction.atomic
def fund_commitment_adjust(*, application, actor) -> dict[str, int]:
    """Bring what is committed to a funded application to its split after its total changed (an
    approved 협약변경 of the cost, SPEC §16): the split is recomputed (`cost_share_compute`), then per
    pot the difference is committed (the §3.3 check: 409 `insufficient_funds` and nothing moves) or
    released. A pot may not go below what it already paid (409 `below_paid`). Returns the difference
    per pot (+ committed, − released).

    The caller holds the application's lock; the program's is taken here, as for a selection."""
    program_lock(program_id=application.program_id)
    share = cost_share_compute(application=application)
    if share is None:
        raise Conflict(_("총사업비가 없는 신청서입니다."), code="no_total_cost")
    held = application_balances(application_id=application.pk)
    differences: dict[str, int] = {
        str(pot): getattr(share, field) - held[pot].committed_net for pot, field in POT_SHARES
    }
    for pot, field in POT_SHARES:
        if getattr(share, field) < held[pot].disbursed:
            raise Conflict(
                _("%(pot)s에서 이미 %(paid)s원을 지급해 분담금을 %(needed)s원으로 줄일 수 없습니다.")
                % {
                    "pot": Pot(pot).label,
                    "paid": f"{held[pot].disbursed:,}",
                    "needed": f"{getattr(share, field):,}",
                },
                code="below_paid",
            )
    balances = fund_balances(program_id=application.program_id)
    for name, difference in differences.items():
        if difference > balances[name].available:
            raise InsufficientFunds(
                _("%(pot)s 잔액(%(available)s원)이 더 필요한 금액(%(needed)s원)보다 적습니다.")
                % {
                    "pot": Pot(name).label,
                    "available": f"{balances[name].available:,}",
                    "needed": f"{difference:,}",
                }
            )
    for name, difference in differences.items():
        if difference > 0:
            _ledger_append(application, name, LedgerEntry.Kind.COMMITMENT, difference, actor)
        elif difference < 0:
            _ledger_append(application, name, LedgerEntry.Kind.RELEASE, -difference, actor)
    return differences


def ledger_entry_record(
    *,
    program_id: int,
    pot: str,
    kind: str,
    amount: int,
    actor,
    application=None,
    contribution=None,
    disbursement=None,
    note: str = "",
) -> LedgerEntry:
    """The only way a ledger entry is written: the entry and its `ledger.<kind>` audit event
    together (docs/domain.md §3.3). The caller holds the program's lock when money moves."""
    entry = LedgerEntry.objects.create(
        program_id=program_id,
        pot=pot,
        kind=kind,
        amount=amount,
        application=application,
        contribution=contribution,
        disbursement=disbursement,
        actor=actor,
        note=note,
    )
    after: dict = {"pot": pot, "amount": amount}
    if application is not None:
        after["application"] = application.pk
    if contribution is not None:
        after |= {"contribution": contribution.pk, "kind": contribution.kind}
    audit_event_record(actor=actor, action=f"ledger.{kind}", target=entry, after=after)
    return entry


def _ledger_append(application, pot, kind, amount, actor, disbursement=None) -> LedgerEntry:
    """A movement of the application's money (commitment, release, disbursement)."""
    return ledger_entry_record(
        program_id=application.program_id,
        pot=pot,
        kind=kind,
        amount=amount,
        actor=actor,
        application=application,
        disbursement=disbursement,
    )


@transaction.atomic
def contribution_record(
    *, actor, program, amount: int, kind: str, purpose: str, received_on, note: str = ""
) -> Contribution:
    """A sponsor's 출연금 into its program's sponsor pot (docs/domain.md §2, §3.3).

    In-kind contributions may be at most 20 % of the sponsor's contributions to the program,
    counting this one; the program row is locked so two recordings cannot both slip past the rule.
    """
    if not can_record_contribution(actor, program):
        raise NotAllowed()
    program = program_lock(program_id=program.pk)
    contribution = Contribution(
        sponsor_id=program.sponsor_id,
        program=program,
        amount=amount,
        kind=kind,
        purpose=purpose,
        received_on=received_on,
        note=note,
        recorded_by=actor,
    )
    if amount <= 0:  # before full_clean, whose constraint check would answer with the constraint's name
        raise ValidationError({"amount": _("금액은 1원 이상이어야 합니다.")})
    contribution.full_clean(exclude=["sponsor", "program", "recorded_by"])
    sums = Contribution.objects.filter(program=program, sponsor_id=program.sponsor_id).aggregate(
        total=Sum("amount", default=0),
        in_kind=Sum("amount", filter=Q(kind=Contribution.Kind.IN_KIND), default=0),
    )
    total = sums["total"] + amount
    in_kind = sums["in_kind"] + (amount if kind == Contribution.Kind.IN_KIND else 0)
    if in_kind * 100 > Contribution.IN_KIND_MAX_PERCENT * total:
        allowed = (Contribution.IN_KIND_MAX_PERCENT * sums["total"] - 100 * sums["in_kind"]) // (
            100 - Contribution.IN_KIND_MAX_PERCENT
        )
        raise ValidationError(
            {
                "kind": _(
                    "현물 출연은 이 사업 출연금의 %(max)d%%까지입니다. "
                    "지금 더 받을 수 있는 현물: %(allowed)s원."
                )
                % {"max": Contribution.IN_KIND_MAX_PERCENT, "allowed": f"{max(allowed, 0):,}"}
            }
        )
    contribution.save()
    ledger_entry_record(
        program_id=program.pk,
        pot=Pot.SPONSOR,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        amount=amount,
        actor=actor,
        contribution=contribution,
    )
    return contribution


@transaction.atomic
def fund_budget_sync(*, program, actor, note: str = "") -> LedgerEntry | None:
    """Bring the government pot up to the program's matching budget (an appended entry, noted
    "정부 매칭 예산" unless `note` says otherwise).

    The ledger only grows: a budget below what the government pot already holds is refused.
    """
    program_lock(program_id=program.pk)
    recorded = LedgerEntry.objects.filter(
        program_id=program.pk, pot=Pot.GOVERNMENT, kind=LedgerEntry.Kind.CONTRIBUTION
    ).aggregate(total=Sum("amount", default=0))["total"]
    if program.gov_budget < recorded:
        raise ValidationError(
            {
                "gov_budget": _("정부 재원에 이미 %(recorded)s원이 들어와 있어 그보다 줄일 수 없습니다.")
                % {"recorded": f"{recorded:,}"}
            }
        )
    if program.gov_budget == recorded:
        return None
    return ledger_entry_record(
        program_id=program.pk,
        pot=Pot.GOVERNMENT,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        amount=program.gov_budget - recorded,
        actor=actor,
        note=note or _("정부 매칭 예산"),
    )


PAYABLE = (*FUNDED, Application.Status.COMPLETED)


def split_payment(amount: int, gov_committed: int, sponsor_committed: int) -> tuple[int, int]:
    """docs/domain.md §3.3: the government part is floor(amount × G / (G + S)); the sponsor part the rest."""
    committed = gov_committed + sponsor_committed
    gov_part = amount * gov_committed // committed if committed else 0
    return gov_part, amount - gov_part


@transaction.atomic
def disbursement_record(*, actor, application, amount: int, kind: str, paid_on) -> Disbursement:
    """A payment (선급금 advance / 잔금 final) to a funded application, split pro rata between the
    pots; the total paid never exceeds what is committed (and not released)."""
    if not can_record_disbursement(actor, application):
        raise NotAllowed()
    # The application first, then the program: the same order as the workflow's transitions
    # (select, withdraw), so a payment and a withdrawal of one application cannot deadlock.
    application = application_lock(application_id=application.pk)
    program_lock(program_id=application.program_id)
    if application.status not in PAYABLE:
        raise Conflict(
            _("선정 이후(협약·구축·완료점검·완료) 신청서에만 지급할 수 있습니다."), code="not_payable"
        )
    if kind not in Disbursement.Kind.values:
        raise ValidationError({"kind": _("지급 구분을 선택해 주세요.")})
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("지급액은 1원 이상이어야 합니다.")})
    check_field(Disbursement, "paid_on", paid_on)
    committed = {pot: b.committed for pot, b in application_balances(application_id=application.pk).items()}
    outstanding = application_outstanding(application_id=application.pk)
    payable = sum(outstanding.values())
    if amount > payable:
        raise Conflict(
            _("지급액(%(amount)s원)이 남은 약정액(%(payable)s원)을 넘습니다.")
            % {"amount": f"{amount:,}", "payable": f"{payable:,}"},
            code="exceeds_commitment",
        )
    gov_part, sponsor_part = split_payment(amount, committed[Pot.GOVERNMENT], committed[Pot.SPONSOR])
    # Rounding over several payments must not take a pot past what it still owes: shift the cent.
    if sponsor_part > outstanding[Pot.SPONSOR]:
        gov_part, sponsor_part = amount - outstanding[Pot.SPONSOR], outstanding[Pot.SPONSOR]
    if gov_part > outstanding[Pot.GOVERNMENT]:
        gov_part, sponsor_part = outstanding[Pot.GOVERNMENT], amount - outstanding[Pot.GOVERNMENT]
    # The rules of the apps above (SPEC §18.2 the SME's deposit, §18.3 the settled final payment):
    # each may refuse (raising) or fix the parts per pot (returning (government, sponsor)).
    paid = {pot: b.disbursed for pot, b in application_balances(application_id=application.pk).items()}
    for rule in plugins("payment_rules"):
        parts = rule(
            application=application, amount=amount, kind=kind, paid=paid, parts=(gov_part, sponsor_part)
        )
        if parts is not None:
            gov_part, sponsor_part = parts
    disbursement = Disbursement.objects.create(
        application=application,
        kind=kind,
        amount=amount,
        gov_part=gov_part,
        sponsor_part=sponsor_part,
        paid_on=paid_on,
        recorded_by=actor,
    )
    for pot, part in ((Pot.GOVERNMENT, gov_part), (Pot.SPONSOR, sponsor_part)):
        if part > 0:
            _ledger_append(application, pot, K.DISBURSEMENT, part, actor, disbursement=disbursement)
    audit_event_record(
        actor=actor,
        action="application.disbursement",
        target=application,
        after={
            "disbursement": disbursement.pk,
            "kind": kind,
            "amount": amount,
            "government": gov_part,
            "sponsor": sponsor_part,
        },
    )
    return disbursement


# ---- issue 20, part A2: settlement releases and clawback recoveries (SPEC §18.3-18.4) -----------------


@transaction.atomic
def fund_release_amounts(*, application, actor, amounts: dict[str, int]) -> dict[str, int]:
    """Release, per pot, the given part of what is committed to the application and not yet paid
    (a confirmed settlement's excess commitment, SPEC §18.3). A pot never releases more than it still
    has outstanding (409 `exceeds_commitment`). The caller holds the application's lock."""
    program_lock(program_id=application.program_id)
    outstanding = application_outstanding(application_id=application.pk)
    for pot, amount in amounts.items():
        if amount > outstanding[pot]:
            raise Conflict(
                _("%(pot)s에서 남은 약정액(%(outstanding)s원)보다 많이 해제할 수 없습니다.")
                % {"pot": Pot(pot).label, "outstanding": f"{outstanding[pot]:,}"},
                code="exceeds_commitment",
            )
    for pot, amount in amounts.items():
        if amount > 0:
            _ledger_append(application, pot, K.RELEASE, amount, actor)
    return amounts


@transaction.atomic
def recovery_record(*, actor, application, gov_part: int, sponsor_part: int, clawback_id: int) -> None:
    """A clawback's collection appended to the ledger as `recovery` per pot (SPEC §18.4): what the
    pot has available grows by it. The caller holds the application's lock; the program's is taken
    here, as for every movement of the pots."""
    program_lock(program_id=application.program_id)
    note = _("환수 #%(id)s 회수") % {"id": clawback_id}
    for pot, part in ((Pot.GOVERNMENT, gov_part), (Pot.SPONSOR, sponsor_part)):
        if part > 0:
            ledger_entry_record(
                program_id=application.program_id,
                pot=pot,
                kind=K.RECOVERY,
                amount=part,
                actor=actor,
                application=application,
                note=note,
            )
