"""Balances derived from the append-only ledger (docs/domain.md §3.3)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from funds.models import LedgerEntry, Pot, PotTotal

K = LedgerEntry.Kind


@dataclass(frozen=True)
class PotBalance:
    total: int
    committed: int
    released: int
    disbursed: int

    @classmethod
    def of(cls, sums: dict[str, int]) -> "PotBalance":
        """From one pot's ledger sums by kind."""
        return cls(
            total=sums[K.CONTRIBUTION],
            committed=sums[K.COMMITMENT],
            released=sums[K.RELEASE],
            disbursed=sums[K.DISBURSEMENT],
        )

    @property
    def net_committed(self) -> int:
        """Committed and not released (paid or still owed)."""
        return self.committed - self.released

    @property
    def available(self) -> int:
        return self.total - self.net_committed


def _sums_by_pot(queryset) -> dict[str, dict[str, int]]:
    aggregates = {}
    for pot in Pot.values:
        for kind in K.values:
            aggregates[f"{pot}__{kind}"] = Sum("amount", filter=Q(pot=pot, kind=kind), default=0)
    row = queryset.aggregate(**aggregates)
    return {pot: {kind: row[f"{pot}__{kind}"] for kind in K.values} for pot in Pot.values}


def fund_balances(*, program_id: int) -> dict[str, PotBalance]:
    """Per pot: total contributed, committed, released, disbursed (and so available). One query,
    over the program's eight running totals (funds.PotTotal), not its ledger."""
    sums = {pot: {kind: 0 for kind in K.values} for pot in Pot.values}
    for pot, kind, amount in PotTotal.objects.filter(program_id=program_id).values_list(
        "pot", "kind", "amount"
    ):
        sums[pot][kind] = amount
    return {pot: PotBalance.of(s) for pot, s in sums.items()}


def application_outstanding(*, application_id: int) -> dict[str, int]:
    """Per pot: what is committed to the application and neither released nor paid."""
    sums = _sums_by_pot(LedgerEntry.objects.filter(application_id=application_id))
    return {pot: s[K.COMMITMENT] - s[K.RELEASE] - s[K.DISBURSEMENT] for pot, s in sums.items()}


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
