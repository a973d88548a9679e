"""The settlement's figures (정산, SPEC §18.3), read-only: what `GET applications/{id}/settlement/`,
the settlement sheet and the panels show.

The shares are the §3.2 split of the eligible amount by the one split function
(program.cost_share.split_cost, the call funds.services.cost_share_compute makes), so caps, rounding
and any later cap apply here as they do at selection. Once confirmed, the figures are the Settlement
row's (what staff confirmed); paid and balance are always the ledger's as it stands now."""

from dataclasses import asdict, dataclass

from django.db.models import Q, Sum

from execution.models import Settlement, SpendingLine
from funds.models import CostShare, Pot
from funds.selectors import application_balances
from program.cost_share import split_cost

OPEN = "open"
CONFIRMED = "confirmed"
POTS = ((Pot.GOVERNMENT, "government"), (Pot.SPONSOR, "sponsor"))


@dataclass(frozen=True)
class SettlementFigures:
    agreed_total: int
    approved: int
    disallowed: int
    pending: int
    eligible: int
    shares: dict[str, int]  # government, sponsor, sme
    paid: dict[str, int]  # government, sponsor
    balance: dict[str, int]  # government, sponsor (negative: a refund is due)
    status: str  # "open" | "confirmed"

    def as_dict(self) -> dict:
        """The JSON of SPEC §18.3."""
        return asdict(self)

    @property
    def refund(self) -> dict[str, int]:
        """Per pot, what is owed back (the negative balances, as positive amounts)."""
        return {name: max(0, -amount) for name, amount in self.balance.items()}

    @property
    def final_due(self) -> dict[str, int]:
        """Per pot, what the final payment still pays (the positive balances)."""
        return {name: max(0, amount) for name, amount in self.balance.items()}


def spending_sums(*, application_id: int) -> dict[str, int]:
    """The application's spending lines summed by review status (credit notes count negative). One
    query. Part A1's execution.selectors.spending_sums replaces this once merged."""
    row = SpendingLine.objects.filter(application_id=application_id).aggregate(
        **{status: Sum("amount", filter=Q(status=status), default=0) for status in SpendingLine.Status.values}
    )
    return {status: row[status] for status in SpendingLine.Status.values}


def settled_shares(*, eligible: int, application) -> dict[str, int]:
    """The §3.2 split of `eligible` under the application's level and program policy; all zero for
    nothing eligible (the split function takes 1 won and more)."""
    if eligible <= 0:
        return {"government": 0, "sponsor": 0, "sme": 0}
    split = split_cost(eligible, application.level, application.program.cost_share_policy())
    return {"government": split.government, "sponsor": split.sponsor, "sme": split.sme}


def settlement_figures(*, application) -> SettlementFigures:
    """The figures as they stand (open) or as confirmed. At most 3 queries (the settlement row, the
    ledger, then the cost share and spending sums while open) once `application.program` is loaded."""
    balances = application_balances(application_id=application.pk)
    paid = {name: balances[pot].disbursed for pot, name in POTS}
    confirmed = Settlement.objects.filter(application_id=application.pk).first()
    if confirmed is not None:
        return _figures_confirmed(confirmed, paid)
    share = CostShare.objects.filter(application_id=application.pk).only("total").first()
    agreed_total = share.total if share is not None else 0
    sums = spending_sums(application_id=application.pk)
    eligible = max(0, min(sums[SpendingLine.Status.APPROVED], agreed_total))
    shares = settled_shares(eligible=eligible, application=application)
    return SettlementFigures(
        agreed_total=agreed_total,
        approved=sums[SpendingLine.Status.APPROVED],
        disallowed=sums[SpendingLine.Status.DISALLOWED],
        pending=sums[SpendingLine.Status.PENDING],
        eligible=eligible,
        shares=shares,
        paid=paid,
        balance={name: shares[name] - paid[name] for _pot, name in POTS},
        status=OPEN,
    )


def _figures_confirmed(row: Settlement, paid: dict[str, int]) -> SettlementFigures:
    shares = {"government": row.government, "sponsor": row.sponsor, "sme": row.sme}
    return SettlementFigures(
        agreed_total=row.agreed_total,
        approved=row.approved,
        disallowed=row.disallowed,
        pending=0,  # confirmation needs none pending
        eligible=row.eligible,
        shares=shares,
        paid=paid,
        balance={name: shares[name] - paid[name] for _pot, name in POTS},
        status=CONFIRMED,
    )


def settlement_confirmed(*, application_id: int) -> bool:
    return Settlement.objects.filter(application_id=application_id).exists()
