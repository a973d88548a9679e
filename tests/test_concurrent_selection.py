"""Concurrent selections never over-commit a pot (docs/domain.md §3.3), on PostgreSQL with real row locks.

Twenty-four applications of one program, each needing 30,000,000 from each pot, are selected at
the same instant by twenty-four threads, each on its own database connection. The pots hold seven
shares and a little: exactly seven selections may succeed, the others must be refused with
InsufficientFunds, and the ledger must never show a pot below zero.

The window between reading the balances and writing the commitment is widened (the balance read
is slowed down) so that, without the program lock, the threads would certainly overlap in it: the
second test shows the race then over-commits, which is what makes the first test meaningful.

The last test races a payment against a withdrawal of the same application: both take the program
and the application locks, and must take them in the same order or PostgreSQL aborts one of them.
"""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.db.models import Sum

import funds.services
from applicants.models import Application
from applicants.services import application_transition
from config.errors import InsufficientFunds
from funds.models import CostShare, LedgerEntry, Pot
from funds.selectors import fund_balances
from program.models import AuditEvent
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, deposit_sme_share, fund_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APPLICATIONS = 24
SHARE = 30_000_000  # each pot's share of a 100,000,001 total at 30/30/40 (docs/domain.md §3.2 example)
AFFORDABLE = 7
POT = AFFORDABLE * SHARE + 1_000_000  # seven shares and a little: not enough for an eighth
K = LedgerEntry.Kind
MARCH_2 = datetime.date(2026, 3, 2)


@pytest.fixture
def race_world():
    program = ProgramFactory()
    fund_program(program, sponsor=POT, government=POT)
    applications = [
        ApplicationFactory(program=program, total_cost=100_000_001, evaluation=True)
        for _ in range(APPLICATIONS)
    ]
    return program, [a.pk for a in applications], UserFactory(role="staff")


@pytest.fixture
def slow_balance_read(monkeypatch):
    """Hold each selection between reading the balances and committing, to widen the race window."""
    real = funds.services.fund_balances

    def slowly(**kwargs):
        balances = real(**kwargs)
        time.sleep(0.1)
        return balances

    monkeypatch.setattr(funds.services, "fund_balances", slowly)


def select_all_at_once(application_ids, actor) -> dict[int, object]:
    """Each thread selects one application; all start together. Returns id → "selected" or the error."""
    barrier = threading.Barrier(len(application_ids), timeout=60)
    outcomes: dict[int, object] = {}

    def run(application_id):
        try:
            application = Application.objects.get(pk=application_id)  # connect before the start
            barrier.wait()
            application_transition(application=application, action="select", actor=actor)
            outcomes[application_id] = "selected"
        except Exception as error:  # every outcome is inspected by the test
            outcomes[application_id] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in application_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a selection hung"
    assert len(outcomes) == len(application_ids)
    return outcomes


def ledger_never_negative(program) -> bool:
    """Replaying the program's ledger in order, no pot's available balance ever goes below zero."""
    available = dict.fromkeys(Pot.values, 0)
    sign = {K.CONTRIBUTION: 1, K.COMMITMENT: -1, K.RELEASE: 1, K.DISBURSEMENT: 0}
    for entry in LedgerEntry.objects.filter(program=program).order_by("id"):
        available[entry.pot] += sign[entry.kind] * entry.amount
        if available[entry.pot] < 0:
            return False
    return True


def test_concurrent_selections_commit_only_what_the_pots_hold(race_world, slow_balance_read):
    program, application_ids, staff = race_world

    outcomes = select_all_at_once(application_ids, staff)

    succeeded = {pk for pk, outcome in outcomes.items() if outcome == "selected"}
    failures = [outcome for outcome in outcomes.values() if outcome != "selected"]
    assert len(succeeded) == AFFORDABLE, outcomes
    assert len(failures) == APPLICATIONS - AFFORDABLE
    unexpected = [f for f in failures if type(f) is not InsufficientFunds]
    assert not unexpected, unexpected
    assert all(f.code == "insufficient_funds" and f.status_code == 409 for f in failures)

    balances = fund_balances(program_id=program.pk)
    for pot in Pot.values:
        assert balances[pot].committed == AFFORDABLE * SHARE
        assert balances[pot].available == POT - AFFORDABLE * SHARE >= 0
        rows = LedgerEntry.objects.filter(program=program, pot=pot)
        committed = rows.filter(kind=K.COMMITMENT).aggregate(s=Sum("amount", default=0))["s"]
        contributed = rows.filter(kind=K.CONTRIBUTION).aggregate(s=Sum("amount", default=0))["s"]
        assert committed <= contributed
    assert ledger_never_negative(program)

    selected = set(
        Application.objects.filter(status=Application.Status.SELECTED).values_list("pk", flat=True)
    )
    assert selected == succeeded
    assert (
        set(Application.objects.filter(status=Application.Status.EVALUATION).values_list("pk", flat=True))
        == set(application_ids) - succeeded
    )
    # The refused selections left nothing behind: no commitment, no split, no audit event.
    committed_to = set(
        LedgerEntry.objects.filter(kind=K.COMMITMENT).values_list("application_id", flat=True).distinct()
    )
    assert committed_to == succeeded
    assert set(CostShare.objects.values_list("application_id", flat=True)) == succeeded
    assert AuditEvent.objects.filter(action="application.select").count() == AFFORDABLE


def test_without_the_program_lock_the_same_race_over_commits(race_world, slow_balance_read, monkeypatch):
    """A check of the test above: with the lock in fund_commit gone, it would fail."""
    program, application_ids, staff = race_world
    monkeypatch.setattr(funds.services, "program_lock", lambda **kwargs: None)

    outcomes = select_all_at_once(application_ids, staff)

    succeeded = [pk for pk, outcome in outcomes.items() if outcome == "selected"]
    assert len(succeeded) > AFFORDABLE
    assert fund_balances(program_id=program.pk)[Pot.SPONSOR].available < 0
    assert not ledger_never_negative(program)


def test_a_payment_and_a_withdrawal_of_the_same_application_do_not_deadlock(monkeypatch):
    """Both take the program lock and the application lock; in opposite orders they would deadlock.

    The payment is held between its first and second lock until the withdrawal holds its first
    one (or 2 s have passed): with one lock order everywhere, the two simply run one after the other.
    """
    staff = UserFactory(role="staff")
    program = ProgramFactory()
    fund_program(program, sponsor=10**9, government=10**9)
    application = ApplicationFactory(program=program, total_cost=100_000_001, evaluation=True)
    application = application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # a payment waits for the SME's share (SPEC §18.2)

    withdrawal_holds_its_first_lock = threading.Event()
    real_application_lock = funds.services.application_lock
    real_program_lock = funds.services.program_lock

    def application_lock(**kwargs):
        if threading.current_thread().name == "payment":
            withdrawal_holds_its_first_lock.wait(timeout=2)
        return real_application_lock(**kwargs)

    def program_lock(**kwargs):
        if threading.current_thread().name == "withdrawal":
            withdrawal_holds_its_first_lock.set()  # it holds the application row by now
        return real_program_lock(**kwargs)

    monkeypatch.setattr(funds.services, "application_lock", application_lock)
    monkeypatch.setattr(funds.services, "program_lock", program_lock)
    outcomes: dict[str, object] = {}

    def pay():
        try:
            funds.services.disbursement_record(
                actor=staff, application=application, amount=10_000_001, kind="advance", paid_on=MARCH_2
            )
            outcomes["payment"] = "paid"
        except Exception as error:  # inspected below
            outcomes["payment"] = error
        finally:
            connection.close()

    def withdraw():
        try:
            time.sleep(0.3)  # let the payment take its first lock
            application_transition(application=application, action="withdraw", actor=staff)
            outcomes["withdrawal"] = "withdrawn"
        except Exception as error:  # inspected below
            outcomes["withdrawal"] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=pay, name="payment"),
        threading.Thread(target=withdraw, name="withdrawal"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes["withdrawal"] == "withdrawn", outcomes
    payment = outcomes["payment"]
    assert payment == "paid" or getattr(payment, "code", None) == "not_payable", outcomes
    # Whichever ran first, nothing stays committed: what was not paid was released.
    balances = fund_balances(program_id=program.pk)
    for pot in Pot.values:
        b = balances[pot]
        assert b.committed == b.released + b.disbursed
        assert b.available == b.total - b.disbursed
