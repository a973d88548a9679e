"""program/permissions.py: staff see every program and sponsor; a sponsor user its own; others none."""

import pytest

from program.models import Program, Sponsor
from program.permissions import can_view_program_fund, can_view_sponsor, program_scope, sponsor_scope
from tests.factories import ProgramFactory, SponsorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own, other = SponsorFactory(), SponsorFactory()
    return {
        "own": own,
        "other": other,
        "open": ProgramFactory(sponsor=other),
        "draft": ProgramFactory(sponsor=own, status=Program.Status.DRAFT),
        "other_draft": ProgramFactory(sponsor=other, status=Program.Status.DRAFT),
        "staff": UserFactory(role="staff"),
        "sponsor": UserFactory(sponsor_user=True, sponsor=own),
        "applicant": UserFactory(applicant=True),
    }


def _programs(world, who) -> set[str]:
    seen = set(Program.objects.filter(program_scope(world[who])).values_list("pk", flat=True))
    return {key for key in ("open", "draft", "other_draft") if world[key].pk in seen}


def test_it_scopes_programs_by_role(world):
    assert _programs(world, "staff") == {"open", "draft", "other_draft"}
    assert _programs(world, "sponsor") == {"draft"}
    assert _programs(world, "applicant") == {"open"}


def test_it_scopes_sponsors_by_role(world):
    assert Sponsor.objects.filter(sponsor_scope(world["staff"])).count() == 2
    assert list(Sponsor.objects.filter(sponsor_scope(world["sponsor"]))) == [world["own"]]
    assert sponsor_scope(world["applicant"]) is None


def test_it_checks_whose_figures_a_sponsor_user_sees(world):
    own, other = world["own"].pk, world["other"].pk
    assert can_view_sponsor(world["staff"], other)
    assert can_view_sponsor(world["sponsor"], own)
    assert not can_view_sponsor(world["sponsor"], other)
    assert not can_view_sponsor(world["applicant"], own)
    assert can_view_program_fund(world["sponsor"], world["draft"])
    assert not can_view_program_fund(world["sponsor"], world["open"])
