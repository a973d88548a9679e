"""The running totals the database keeps per program, pot and kind (funds.PotTotal, kept by a
trigger on every ledger INSERT) always equal the ledger summed afresh, whatever wrote the ledger."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applicants.services import application_transition
from funds.models import LedgerEntry, Pot, PotTotal
from funds.selectors import fund_balances, ledger_totals_mismatches
from funds.services import contribution_record, disbursement_record
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, deposit_sme_share, fund_program

pytestmark = pytest.mark.django_db
K = LedgerEntry.Kind


def test_every_money_service_keeps_the_totals_equal_to_the_ledger():
    staff = UserFactory(role="staff")
    program = ProgramFactory()
    fund_program(program, sponsor=10**10, government=10**10)
    contribution_record(
        actor=staff, program=program, amount=300_000_000, kind="cash", purpose="build",
        received_on=datetime.date(2026, 1, 15),
    )  # fmt: skip
    paid = ApplicationFactory(program=program, total_cost=200_000_000, evaluation=True)
    paid = application_transition(application=paid, action="select", actor=staff)
    deposit_sme_share(paid, recorded_by=staff)  # payments wait for it (SPEC §18.2)
    disbursement_record(
        actor=staff, application=paid, amount=50_000_000, kind="advance", paid_on=datetime.date(2026, 3, 2)
    )
    dropped = ApplicationFactory(program=program, total_cost=100_000_000, evaluation=True)
    dropped = application_transition(application=dropped, action="select", actor=staff)
    application_transition(application=dropped, action="withdraw", actor=staff)

    assert ledger_totals_mismatches() == []
    kinds = set(PotTotal.objects.filter(program=program).values_list("kind", flat=True))
    assert kinds == {K.CONTRIBUTION, K.COMMITMENT, K.RELEASE, K.DISBURSEMENT}
    entries = sum(PotTotal.objects.filter(program=program).values_list("entries", flat=True))
    assert entries == LedgerEntry.objects.filter(program=program).count()
    balances = fund_balances(program_id=program.pk)
    sponsor = LedgerEntry.objects.filter(program=program, pot=Pot.SPONSOR)
    assert balances[Pot.SPONSOR].total == sum(
        sponsor.filter(kind=K.CONTRIBUTION).values_list("amount", flat=True)
    )


entries = st.lists(
    st.tuples(st.sampled_from(Pot.values), st.sampled_from(K.values), st.integers(1, 10**12), st.booleans()),
    min_size=1,
    max_size=30,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=entries)
def test_any_ledger_written_any_way_has_matching_totals(rows):
    """Single inserts and bulk inserts alike (the trigger is per row), over two programs."""
    application = ApplicationFactory()
    other = ProgramFactory()
    one_by_one, in_bulk = [], []
    for pot, kind, amount, bulk in rows:
        program_id = application.program_id if bulk else other.pk
        fields = {"program_id": program_id, "pot": pot, "kind": kind, "amount": amount}
        if kind != K.CONTRIBUTION:
            fields["application"] = application
        (in_bulk if bulk else one_by_one).append(LedgerEntry(**fields))
    for entry in one_by_one:
        entry.save()
    LedgerEntry.objects.bulk_create(in_bulk)
    for program_id in (application.program_id, other.pk):
        assert ledger_totals_mismatches(program_id=program_id) == []
        balances = fund_balances(program_id=program_id)
        for pot in Pot.values:
            ledger = LedgerEntry.objects.filter(program_id=program_id, pot=pot)
            expected = {
                kind: sum(ledger.filter(kind=kind).values_list("amount", flat=True)) for kind in K.values
            }
            got = balances[pot]
            assert (got.total, got.committed, got.released, got.disbursed) == (
                expected[K.CONTRIBUTION],
                expected[K.COMMITMENT],
                expected[K.RELEASE],
                expected[K.DISBURSEMENT],
            )


def test_a_program_balance_is_one_small_query_however_long_its_ledger():
    program = ProgramFactory()
    LedgerEntry.objects.bulk_create(
        LedgerEntry(program=program, pot=Pot.SPONSOR, kind=K.CONTRIBUTION, amount=1_000) for _ in range(500)
    )
    with CaptureQueriesContext(connection) as queries:
        balances = fund_balances(program_id=program.pk)
    assert len(queries) == 1 and "funds_ledgerentry" not in queries[0]["sql"]
    assert balances[Pot.SPONSOR].total == 500_000
    assert PotTotal.objects.get(program=program, pot=Pot.SPONSOR, kind=K.CONTRIBUTION).entries == 500


@pytest.mark.postgres
def test_on_postgresql_the_ledger_still_refuses_a_delete_and_the_totals_stand():
    from django.db import DatabaseError, transaction

    program = ProgramFactory()
    fund_program(program, sponsor=5_000)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(program=program).delete()
    assert fund_balances(program_id=program.pk)[Pot.SPONSOR].total == 5_000
