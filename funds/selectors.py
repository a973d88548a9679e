"""Balances derived from the append-only ledger (SPEC §3.3)."""

from dataclasses import dataclass

from django.db.models import Q, Sum

from funds.models import LedgerEntry, Pot

K = LedgerEntry.Kind


@dataclass(frozen=True)
class PotBalance:
    total: int
    committed: int
    released: int
    disbursed: int

    @property
    def available(self) -> int:
        return self.total - self.committed + self.released


def _sums_by_pot(queryset) -> dict[str, dict[str, int]]:
    aggregates = {}
    for pot in Pot.values:
        for kind in K.values:
            aggregates[f"{pot}__{kind}"] = Sum("amount", filter=Q(pot=pot, kind=kind), default=0)
    row = queryset.aggregate(**aggregates)
    return {pot: {kind: row[f"{pot}__{kind}"] for kind in K.values} for pot in Pot.values}


def fund_balances(*, program_id: int) -> dict[str, PotBalance]:
    """Per pot: total contributed, committed, released, disbursed (and so available). One query."""
    sums = _sums_by_pot(LedgerEntry.objects.filter(program_id=program_id))
    return {
        pot: PotBalance(
            total=s[K.CONTRIBUTION],
            committed=s[K.COMMITMENT],
            released=s[K.RELEASE],
            disbursed=s[K.DISBURSEMENT],
        )
        for pot, s in sums.items()
    }


def application_outstanding(*, application_id: int) -> dict[str, int]:
    """Per pot: what is committed to the application and neither released nor paid."""
    sums = _sums_by_pot(LedgerEntry.objects.filter(application_id=application_id))
    return {pot: s[K.COMMITMENT] - s[K.RELEASE] - s[K.DISBURSEMENT] for pot, s in sums.items()}
