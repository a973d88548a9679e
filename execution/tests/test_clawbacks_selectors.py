"""The reads of clawbacks (execution/clawback_selectors.py) that the staff pages, the home and the
sponsor dashboard call: scope, filters, claims per pot and what is still due."""

import datetime

import pytest

from execution.clawback_selectors import (
    clawback_claims,
    clawback_list,
    clawback_totals_by_sponsor,
    clawbacks_of,
    overdue_count,
    recovery_due_by,
)
from execution.services.clawbacks import clawback_collect, clawback_open, clawback_uncollectable
from execution.tests.money_scenes import funded, other_agency_staff, pay
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAST = datetime.date(2020, 1, 1)
LATER = datetime.date(2026, 12, 31)


@pytest.fixture
def three(staff):
    """One paid project with three clawbacks: overdue and partly collected, open, uncollectable."""
    application = funded(staff)
    pay(staff, application, 20_000_000)

    def claw(government, sponsor, due_on):
        return clawback_open(
            actor=staff,
            application=application,
            reason="non_use",
            government=government,
            sponsor=sponsor,
            due_on=due_on,
        )

    overdue = claw(4_000_000, 2_000_000, PAST)
    clawback_collect(actor=staff, clawback=overdue, amount=3_000_000, collected_on=LATER)
    later = claw(1_000_000, 1_000_000, LATER)
    written_off = claw(500_000, 0, LATER)
    clawback_uncollectable(actor=staff, clawback=written_off, note="폐업")
    return application, overdue, later, written_off


def test_the_list_is_in_scope_and_filtered(staff, three, django_assert_num_queries):
    application, overdue, later, written_off = three
    with django_assert_num_queries(1):
        rows = list(clawback_list(user=staff))
        assert [row.application.company.name for row in rows]  # joined in, no query more
    assert rows == [overdue, later, written_off]
    assert list(clawback_list(user=staff, filters={"overdue": True})) == [overdue]
    assert list(clawback_list(user=staff, filters={"status": "uncollectable"})) == [written_off]
    assert list(clawback_list(user=staff, filters={"application": application.pk})) == rows
    assert list(clawback_list(user=UserFactory(role="ministry"))) == rows
    assert list(clawback_list(user=other_agency_staff())) == []
    assert list(clawback_list(user=application.owner)) == []
    assert overdue_count(user=staff) == 1
    assert list(clawbacks_of(application_id=application.pk)) == rows


def test_claims_count_open_and_collected_clawbacks_only(three):
    application = three[0]
    assert clawback_claims(application_id=application.pk) == {"government": 5_000_000, "sponsor": 3_000_000}


def test_recovery_due_is_what_open_clawbacks_still_owe(three):
    application = three[0]
    # the overdue one: 6,000,000 less 3,000,000 collected (2,000,000 + 1,000,000); the later one whole
    due = {"government": 2_000_000 + 1_000_000, "sponsor": 1_000_000 + 1_000_000}
    sponsor_id = application.program.sponsor_id
    assert clawback_totals_by_sponsor(sponsor_id=sponsor_id) == due
    by_program = recovery_due_by("application__program_id", application__program__sponsor_id=sponsor_id)
    assert by_program == {application.program_id: due}
    assert clawback_totals_by_sponsor(sponsor_id=sponsor_id + 1000) == {"government": 0, "sponsor": 0}
