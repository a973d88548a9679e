"""The money services of docs/domain.md §2 and §3.3: contributions, the government budget, disbursements,
withdrawal releases (the sponsor dashboard built from them: reports/tests/test_dashboard.py)."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from applicants.models import Application
from applicants.services import application_transition
from config.errors import Conflict, NotAllowed
from funds.models import Contribution, Disbursement, LedgerEntry, Pot
from funds.selectors import application_outstanding, fund_balances
from funds.services import contribution_record, disbursement_record, fund_budget_sync, fund_commit
from program.models import AuditEvent
from tests.factories import (
    ApplicationFactory,
    ProgramFactory,
    UserFactory,
    deposit_sme_share,
    fund_program,
)

pytestmark = pytest.mark.django_db
S = Application.Status
K = LedgerEntry.Kind
GOV, SPON = Pot.GOVERNMENT, Pot.SPONSOR
JAN_15 = datetime.date(2026, 1, 15)
MAR_2 = datetime.date(2026, 3, 2)


def counts() -> tuple[int, int, int, int]:
    """Everything a money service may write."""
    return (
        Contribution.objects.count(),
        LedgerEntry.objects.count(),
        Disbursement.objects.count(),
        AuditEvent.objects.count(),
    )


def contribute(staff, program, amount, kind="cash", **extra):
    return contribution_record(
        actor=staff, program=program, amount=amount, kind=kind, purpose="build", received_on=JAN_15, **extra
    )


def selected(staff, *, program=None, total_cost=100_000_001, fund=True, **fields) -> Application:
    """An application selected through the real workflow service (so its shares are committed)."""
    program = program or ProgramFactory()
    if fund:
        fund_program(program, sponsor=10**10, government=10**10)
    application = ApplicationFactory(program=program, total_cost=total_cost, evaluation=True, **fields)
    application = application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)
    return application


def set_status(application, status) -> Application:
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def application_sums(application) -> dict[str, dict[str, int]]:
    sums = {pot: dict.fromkeys(K.values, 0) for pot in Pot.values}
    for entry in LedgerEntry.objects.filter(application=application):
        sums[entry.pot][entry.kind] += entry.amount
    return sums


# --- contribution_record ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_actor",
    [
        lambda: UserFactory(sponsor_user=True),
        lambda: UserFactory(applicant=True),
        lambda: UserFactory(evaluator=True),
        lambda: UserFactory(mentor=True),
        lambda: UserFactory(role="staff", is_active=False),
        AnonymousUser,
    ],
    ids=["sponsor", "applicant", "evaluator", "mentor", "inactive-staff", "anonymous"],
)
def test_only_staff_record_a_contribution(make_actor):
    program = ProgramFactory()
    before = counts()
    with pytest.raises(NotAllowed):
        contribute(make_actor(), program, 100_000_000)
    assert counts() == before


def test_a_contribution_enters_the_sponsor_pot(staff):
    program = ProgramFactory()
    before = fund_balances(program_id=program.pk)

    contribution = contribute(staff, program, 500_000_000, note="1차 출연")

    assert (contribution.sponsor, contribution.program, contribution.recorded_by) == (
        program.sponsor,
        program,
        staff,
    )
    after = fund_balances(program_id=program.pk)
    assert after[SPON].total == before[SPON].total + 500_000_000
    assert after[SPON].available == before[SPON].available + 500_000_000
    assert after[GOV] == before[GOV]
    entry = LedgerEntry.objects.get()
    assert (entry.program, entry.pot, entry.kind, entry.amount, entry.contribution, entry.actor) == (
        program,
        SPON,
        K.CONTRIBUTION,
        500_000_000,
        contribution,
        staff,
    )
    event = AuditEvent.objects.get(action="ledger.contribution")
    assert (event.target, event.actor) == (entry, staff)
    assert event.after["amount"] == 500_000_000 and event.after["pot"] == SPON


def test_in_kind_of_exactly_20_percent_is_accepted(staff):
    program = ProgramFactory()
    contribute(staff, program, 80_000_000, kind="cash")
    contribute(staff, program, 20_000_000, kind="in_kind")
    assert fund_balances(program_id=program.pk)[SPON].total == 100_000_000
    assert LedgerEntry.objects.filter(kind=K.CONTRIBUTION, pot=SPON).count() == 2


def test_in_kind_just_past_20_percent_is_refused_in_korean_and_writes_nothing(staff):
    program = ProgramFactory()
    contribute(staff, program, 79_999_999, kind="cash")
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        # 20,000,001 / 100,000,000 = 20.000001 %
        contribute(staff, program, 20_000_001, kind="in_kind")
    errors = excinfo.value.message_dict
    assert list(errors) == ["kind"]
    assert "현물" in errors["kind"][0] and "20%" in errors["kind"][0]
    assert "19,999,999원" in errors["kind"][0]  # what could still be accepted
    assert counts() == before
    # ... and the amount the message names is indeed accepted.
    contribute(staff, program, 19_999_999, kind="in_kind")


def test_the_rule_counts_earlier_in_kind_contributions(staff):
    program = ProgramFactory()
    contribute(staff, program, 80_000_000, kind="cash")
    contribute(staff, program, 10_000_000, kind="in_kind")
    with pytest.raises(ValidationError):
        contribute(staff, program, 12_500_000, kind="in_kind")  # 22.5M of 102.5M: 21.95 %
    contribute(staff, program, 10_000_000, kind="in_kind")  # 20M of 100M: exactly 20 %
    assert Contribution.objects.filter(kind="in_kind").count() == 2


def test_in_kind_first_is_refused_because_it_would_be_100_percent(staff):
    program = ProgramFactory()
    with pytest.raises(ValidationError) as excinfo:
        contribute(staff, program, 1_000, kind="in_kind")
    assert "kind" in excinfo.value.message_dict
    assert counts() == (0, 0, 0, 0)


def test_the_rule_is_per_program(staff):
    program = ProgramFactory()
    other = ProgramFactory(sponsor=program.sponsor, title="다른 사업")
    contribute(staff, other, 1_000_000_000, kind="cash")
    with pytest.raises(ValidationError):
        contribute(staff, program, 1_000, kind="in_kind")


# --- fund_budget_sync ---------------------------------------------------------------------------


def test_the_government_pot_is_raised_to_the_budget_once(staff):
    program = ProgramFactory(gov_budget=3_000_000_000)

    entry = fund_budget_sync(program=program, actor=staff)

    assert (entry.pot, entry.kind, entry.amount, entry.application) == (
        GOV,
        K.CONTRIBUTION,
        3_000_000_000,
        None,
    )
    assert fund_balances(program_id=program.pk)[GOV].total == 3_000_000_000
    before = counts()
    assert fund_budget_sync(program=program, actor=staff) is None
    assert counts() == before


def test_a_higher_budget_appends_the_difference(staff):
    program = ProgramFactory(gov_budget=3_000_000_000)
    first = fund_budget_sync(program=program, actor=staff)
    program.gov_budget = 3_500_000_000
    program.save()

    entry = fund_budget_sync(program=program, actor=staff)

    assert entry.amount == 500_000_000
    assert list(LedgerEntry.objects.filter(pot=GOV).order_by("id").values_list("pk", "amount")) == [
        (first.pk, 3_000_000_000),
        (entry.pk, 500_000_000),
    ]
    assert fund_balances(program_id=program.pk)[GOV].total == 3_500_000_000
    assert AuditEvent.objects.filter(action="ledger.contribution").count() == 2


def test_a_budget_below_what_is_recorded_is_refused(staff):
    program = ProgramFactory(gov_budget=3_000_000_000)
    fund_budget_sync(program=program, actor=staff)
    program.gov_budget = 1_000_000_000
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        fund_budget_sync(program=program, actor=staff)
    assert list(excinfo.value.message_dict) == ["gov_budget"]
    assert "3,000,000,000" in excinfo.value.message_dict["gov_budget"][0]
    assert counts() == before
    assert fund_balances(program_id=program.pk)[GOV].total == 3_000_000_000


# --- disbursement_record ------------------------------------------------------------------------

PAYABLE = [S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED]
NOT_PAYABLE = [s for s in S.values if s not in PAYABLE]


@pytest.mark.parametrize("status", PAYABLE)
def test_a_funded_application_can_be_paid(staff, status):
    application = set_status(selected(staff), status)
    payment = disbursement_record(
        actor=staff, application=application, amount=1_000_000, kind="advance", paid_on=MAR_2
    )
    assert (payment.amount, payment.gov_part + payment.sponsor_part) == (1_000_000, 1_000_000)


@pytest.mark.parametrize("status", NOT_PAYABLE)
def test_no_payment_outside_the_funded_states(staff, status):
    program = ProgramFactory()
    fund_program(program, sponsor=10**10, government=10**10)
    application = ApplicationFactory(program=program, status=status, total_cost=100_000_001)
    fund_commit(application=application, actor=staff)  # money is committed: only the status stands in the way
    before = counts()
    with pytest.raises(Conflict) as excinfo:
        disbursement_record(actor=staff, application=application, amount=1_000, kind="advance", paid_on=MAR_2)
    assert (excinfo.value.status_code, excinfo.value.code) == (409, "not_payable")
    assert counts() == before


def test_a_withdrawn_application_cannot_be_paid(staff):
    application = selected(staff)
    application_transition(application=application, action="withdraw", actor=staff)
    with pytest.raises(Conflict) as excinfo:
        disbursement_record(actor=staff, application=application, amount=1_000, kind="advance", paid_on=MAR_2)
    assert excinfo.value.code == "not_payable"


@pytest.mark.parametrize("make_actor", [lambda: UserFactory(sponsor_user=True), AnonymousUser])
def test_only_staff_record_a_payment(staff, make_actor):
    application = selected(staff)
    before = counts()
    with pytest.raises(NotAllowed):
        disbursement_record(
            actor=make_actor(), application=application, amount=1_000, kind="advance", paid_on=MAR_2
        )
    assert counts() == before


def test_more_than_the_outstanding_commitment_is_refused_and_nothing_is_written(staff):
    application = selected(staff)  # 30,000,000 + 30,000,000 committed
    disbursement_record(
        actor=staff, application=application, amount=40_000_000, kind="advance", paid_on=MAR_2
    )
    before = counts()
    with pytest.raises(Conflict) as excinfo:
        disbursement_record(
            actor=staff, application=application, amount=20_000_001, kind="final", paid_on=MAR_2
        )
    assert (excinfo.value.status_code, excinfo.value.code) == (409, "exceeds_commitment")
    assert counts() == before
    last = disbursement_record(
        actor=staff, application=application, amount=20_000_000, kind="final", paid_on=MAR_2
    )
    assert last.amount == 20_000_000
    assert application_outstanding(application_id=application.pk) == {GOV: 0, SPON: 0}


@pytest.mark.parametrize("amount", [0, -1])
def test_a_payment_must_be_positive(staff, amount):
    application = selected(staff)
    with pytest.raises(ValidationError) as excinfo:
        disbursement_record(
            actor=staff, application=application, amount=amount, kind="advance", paid_on=MAR_2
        )
    assert "amount" in excinfo.value.message_dict


def test_an_even_split_payment_and_its_records(staff):
    application = selected(staff, total_cost=100_000_001)  # 30,000,000 / 30,000,000
    before_events = AuditEvent.objects.count()

    payment = disbursement_record(
        actor=staff, application=application, amount=10_000_001, kind="advance", paid_on=MAR_2
    )

    # floor(10,000,001 × 30,000,000 / 60,000,000) = 5,000,000; the sponsor pays the rest.
    assert (payment.gov_part, payment.sponsor_part) == (5_000_000, 5_000_001)
    assert (payment.kind, payment.paid_on, payment.recorded_by) == ("advance", MAR_2, staff)
    entries = LedgerEntry.objects.filter(disbursement=payment).order_by("pot")
    assert [(e.pot, e.kind, e.amount, e.application_id, e.actor) for e in entries] == [
        (GOV, K.DISBURSEMENT, 5_000_000, application.pk, staff),
        (SPON, K.DISBURSEMENT, 5_000_001, application.pk, staff),
    ]
    event = AuditEvent.objects.get(action="application.disbursement")
    assert event.target == application and event.actor == staff
    assert event.after["disbursement"] == payment.pk and event.after["amount"] == 10_000_001
    assert (event.after["government"], event.after["sponsor"]) == (5_000_000, 5_000_001)
    # two ledger events and the disbursement event
    assert AuditEvent.objects.count() == before_events + 3
    balances = fund_balances(program_id=application.program_id)
    assert (balances[GOV].disbursed, balances[SPON].disbursed) == (5_000_000, 5_000_001)


def test_an_uneven_split_payment(staff):
    program = ProgramFactory(capped_2022=True)
    application = selected(staff, program=program, total_cost=200_000_000, level="basic")
    committed = application_sums(application)
    assert (committed[GOV][K.COMMITMENT], committed[SPON][K.COMMITMENT]) == (42_000_000, 78_000_000)

    payment = disbursement_record(
        actor=staff, application=application, amount=10_000_001, kind="advance", paid_on=MAR_2
    )

    gov_part = 10_000_001 * 42_000_000 // 120_000_000
    assert gov_part == 3_500_000
    assert (payment.gov_part, payment.sponsor_part) == (3_500_000, 6_500_001)


def test_payments_adding_up_to_the_commitment_pay_each_pot_exactly(staff):
    program = ProgramFactory(capped_2022=True)
    application = selected(staff, program=program, total_cost=200_000_000, level="basic")
    for amount in (10_000_001, 33_333_333, 1, 76_666_665):
        disbursement_record(
            actor=staff, application=application, amount=amount, kind="advance", paid_on=MAR_2
        )
        sums = application_sums(application)
        for pot in Pot.values:
            assert sums[pot][K.DISBURSEMENT] <= sums[pot][K.COMMITMENT]
    sums = application_sums(application)
    assert (sums[GOV][K.DISBURSEMENT], sums[SPON][K.DISBURSEMENT]) == (42_000_000, 78_000_000)
    assert Disbursement.objects.filter(application=application).count() == 4


@st.composite
def commitments_and_payments(draw):
    amounts = st.one_of(st.integers(0, 12), st.integers(0, 10**9))
    gov = draw(amounts)
    sponsor = draw(amounts)
    assume(gov + sponsor >= 1)
    total = gov + sponsor
    cuts = draw(st.lists(st.integers(1, max(total - 1, 1)), max_size=6, unique=True)) if total > 1 else []
    points = [0, *sorted(set(cuts)), total]
    return gov, sponsor, [b - a for a, b in itertools.pairwise(points)]


@pytest.fixture
def bare_selected():
    """A selected application with no commitment yet: each example commits its own shares."""
    return ApplicationFactory(selected=True), UserFactory(role="staff")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=commitments_and_payments())
def test_payments_never_take_a_pot_past_its_commitment(bare_selected, case):
    application, staff = bare_selected
    gov, sponsor, payments = case
    with transaction.atomic():
        for pot, amount in ((GOV, gov), (SPON, sponsor)):
            if amount:
                LedgerEntry.objects.create(
                    program_id=application.program_id, pot=pot, kind=K.COMMITMENT, amount=amount,
                    application=application,
                )  # fmt: skip
        paid = {GOV: 0, SPON: 0}
        for amount in payments:
            outstanding = {GOV: gov - paid[GOV], SPON: sponsor - paid[SPON]}
            payment = disbursement_record(
                actor=staff, application=application, amount=amount, kind="advance", paid_on=MAR_2
            )
            assert payment.gov_part >= 0 and payment.sponsor_part >= 0
            assert payment.gov_part + payment.sponsor_part == amount
            pro_rata = amount * gov // (gov + sponsor)
            if pro_rata <= outstanding[GOV] and amount - pro_rata <= outstanding[SPON]:
                assert payment.gov_part == pro_rata  # the SPEC formula whenever it fits
            paid[GOV] += payment.gov_part
            paid[SPON] += payment.sponsor_part
            assert paid[GOV] <= gov and paid[SPON] <= sponsor
        assert paid == {GOV: gov, SPON: sponsor}
        sums = application_sums(application)
        assert (sums[GOV][K.DISBURSEMENT], sums[SPON][K.DISBURSEMENT]) == (gov, sponsor)
        assert application_outstanding(application_id=application.pk) == {GOV: 0, SPON: 0}
        with pytest.raises(Conflict):
            disbursement_record(actor=staff, application=application, amount=1, kind="final", paid_on=MAR_2)
        transaction.set_rollback(True)


# --- withdrawal releases ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.SELECTED, S.BUILDING])
def test_withdrawal_after_a_partial_payment_releases_only_the_unpaid_rest(staff, status):
    application = selected(staff, total_cost=100_000_001)  # 30,000,000 / 30,000,000
    disbursement_record(
        actor=staff, application=application, amount=10_000_001, kind="advance", paid_on=MAR_2
    )
    application = set_status(application, status)
    before = fund_balances(program_id=application.program_id)

    application_transition(application=application, action="withdraw", actor=staff)

    after = fund_balances(program_id=application.program_id)
    assert after[GOV].available - before[GOV].available == 25_000_000
    assert after[SPON].available - before[SPON].available == 24_999_999
    assert (after[GOV].released, after[SPON].released) == (25_000_000, 24_999_999)
    assert (after[GOV].disbursed, after[SPON].disbursed) == (5_000_000, 5_000_001)
    releases = LedgerEntry.objects.filter(application=application, kind=K.RELEASE)
    assert sorted((e.pot, e.amount) for e in releases) == [(GOV, 25_000_000), (SPON, 24_999_999)]
    assert application_outstanding(application_id=application.pk) == {GOV: 0, SPON: 0}
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN


def test_withdrawal_before_selection_moves_no_money(staff):
    program = ProgramFactory()
    fund_program(program, sponsor=10**9, government=10**9)
    application = ApplicationFactory(program=program, evaluation=True)
    application_transition(application=application, action="withdraw", actor=staff)
    assert not LedgerEntry.objects.filter(application=application).exists()


def test_a_contribution_of_nothing_is_refused_on_the_amount_field():
    staff = UserFactory(role="staff")
    with pytest.raises(ValidationError) as refused:
        contribution_record(
            actor=staff,
            program=ProgramFactory(),
            amount=0,
            kind="cash",
            purpose="build",
            received_on="2026-01-01",
        )
    assert refused.value.message_dict == {"amount": ["금액은 1원 이상이어야 합니다."]}
