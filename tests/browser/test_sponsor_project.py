"""A funded project as its sponsor sees it (`reports:sponsor-project`, issue 19 item 5), and the
staff's 협약·점검 home section, in a real browser: they load at both widths, pass axe, log no console
error and do not widen the page. Screenshots go to test-artifacts/screenshots/."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from projects.models import AgreementChange, Inspection
from projects.tests.scenes import END, agreement_for, change_for, inspection_for
from reports.tests.report_data import outcome_for
from tests.browser.conftest import assert_accessible, login, shot
from tests.browser.test_homes import MAIN_OVERFLOW, WIDTHS
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_the_sponsor_project_page_and_the_staff_section(new_page):
    staff = UserFactory(role=Role.STAFF)
    sponsor_user = UserFactory(sponsor_user=True)
    program = ProgramFactory(agency=staff.agency, sponsor=sponsor_user.sponsor)
    project = ApplicationFactory(
        program=program, status=Application.Status.COMPLETION_REVIEW, title="MES 구축"
    )
    extended = END + datetime.timedelta(days=61)
    agreement_for(project, ends_on=extended)
    change_for(project, new_ends_on=extended, previous={"ends_on": END.isoformat()})
    change_for(
        project,
        kind=AgreementChange.Kind.COST,
        new_total_cost=120_000_000,
        previous={"total_cost": 100_000_000},
    )
    inspection_for(project, Inspection.Result.REWORK, rework_due=datetime.date(2026, 11, 15))
    outcome_for(project, "productivity", "100", "130")
    outcome_for(project, "defect_rate", "5", "4")
    ApplicationFactory(program=program, selected=True)
    for username, url, name, heading in (
        (
            sponsor_user.username,
            reverse("reports:sponsor-project", args=[project.pk]),
            "sponsor-project",
            "MES 구축",
        ),
        (staff.username, "/", "home-staff-agreements", None),
    ):
        page = new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        login(page, username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            if heading:
                expect(page.get_by_role("heading", level=1)).to_have_text(heading)
                expect(page.get_by_text("미달")).to_be_visible()
            else:
                expect(page.locator("#home-agreements")).to_be_visible()
            assert page.evaluate(MAIN_OVERFLOW) == [], f"{name} at {width}px: content wider than the page"
            shot(page, f"{name}-{width}")
        assert errors == [], f"{name}: console errors {errors}"
        assert_accessible(page)
