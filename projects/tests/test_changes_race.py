"""Approvals of cost changes at the same instant never double-commit (SPEC §16), on PostgreSQL with
real row locks: the same change approved by two staff at once is applied once; cost increases of
several projects racing for one pot commit only what the pot holds."""

import threading
import time

import pytest
from django.db import connection

import funds.services
from applicants.services import application_transition
from config.errors import Conflict, InsufficientFunds
from funds.models import LedgerEntry, Pot
from funds.selectors import application_balances, fund_balances
from projects.models import Agreement, AgreementChange
from projects.services.changes import change_approve
from tests.factories import ApplicationFactory, ProgramFactory, SupplierFactory, UserFactory, fund_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

K = LedgerEntry.Kind


@pytest.fixture
def slow_balance_read(monkeypatch):
    """Hold each approval between reading the pots and committing, to widen the race window."""
    real = funds.services.fund_balances

    def slowly(**kwargs):
        balances = real(**kwargs)
        time.sleep(0.1)
        return balances

    monkeypatch.setattr(funds.services, "fund_balances", slowly)


def agreed_project(program, staff, owner=None):
    """A project of `program` under a signed agreement, 30,000,000 committed from each pot, with a
    pending cost change to 150,000,000 (15,000,000 more from each pot)."""
    owner = owner or UserFactory(applicant=True)
    application = ApplicationFactory(
        evaluation=True, program=program, company=owner.company, total_cost=100_000_000
    )
    application = application_transition(application=application, action="select", actor=staff)
    Agreement.objects.create(
        application=application,
        status="countersigned",
        starts_on="2026-03-01",
        original_ends_on="2026-09-30",
        ends_on="2026-09-30",
        supplier=SupplierFactory(),
    )
    type(application).objects.filter(pk=application.pk).update(status="agreement")
    change = AgreementChange.objects.create(
        application=application,
        kind="cost",
        cause_on="2026-06-01",
        reason="단가 인상",
        new_total_cost=150_000_000,
        requested_by=owner,
    )
    return application, change


def approve_all_at_once(pairs) -> list[object]:
    """Each thread approves its (actor, change); all start together. The outcomes, in order."""
    barrier = threading.Barrier(len(pairs), timeout=60)
    outcomes: list[object] = [None] * len(pairs)

    def run(index, actor, change_id):
        try:
            change = AgreementChange.objects.get(pk=change_id)  # connect before the start
            barrier.wait()
            change_approve(actor=actor, change=change)
            outcomes[index] = "approved"
        except Exception as error:  # every outcome is inspected by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, actor, change.pk)) for i, (actor, change) in enumerate(pairs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an approval hung"
    return outcomes


def test_one_change_approved_twice_at_once_commits_once(slow_balance_read):
    program = ProgramFactory()
    fund_program(program, sponsor=500_000_000, government=500_000_000)
    staff, colleague = UserFactory(agency=program.agency), UserFactory(agency=program.agency)
    application, change = agreed_project(program, staff)

    outcomes = approve_all_at_once([(staff, change), (colleague, change)])

    assert outcomes.count("approved") == 1, outcomes
    refused = [o for o in outcomes if o != "approved"]
    assert type(refused[0]) is Conflict and refused[0].code == "change_decided"
    held = application_balances(application_id=application.pk)
    assert held[Pot.GOVERNMENT].committed_net == held[Pot.SPONSOR].committed_net == 45_000_000


def test_cost_increases_racing_for_one_pot_commit_only_what_it_holds(slow_balance_read):
    program = ProgramFactory()
    # Five projects at 30,000,000 each, and room for two more increases of 15,000,000 and a little.
    pot = 5 * 30_000_000 + 2 * 15_000_000 + 1_000_000
    fund_program(program, sponsor=pot, government=pot)
    staff = UserFactory(agency=program.agency)
    projects = [agreed_project(program, staff) for _ in range(5)]

    outcomes = approve_all_at_once([(staff, change) for _, change in projects])

    assert outcomes.count("approved") == 2, outcomes
    refused = [o for o in outcomes if o != "approved"]
    assert all(type(o) is InsufficientFunds for o in refused), refused
    balances = fund_balances(program_id=program.pk)
    for name in Pot.values:
        assert balances[name].available == 1_000_000
    assert AgreementChange.objects.filter(status="approved").count() == 2
    assert AgreementChange.objects.filter(status="pending").count() == 3
