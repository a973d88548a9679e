"""The settlement's figures (정산, SPEC §18.3), read-only: what `GET applications/{id}/settlement/`,
the settlement sheet and the panels show.

The shares are the §3.2 split of the eligible amount by the one split function
(program.cost_share.split_cost, the call funds.services.cost_share_compute makes), so caps, rounding
and any later cap apply here as they do at selection. Once confirmed, the figures are the Settlement
row's (what staff confirmed); paid and balance are always the ledger's as it stands now."""

from dataclasses import asdict, dataclass

from applicants.selectors import application_split
from execution.models import Settlement
from execution.selectors import agreed_terms, spending_sums
from funds.models import Pot
from funds.selectors import application_balances

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


def settled_shares(*, eligible: int, application, repeat: bool) -> dict[str, int]:
    """The §3.2 split of `eligible` on the application's terms (level, program policy, the §15.3
    repeat cap: applicants.selectors.application_split, the one place an application is split); all
    zero for nothing eligible (the split function takes 1 won and more)."""
    if eligible <= 0:
        return {"government": 0, "sponsor": 0, "sme": 0}
    split = application_split(application, total=eligible, repeat=repeat)
    return {"government": split.government, "sponsor": split.sponsor, "sme": split.sme}


def settlement_figures(*, application) -> SettlementFigures:
    """The figures as they stand (open) or as confirmed. Four queries while open (the ledger, the
    settlement row, the cost share, the spending sums), two once confirmed, with `application.program`
    loaded (application_visible and application_lock join it)."""
    balances = application_balances(application_id=application.pk)
    paid = {name: balances[pot].disbursed for pot, name in POTS}
    confirmed = Settlement.objects.filter(application_id=application.pk).first()
    if confirmed is not None:
        return _figures_confirmed(confirmed, paid)
    agreed, repeat = agreed_terms(application=application)
    sums = spending_sums(application_id=application.pk)
    eligible = max(0, min(sums.approved, agreed))
    shares = settled_shares(eligible=eligible, application=application, repeat=repeat)
    return SettlementFigures(
        agreed_total=agreed,
        approved=sums.approved,
        disallowed=sums.disallowed,
        pending=sums.pending,
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
