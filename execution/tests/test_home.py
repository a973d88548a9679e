"""The home's sections of SPEC §18 (execution/home.py): staff's counts of spending to review,
settlements to confirm and clawbacks overdue; an SME's projects in building and clawbacks due."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applicants.models import Application
from execution.models import Clawback, Settlement
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ProgramFactory,
    SpendingLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home(client: Client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def section(html: str, name: str) -> str:
    match = re.search(rf'id="home-{name}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def counts(html: str) -> dict[str, int]:
    found = re.findall(
        r'<span class="stat-label">([^<]*)</span>\s*<span class="stat-value num">(\d+)</span>', html
    )
    return {label: int(value) for label, value in found}


def clawback(application, *, days: int) -> Clawback:
    return Clawback.objects.create(
        application=application,
        reason="collusion",
        government=1_000,
        sponsor=1_000,
        due_on=timezone.localdate() + datetime.timedelta(days=days),
    )


def waiting_in(program) -> None:
    """One of each: a flagged and a plain line pending, a project to settle, an overdue clawback."""
    building = ApplicationFactory(program=program, selected=True, status=S.BUILDING)
    SpendingLineFactory(application=building, flagged=True, credit_note=True, amount=-5)
    SpendingLineFactory(application=building)
    reviewing = ApplicationFactory(program=program, selected=True, status=S.COMPLETION_REVIEW)
    settled = ApplicationFactory(program=program, selected=True, status=S.COMPLETION_REVIEW)
    Settlement.objects.create(
        application=settled, agreed_total=1, approved=0, disallowed=0, eligible=0, government=0, sponsor=0,
        sme=0, paid_government=0, paid_sponsor=0, confirmed_by=UserFactory(), confirmed_at=timezone.now(),
    )  # fmt: skip
    clawback(reviewing, days=-1)
    clawback(reviewing, days=5)


def test_staff_see_their_agencys_counts_with_links():
    staff = UserFactory(role="staff")
    waiting_in(ProgramFactory(agency=staff.agency))
    waiting_in(ProgramFactory(agency=AgencyFactory(name="중소기업중앙회")))

    html = section(home(signed_in(staff))[0], "execution")

    assert counts(html) == {"집행 검토 대기": 2, "정산 확정 대기": 1, "환수 기한 경과": 1}
    assert "확인 필요 1건" in html
    assert reverse("execution:spending-queue") in html and reverse("execution:clawbacks") in html


def test_the_ministry_sees_every_agencys_counts():
    waiting_in(ProgramFactory())
    waiting_in(ProgramFactory(agency=AgencyFactory(name="중소기업중앙회")))
    html = section(home(signed_in(UserFactory(ministry=True)))[0], "execution")
    assert counts(html)["집행 검토 대기"] == 4


def test_the_staff_section_takes_the_same_queries_however_many_wait():
    staff = UserFactory(role="staff")
    program = ProgramFactory(agency=staff.agency)
    client = signed_in(staff)
    waiting_in(program)
    home(client)
    _, before = home(client)
    for _ in range(3):
        waiting_in(program)
    html, after = home(client)
    assert after == before
    assert counts(section(html, "execution"))["집행 검토 대기"] == 8


def test_an_sme_sees_its_register_and_its_clawback_due():
    owner = UserFactory(applicant=True)
    building = ApplicationFactory(company=owner.company, selected=True, status=S.BUILDING, title="구축 과제")
    ended = ApplicationFactory(company=owner.company, selected=True, status=S.TERMINATED, title="해지 과제")
    clawback(ended, days=-2)

    html = section(home(signed_in(owner))[0], "my-spending")

    assert reverse("execution:my-spending", args=[building.pk]) in html
    assert reverse("execution:my-spending", args=[ended.pk]) in html
    assert "환수금 납부" in html and "기한 경과" in html


def test_an_sme_with_nothing_to_do_has_no_section():
    owner = UserFactory(applicant=True)
    ApplicationFactory(company=owner.company, submitted=True)
    assert 'id="home-my-spending"' not in home(signed_in(owner))[0]


def test_other_roles_see_no_section():
    waiting_in(ProgramFactory())
    for user in (UserFactory(evaluator=True), UserFactory(sponsor_user=True)):
        html = home(signed_in(user))[0]
        assert 'id="home-execution"' not in html and 'id="home-my-spending"' not in html
