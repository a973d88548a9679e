"""Balances derived from the append-only ledger (docs/domain.md §3.3).

Every figure of a pot — total, committed, released, disbursed, available — is a `PotBalance`, read by
`pot_balances_by` (the running totals) or `application_balances` (one application's ledger), and
turned into plain data by `PotBalance.figures()` only. `committed` is gross: every commitment ever
made from the pot; what releases gave back is `released`, and `committed_net` is the difference
(docs/domain.md §3.4).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from funds.models import LedgerEntry, Pot, PotTotal

K = LedgerEntry.Kind


@dataclass(frozen=True)
class PotBalance:
    total: int = 0
    committed: int = 0
    released: int = 0
    disbursed: int = 0
    recovered: int = 0  # collected back on clawbacks (환수, SPEC §18.4)

    @classmethod
    def of(cls, sums: dict[str, int]) -> "PotBalance":
        """From one pot's ledger sums by kind."""
        return cls(
            total=sums[K.CONTRIBUTION],
            committed=sums[K.COMMITMENT],
            released=sums[K.RELEASE],
            disbursed=sums[K.DISBURSEMENT],
            recovered=sums[K.RECOVERY],
        )

    def __add__(self, other: "PotBalance") -> "PotBalance":
        return PotBalance(
            total=self.total + other.total,
            committed=self.committed + other.committed,
            released=self.released + other.released,
            disbursed=self.disbursed + other.disbursed,
            recovered=self.recovered + other.recovered,
        )

    @property
    def committed_net(self) -> int:
        """Committed and not released (paid or still owed)."""
        return self.committed - self.released

    @property
    def outstanding(self) -> int:
        """Committed and neither released nor paid: what a payment may still draw (docs/domain.md §3.3)."""
        return self.committed - self.released - self.disbursed

    @property
    def available(self) -> int:
        """Total − committed + released + recovered (docs/domain.md §3.3, SPEC §18.4)."""
        return self.total - self.committed_net + self.recovered

    def figures(self) -> dict[str, int]:
        """The pot as plain data, the shape of `programs/{id}/fund/` (funds.api.views.PotSerializer)."""
        return {
            "total": self.total,
            "committed": self.committed,
            "released": self.released,
            "disbursed": self.disbursed,
            "recovered": self.recovered,
            "available": self.available,
        }


def no_balances() -> dict[str, PotBalance]:
    """Both pots of a program with no ledger yet."""
    return {pot: PotBalance() for pot in Pot.values}


def sum_balances(groups: Iterable[dict[str, PotBalance]]) -> dict[str, PotBalance]:
    """Per pot, the sum of several groups' balances (e.g. a sponsor's years)."""
    total = no_balances()
    for group in groups:
        total = {pot: total[pot] + group[pot] for pot in Pot.values}
    return total


def _sums_by_pot(queryset) -> dict[str, dict[str, int]]:
    aggregates = {}
    for pot in Pot.values:
        for kind in K.values:
            aggregates[f"{pot}__{kind}"] = Sum("amount", filter=Q(pot=pot, kind=kind), default=0)
    row = queryset.aggregate(**aggregates)
    return {pot: {kind: row[f"{pot}__{kind}"] for kind in K.values} for pot in Pot.values}


def pot_balances_by(field: str, **scope: Any) -> dict[Any, dict[str, PotBalance]]:
    """Per value of `field` (`program_id`, `program__year`, …) and pot: the balances of the programs
    that `scope` filters (PotTotal lookups). One query, over the running totals the database keeps
    per program (funds.PotTotal), not the ledger. A value with no ledger at all is absent."""
    rows = (
        PotTotal.objects.filter(**scope)
        .values(field, "pot", "kind")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    sums: defaultdict[Any, dict[str, dict[str, int]]] = defaultdict(
        lambda: {pot: dict.fromkeys(K.values, 0) for pot in Pot.values}
    )
    for row in rows:
        sums[row[field]][row["pot"]][row["kind"]] += row["amount"]
    return {key: {pot: PotBalance.of(s) for pot, s in pots.items()} for key, pots in sums.items()}


def fund_balances(*, program_id: int) -> dict[str, PotBalance]:
    """Per pot: total contributed, committed, released, disbursed (and so available). One query."""
    return pot_balances_by("program_id", program_id=program_id).get(program_id) or no_balances()


def fund_figures(*, program_id: int) -> dict[str, dict[str, int]]:
    """`programs/{id}/fund/`: per pot, its figures as plain data."""
    return {pot: balance.figures() for pot, balance in fund_balances(program_id=program_id).items()}


def application_balances(*, application_id: int) -> dict[str, PotBalance]:
    """Per pot: what the application's ledger committed, released and paid. One query."""
    sums = _sums_by_pot(LedgerEntry.objects.filter(application_id=application_id))
    return {pot: PotBalance.of(s) for pot, s in sums.items()}


def application_outstanding(*, application_id: int) -> dict[str, int]:
    """Per pot: what is committed to the application and neither released nor paid."""
    balances = application_balances(application_id=application_id)
    return {pot: balance.outstanding for pot, balance in balances.items()}


def program_commitments(*, program_id: int):
    """The program's funded applications with, per pot, what is committed (net of releases) and paid.

    One query, whatever the number of applications.
    """
    from applicants.models import Application

    def pot_sum(pot, kind):
        return Sum(
            "ledger_entries__amount", filter=Q(ledger_entries__pot=pot, ledger_entries__kind=kind), default=0
        )

    return (
        Application.objects.filter(program_id=program_id, ledger_entries__isnull=False)
        .select_related("company")
        .only("id", "title", "status", "company__name")
        .annotate(
            gov_committed=pot_sum(Pot.GOVERNMENT, K.COMMITMENT),
            gov_released=pot_sum(Pot.GOVERNMENT, K.RELEASE),
            gov_paid=pot_sum(Pot.GOVERNMENT, K.DISBURSEMENT),
            sponsor_committed=pot_sum(Pot.SPONSOR, K.COMMITMENT),
            sponsor_released=pot_sum(Pot.SPONSOR, K.RELEASE),
            sponsor_paid=pot_sum(Pot.SPONSOR, K.DISBURSEMENT),
        )
        .order_by("-id")
    )


def program_ledger(*, program_id: int):
    """The program's ledger, newest first, with what each row needs to be shown."""
    return (
        LedgerEntry.objects.filter(program_id=program_id)
        .select_related("application", "actor", "contribution")
        .order_by("-created_at", "-id")
    )


def ledger_sums_by_program(*, program_ids, since=None, until=None) -> dict[int, dict[str, dict[str, int]]]:
    """Per program, pot and kind: the sum of the ledger, optionally of the entries recorded between
    two dates (local time, inclusive). Every program, pot and kind is present. One query."""
    entries = LedgerEntry.objects.filter(program_id__in=program_ids)
    if since is not None:
        entries = entries.filter(created_at__gte=_day_start(since))
    if until is not None:
        entries = entries.filter(created_at__lt=_day_start(until + datetime.timedelta(days=1)))
    sums = {pid: {pot: dict.fromkeys(K.values, 0) for pot in Pot.values} for pid in program_ids}
    for row in entries.values("program_id", "pot", "kind").annotate(amount=Sum("amount")).order_by():
        sums[row["program_id"]][row["pot"]][row["kind"]] = row["amount"]
    return sums


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def ledger_totals_mismatches(*, program_id: int | None = None) -> list[tuple]:
    """(program, pot, kind, running total, ledger sum) wherever the running totals the trigger keeps
    differ from the ledger summed afresh; empty when they agree (tests, bench.load)."""
    ledger = (
        LedgerEntry.objects.all() if program_id is None else LedgerEntry.objects.filter(program_id=program_id)
    )
    totals = PotTotal.objects.all() if program_id is None else PotTotal.objects.filter(program_id=program_id)
    summed = {
        (row["program_id"], row["pot"], row["kind"]): row["amount"]
        for row in ledger.values("program_id", "pot", "kind").annotate(amount=Sum("amount")).order_by()
    }
    kept = {(t.program_id, t.pot, t.kind): t.amount for t in totals}
    return [
        (*key, kept.get(key, 0), summed.get(key, 0))
        for key in sorted(summed.keys() | kept.keys())
        if kept.get(key, 0) != summed.get(key, 0)
    ]
