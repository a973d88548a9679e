"""The home's 협약·점검 sections (projects/home.py): staff's queues after selection, scoped to their
agency, and an SME's agreement to sign, completion to submit and rework due; fixed queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from applicants.models import Application
from config.settings.base import PLUGINS
from projects.models import Agreement, AgreementChange, Inspection
from projects.tests.scenes import agreement_for, change_for, inspection_for
from tests.factories import AgencyFactory, ApplicationFactory, ProgramFactory, UserFactory

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
    """The section's stat cards: label → count."""
    found = re.findall(
        r'<span class="stat-label">([^<]*)</span>\s*<span class="stat-value num">(\d+)</span>', html
    )
    return {label: int(value) for label, value in found}


def waiting_in(program) -> dict[str, Application]:
    """One application waiting at each step of staff's work after selection."""
    to_draft = ApplicationFactory(program=program, selected=True, title="작성할 협약")
    drafted = ApplicationFactory(program=program, selected=True, title="작성중 협약")
    agreement_for(drafted, status=Agreement.Status.DRAFT)
    sent = ApplicationFactory(program=program, selected=True, title="서명 기다리는 협약")
    agreement_for(sent, status=Agreement.Status.SENT)  # waits on the SME, not on staff
    signed = ApplicationFactory(program=program, selected=True, title="체결할 협약")
    agreement_for(signed, status=Agreement.Status.SIGNED_BY_SME)
    building = ApplicationFactory(program=program, status=S.BUILDING, title="변경 신청 과제")
    agreement_for(building)
    change_for(building, status=AgreementChange.Status.PENDING)
    change_for(building, status=AgreementChange.Status.APPROVED)
    review = ApplicationFactory(program=program, status=S.COMPLETION_REVIEW, title="점검할 과제")
    agreement_for(review)
    resubmitted = ApplicationFactory(program=program, status=S.COMPLETION_REVIEW, title="보완 후 재제출")
    agreement_for(resubmitted)
    inspection_for(resubmitted, Inspection.Result.REWORK)
    passed = ApplicationFactory(program=program, status=S.COMPLETION_REVIEW, title="점검 마친 과제")
    agreement_for(passed)
    inspection_for(passed, Inspection.Result.PASS)
    return {"to_draft": to_draft, "signed": signed, "building": building, "review": review, "passed": passed}


def test_staff_see_their_agencys_agreement_work():
    staff = UserFactory(role=Role.STAFF)
    apps = waiting_in(ProgramFactory(agency=staff.agency))
    other = ProgramFactory(agency=AgencyFactory(name="중소기업중앙회"), title="다른 기관 사업")
    waiting_in(other)
    html = section(home(signed_in(staff))[0], "agreements")
    assert "협약·점검 할 일" in html
    assert counts(html) == {
        "협약서 작성": 2,  # none yet, or still a draft
        "기업 서명 완료 — 체결 대기": 1,
        "협약변경 검토": 1,
        "완료점검 대기": 2,  # never inspected, or resubmitted after a rework
    }
    detail = reverse("applicants:staff-detail", args=[apps["signed"].pk])
    assert f'{detail}#tab-agreement"' in html
    assert f"{reverse('applicants:staff-queue')}?status=completion_review" in html
    assert "점검 마친 과제" not in html and "서명 기다리는 협약" not in html
    assert other.title not in html


def test_another_agencys_staff_see_none_of_it():
    waiting_in(ProgramFactory(title="재단 사업"))
    staff_other = UserFactory(role=Role.STAFF, agency=AgencyFactory(name="중소기업중앙회"))
    html = section(home(signed_in(staff_other))[0], "agreements")
    assert set(counts(html).values()) == {0}
    assert "재단 사업" not in html and "체결할 협약" not in html


def test_the_staff_section_is_staffs_only():
    program = ProgramFactory()
    waiting_in(program)
    for user in (UserFactory(ministry=True), UserFactory(sponsor_user=True, sponsor=program.sponsor)):
        assert 'id="home-agreements"' not in home(signed_in(user))[0]


def test_the_staff_section_takes_three_queries_however_many_wait():
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory(agency=staff.agency)
    client = signed_in(staff)
    waiting_in(program)
    _, before = home(client)
    for _ in range(3):
        waiting_in(program)
    html, after = home(client)
    assert after == before, f"{before} queries with few rows, {after} with many"
    assert counts(section(html, "agreements"))["협약서 작성"] == 8


def test_the_staff_section_adds_three_queries_to_the_home():
    staff = UserFactory(role=Role.STAFF)
    client = signed_in(staff)
    home(client)
    _, with_section = home(client)
    sections = [name for name in PLUGINS["home_sections"] if name != "projects.home.staff_agreement_todo"]
    with override_settings(PLUGINS={**PLUGINS, "home_sections": sections}):
        _, without = home(client)
    assert with_section - without == 3


def sme_with(app_status, **agreement) -> tuple[UserFactory, Application]:
    """An SME's owner and its application in `app_status`, with an agreement of `agreement`'s fields."""
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, status=app_status, title="우리 과제")
    if agreement:
        agreement_for(application, **agreement)
    return owner, application


def test_an_sme_sees_the_agreement_to_sign():
    owner, application = sme_with(S.SELECTED, status=Agreement.Status.SENT)
    html = section(home(signed_in(owner))[0], "my-projects")
    assert "협약·사업 할 일" in html and "협약서 서명" in html
    assert reverse("applicants:my-detail", args=[application.pk]) in html


def test_an_sme_sees_the_completion_to_submit_by_the_agreements_end():
    owner, _ = sme_with(
        S.BUILDING, status=Agreement.Status.COUNTERSIGNED, ends_on=datetime.date(2026, 10, 31)
    )
    html = section(home(signed_in(owner))[0], "my-projects")
    assert "완료보고 제출" in html and 'datetime="2026-10-31"' in html and "협약 종료일" in html


def test_an_sme_sees_the_rework_due():
    owner, application = sme_with(S.BUILDING, status=Agreement.Status.COUNTERSIGNED)
    inspection_for(application, Inspection.Result.REWORK, rework_due=datetime.date(2026, 11, 15))
    html = section(home(signed_in(owner))[0], "my-projects")
    assert "완료점검 보완" in html and 'datetime="2026-11-15"' in html and "보완 기한" in html
    assert "완료보고 제출" not in html


def test_an_sme_with_nothing_owed_has_no_section_and_never_sees_another_smes():
    owner, _ = sme_with(S.SELECTED, status=Agreement.Status.SIGNED_BY_SME)  # waits on staff
    sme_with(S.BUILDING, status=Agreement.Status.COUNTERSIGNED)  # another company's
    assert 'id="home-my-projects"' not in home(signed_in(owner))[0]


def test_the_sme_section_takes_one_query_however_many_rows():
    owner, _ = sme_with(S.BUILDING, status=Agreement.Status.COUNTERSIGNED)
    client = signed_in(owner)
    _, before = home(client)
    for _ in range(3):
        application = ApplicationFactory(company=owner.company, selected=True)
        agreement_for(application, status=Agreement.Status.SENT)
    html, after = home(client)
    assert after == before
    assert html.count("협약서 서명") == 3
