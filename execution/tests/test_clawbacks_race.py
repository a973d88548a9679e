"""Concurrent collections on one clawback never collect more than it claims (SPEC §18.4), on
PostgreSQL with real row locks: eight threads each collect the whole remaining amount at the same
instant; exactly one succeeds, the others are refused (400 past what remains, or 409 once closed),
and the ledger recovers exactly the clawback's amount."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from config.errors import Conflict
from execution.models import Clawback
from execution.services.clawbacks import clawback_collect, clawback_open
from execution.tests.money_scenes import funded, pay
from funds.models import LedgerEntry
from funds.selectors import ledger_totals_mismatches
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
COLLECTED_ON = datetime.date(2026, 10, 1)


def test_concurrent_collections_collect_the_clawback_once():
    staff = UserFactory(role="staff")
    application = funded(staff)
    pay(staff, application, 20_000_000)
    clawback = clawback_open(
        actor=staff,
        application=application,
        reason="collusion",
        government=7_000_000,
        sponsor=3_000_001,
        due_on=datetime.date(2026, 12, 31),
    )
    barrier = threading.Barrier(THREADS, timeout=60)
    outcomes: list[object] = []

    def run():
        try:
            row = Clawback.objects.get(pk=clawback.pk)  # connect before the start
            barrier.wait()
            outcomes.append(
                clawback_collect(actor=staff, clawback=row, amount=row.remaining, collected_on=COLLECTED_ON)
            )
        except (ValidationError, Conflict) as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == THREADS
    assert sum(not isinstance(outcome, Exception) for outcome in outcomes) == 1
    clawback.refresh_from_db()
    assert clawback.status == "collected" and clawback.collected == 10_000_001
    recovered = LedgerEntry.objects.filter(application=application, kind=LedgerEntry.Kind.RECOVERY)
    assert recovered.aggregate(total=Sum("amount"))["total"] == 10_000_001
    assert ledger_totals_mismatches() == []
