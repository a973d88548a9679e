"""reports/permissions.py: staff ask for any report; a sponsor user only for its own sponsor's."""

import pytest

from reports.permissions import can_request_report
from tests.factories import ProgramFactory, SponsorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_lets_a_sponsor_ask_only_about_its_own():
    own, other = SponsorFactory(), SponsorFactory()
    sponsor_user = UserFactory(sponsor_user=True, sponsor=own)

    assert can_request_report(sponsor_user)
    assert can_request_report(sponsor_user, program=ProgramFactory(sponsor=own), sponsor=own)
    assert not can_request_report(sponsor_user, sponsor=other)
    assert not can_request_report(sponsor_user, program=ProgramFactory(sponsor=other))


def test_it_lets_staff_ask_about_anyone_and_others_about_nothing():
    other = SponsorFactory()

    assert can_request_report(UserFactory(role="staff"), sponsor=other)
    assert not can_request_report(UserFactory(applicant=True))
    assert not can_request_report(UserFactory(role="mentor"))
