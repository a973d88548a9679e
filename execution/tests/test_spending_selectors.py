"""The reads of spending and deposits (execution/selectors.py): running totals, sums, the queue."""

import datetime

import pytest

from execution.selectors import (
    SpendingQueueFilters,
    deposit_total,
    spending_list,
    spending_queue,
    spending_sums,
)
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    DepositFactory,
    ProgramFactory,
    SpendingLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def reviewed(status, **fields):
    return SpendingLineFactory(
        status=status, reviewed_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC), **fields
    )


def test_the_register_runs_a_total_of_what_is_not_disallowed():
    application = ApplicationFactory(selected=True)
    later = SpendingLineFactory(application=application, spent_on=datetime.date(2026, 5, 1), amount=30)
    first = SpendingLineFactory(application=application, spent_on=datetime.date(2026, 4, 1), amount=10)
    refused = reviewed("disallowed", application=application, spent_on=datetime.date(2026, 4, 2), amount=500)
    credit = SpendingLineFactory(application=application, spent_on=datetime.date(2026, 6, 1), amount=-5)
    SpendingLineFactory(amount=1_000)  # another application's

    lines = list(spending_list(application_id=application.pk))

    assert [line.pk for line in lines] == [first.pk, refused.pk, later.pk, credit.pk]
    assert [line.running_total for line in lines] == [10, 10, 40, 35]


def test_the_register_is_one_query(django_assert_num_queries):
    application = ApplicationFactory(selected=True)
    for _ in range(5):
        reviewed("approved", application=application, reviewed_by=UserFactory())

    with django_assert_num_queries(1):
        lines = list(spending_list(application_id=application.pk))
        assert all(line.reviewed_by.username for line in lines)


def test_the_sums_by_status_come_in_one_query(django_assert_num_queries):
    application = ApplicationFactory(selected=True)
    SpendingLineFactory(application=application, amount=7)
    SpendingLineFactory(application=application, amount=-2)
    reviewed("approved", application=application, amount=100)
    reviewed("disallowed", application=application, amount=40)
    SpendingLineFactory(amount=999)

    with django_assert_num_queries(1):
        sums = spending_sums(application_id=application.pk)

    assert (sums.approved, sums.disallowed, sums.pending, sums.counted) == (100, 40, 5, 105)


def test_no_lines_sum_to_zero():
    sums = spending_sums(application_id=ApplicationFactory(selected=True).pk)

    assert (sums.approved, sums.disallowed, sums.pending) == (0, 0, 0)


def test_the_deposits_total():
    application = ApplicationFactory(selected=True)
    DepositFactory(application=application, amount=3)
    DepositFactory(application=application, amount=4)
    DepositFactory(amount=100)

    assert deposit_total(application_id=application.pk) == 7
    assert deposit_total(application_id=ApplicationFactory(selected=True).pk) == 0


def test_the_queue_holds_pending_lines_of_the_agency_flagged_first_then_oldest(django_assert_num_queries):
    agency = AgencyFactory()
    staff = UserFactory(agency=agency)
    program = ProgramFactory(agency=agency)
    old = SpendingLineFactory(application__program=program)
    flagged = SpendingLineFactory(application__program=program, flagged=True, over_budget=True)
    new = SpendingLineFactory(application__program=program)
    reviewed("approved", application__program=program)
    SpendingLineFactory(application__program=ProgramFactory(agency=AgencyFactory(name="중소기업중앙회")))

    with django_assert_num_queries(1):
        rows = [
            (line.pk, line.application.company.name, line.application.program.title)
            for line in spending_queue(user=staff)
        ]

    assert [pk for pk, _, _ in rows] == [flagged.pk, old.pk, new.pk]


def test_the_ministry_sees_every_agency_and_others_see_no_queue():
    SpendingLineFactory()
    SpendingLineFactory(application__program=ProgramFactory(agency=AgencyFactory(name="중소기업중앙회")))

    assert spending_queue(user=UserFactory(role="ministry")).count() == 2
    assert not spending_queue(user=UserFactory(applicant=True)).exists()
    assert not spending_queue(user=UserFactory(sponsor_user=True)).exists()
    assert not spending_queue(user=UserFactory(role="evaluator")).exists()


def test_the_queue_filters():
    staff = UserFactory()
    program = ProgramFactory(agency=staff.agency)
    plain = SpendingLineFactory(application__program=program)
    flagged = SpendingLineFactory(application__program=program, flagged=True)
    elsewhere = SpendingLineFactory(application__program=ProgramFactory(agency=staff.agency))

    def pks(**filters):
        return {line.pk for line in spending_queue(user=staff, filters=SpendingQueueFilters(**filters))}

    assert pks(flagged=True) == {flagged.pk}
    assert pks(flagged=False) == {plain.pk, elsewhere.pk}
    assert pks(program_id=program.pk) == {plain.pk, flagged.pk}
    assert pks(application_id=elsewhere.application_id) == {elsewhere.pk}
