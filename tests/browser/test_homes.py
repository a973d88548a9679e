"""Each role's home (`/`, SPEC §11) in a real browser at 1366 and 390 px: it loads, shows its
sections, logs no console error, and its own content does not widen the page (the header is the
KRDS foundation's, checked by its own test). Screenshots go to test-artifacts/screenshots/."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from tests.browser.conftest import login, shot
from tests.factories import (
    ApplicationFactory,
    EvaluatorAssignmentFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    UserFactory,
    fund_program,
)

pytestmark = [pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)
# Content wider than the viewport, outside a box that scrolls on its own (.table-scroll).
MAIN_OVERFLOW = """() => {
  const main = document.querySelector('main');
  const wide = [...main.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
    .map(e => e.tagName + '.' + e.className);
  return main.scrollWidth > main.clientWidth + 1 ? ['main scrolls sideways', ...wide] : wide;
}"""


def world() -> dict[str, tuple[str, list[str]]]:
    """One person of each role with something on its home: username → (screenshot name, section ids)."""
    staff = UserFactory(role=Role.STAFF)
    sponsor_user = UserFactory(sponsor_user=True)
    program = ProgramFactory(agency=staff.agency, sponsor=sponsor_user.sponsor)
    fund_program(program, sponsor=1_000_000_000, government=1_000_000_000)
    ApplicationFactory(program=program, submitted=True)
    applicant = UserFactory(applicant=True)
    ApplicationFactory(
        program=program, company=applicant.company, status=Application.Status.CHANGES_REQUESTED
    )
    evaluator = UserFactory(evaluator=True)
    EvaluatorAssignmentFactory(evaluator=evaluator, application__program=program)
    mentor = MentorFactory()
    today = timezone.localdate()
    MentoringAssignmentFactory(
        mentor=mentor,
        application__program=program,
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=50),
    )
    ministry = UserFactory(ministry=True)
    return {
        staff.username: (
            "home-staff",
            ["home-staff-queues", "home-payments", "home-mentoring", "home-reports"],
        ),
        applicant.username: ("home-applicant", ["home-my-applications"]),
        sponsor_user.username: ("home-sponsor", ["home-sponsor", "home-reports"]),
        evaluator.username: ("home-evaluator", ["home-evaluations"]),
        mentor.user.username: ("home-mentor", ["home-mentor"]),
        ministry.username: ("home-ministry", ["home-national", "home-national-funds", "home-reports"]),
    }


def test_every_role_home_at_both_widths(new_page):
    for username, (name, sections) in world().items():
        page = new_page()
        errors: list[str] = []
        page.on(
            "console",
            lambda message, errors=errors: errors.append(message.text) if message.type == "error" else None,
        )
        login(page, username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            for section in sections:
                expect(page.locator(f"#{section}")).to_be_visible()
            assert page.evaluate(MAIN_OVERFLOW) == [], f"{name} at {width}px: content wider than the page"
            shot(page, f"{name}-{width}")
        assert errors == [], f"{name}: console errors {errors}"
