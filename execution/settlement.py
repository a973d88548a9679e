"""The settlement's figures (정산, SPEC §18.3), read-only: what `GET applications/{id}/settlement/`,
the settlement sheet and the panels show. PART A2 fills this module."""

from dataclasses import dataclass


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
        raise NotImplementedError


def settlement_figures(*, application) -> SettlementFigures:
    """The figures as they stand (open) or as confirmed."""
    raise NotImplementedError
