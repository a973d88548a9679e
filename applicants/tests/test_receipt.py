"""The printed documents: the 접수번호 and the 접수증 (docs/domain.md §4), a submitted application's
receipt for its owner, and the 평가표 on the evaluator's page (tests/browser/test_print.py prints them)."""

import datetime
import re

import pytest
from django.utils import timezone

from applicants.models import Application
from program.cost_share import split_cost
from tests.factories import (
    DECLARATIONS_FORM,
    AgencyFactory,
    ApplicationFactory,
    AttachmentFactory,
    CompanyFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def owner():
    return UserFactory(
        applicant=True,
        company=CompanyFactory(name="한빛정밀", representative="김한빛", business_number="3148629574"),
    )


@pytest.fixture
def submitted(owner):
    program = ProgramFactory(
        title="2026 상생형 스마트공장 구축지원사업",
        year=2026,
        sponsor=SponsorFactory(name="LS ELECTRIC"),
        agency=AgencyFactory(name="대·중소기업·농어업협력재단"),
    )
    return ApplicationFactory(
        submitted=True,
        program=program,
        company=owner.company,
        title="MES 기반 품질 추적 시스템 구축",
        total_cost=150_000_000,
        submitted_at=datetime.datetime(2026, 3, 9, 14, 5, tzinfo=datetime.UTC),
    )


def test_the_number_is_program_year_program_and_application_zero_padded(submitted):
    number = submitted.receipt_number
    assert number == f"2026-{submitted.program_id:04d}-{submitted.pk:06d}"
    assert re.fullmatch(r"2026-\d{4,}-\d{6,}", number)


def test_a_draft_has_no_number():
    assert ApplicationFactory().receipt_number == ""


def test_the_number_stays_the_same_through_changes_and_resubmission(submitted):
    before = submitted.receipt_number
    submitted.status = S.CHANGES_REQUESTED
    submitted.submitted_at = timezone.now() + datetime.timedelta(days=400)  # resubmitted next year
    submitted.save()
    assert Application.objects.get(pk=submitted.pk).receipt_number == before


def test_the_receipt_shows_what_was_received(client, owner, submitted):
    AttachmentFactory(application=submitted, kind="business_plan", original_name="사업계획서.pdf", size=2048)
    AttachmentFactory(application=submitted, kind="quote", original_name="견적서.pdf")
    client.force_login(owner)
    response = client.get(f"/my/applications/{submitted.pk}/receipt/")
    assert response.status_code == 200
    page = response.content.decode()
    split = split_cost(150_000_000, "basic", submitted.program.cost_share_policy())
    for text in (
        "접수증",
        submitted.receipt_number,
        "2026 상생형 스마트공장 구축지원사업 (2026)",
        "대·중소기업·농어업협력재단",
        "LS ELECTRIC",
        "한빛정밀",
        "314-86-29574",
        "김한빛",
        "MES 기반 품질 추적 시스템 구축",
        "150,000,000원",
        f"{split.government:,}원",
        f"{split.sponsor:,}원",
        f"{split.sme:,}원",
        "사업계획서.pdf",
        "견적서.pdf",
        "위와 같이 접수되었음을 확인합니다.",
        'datetime="2026-03-09',
        "css/print.css",
        "js/print.js",
    ):
        assert text in page, text


def test_the_split_is_the_one_computed_at_selection_once_there_is_one(client, owner, submitted):
    from funds.services import cost_share_compute

    submitted.status = S.SELECTED
    submitted.save()
    share = cost_share_compute(application=submitted)
    client.force_login(owner)
    page = client.get(f"/my/applications/{submitted.pk}/receipt/").content.decode()
    assert f"{share.government:,}원" in page


def test_a_draft_has_no_receipt(client, owner):
    draft = ApplicationFactory(company=owner.company)
    client.force_login(owner)
    assert client.get(f"/my/applications/{draft.pk}/receipt/").status_code == 404


@pytest.mark.parametrize("role", ["applicant", "staff", "evaluator", "mentor", "sponsor", "ministry"])
def test_anyone_but_the_owner_gets_404(client, submitted, role):
    client.force_login(user_with_role(role))
    assert client.get(f"/my/applications/{submitted.pk}/receipt/").status_code == 404


def test_the_application_page_and_home_link_the_receipt(client, owner, submitted):
    client.force_login(owner)
    url = f"/my/applications/{submitted.pk}/receipt/"
    detail = client.get(f"/my/applications/{submitted.pk}/").content.decode()
    assert submitted.receipt_number in detail and url in detail
    home = client.get("/").content.decode()
    assert submitted.receipt_number in home and url in home


def test_a_draft_page_offers_no_receipt(client, owner):
    draft = ApplicationFactory(company=owner.company)
    client.force_login(owner)
    assert "/receipt/" not in client.get(f"/my/applications/{draft.pk}/").content.decode()


def test_submitting_tells_the_number(client, owner):
    program = ProgramFactory(required_documents=[])
    draft = ApplicationFactory(company=owner.company, program=program)
    client.force_login(owner)
    response = client.post(f"/apply/{draft.pk}/review/", DECLARATIONS_FORM, follow=True)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert f"접수번호는 {draft.receipt_number}입니다" in response.content.decode()


def test_the_receipt_runs_a_constant_number_of_queries(client, django_assert_num_queries, owner, submitted):
    url = f"/my/applications/{submitted.pk}/receipt/"
    client.force_login(owner)
    AttachmentFactory(application=submitted)
    client.get(url)  # warm the session and the site's caches
    # session, user, the application (its program, sponsor, company and split joined), its documents,
    # evaluations and committee (prefetched by the detail selector), the program's agency, and before
    # selection (no stored split) whether the company repeats a level (SPEC §15.3)
    with django_assert_num_queries(9):
        client.get(url)
    for kind in ("quote", "financial_statements", "business_registration"):
        AttachmentFactory(application=submitted, kind=kind)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["attachments"]) == 4


def _sheet(page: str) -> str:
    return page[page.index('class="print-only eval-sheet"') :]


def test_the_evaluation_sheet_shows_the_saved_scores_as_text(client):
    evaluator = UserFactory(evaluator=True, first_name="김평가")
    application = ApplicationFactory(evaluation=True)
    EvaluatorAssignmentFactory(application=application, evaluator=evaluator)
    EvaluationFactory(
        application=application,
        evaluator=evaluator,
        scores={"plan": 27, "capability": 21, "impact": 26, "partnership": 11},
        bonus=3,
        total=88,
        comment="설비 데이터 수집 계획이 구체적임",
    )
    client.force_login(evaluator)
    sheet = _sheet(client.get(f"/evaluations/{application.pk}/").content.decode())
    assert "<input" not in sheet and "<textarea" not in sheet and "score-box" not in sheet
    for text in (
        "평가표",
        application.receipt_number,
        "김평가",
        "(서명)",
        "설비 데이터 수집 계획이 구체적임",
    ):
        assert text in sheet, text
    cells = re.findall(r'<td class="num">(?:<strong>)?(\d+)', sheet)
    # 배점 and 점수 of each item, then the bonus's (its 배점 "0–12") and the total
    assert cells == ["30", "27", "25", "21", "30", "26", "15", "11", "0", "3", "88"]


def test_an_unscored_evaluation_sheet_has_empty_boxes(client):
    evaluator = UserFactory(evaluator=True)
    application = ApplicationFactory(evaluation=True)
    EvaluatorAssignmentFactory(application=application, evaluator=evaluator)
    client.force_login(evaluator)
    sheet = _sheet(client.get(f"/evaluations/{application.pk}/").content.decode())
    assert sheet.count('class="score-box"') == 6  # four items, the bonus, the total


def test_a_conflicted_evaluation_sheet_says_so(client):
    evaluator = UserFactory(evaluator=True)
    application = ApplicationFactory(evaluation=True)
    EvaluatorAssignmentFactory(application=application, evaluator=evaluator)
    EvaluationFactory(
        application=application, evaluator=evaluator, conflict_of_interest=True, scores={}, total=None
    )
    client.force_login(evaluator)
    sheet = _sheet(client.get(f"/evaluations/{application.pk}/").content.decode())
    assert "이해충돌을 신고하여" in sheet and "rubric-table" not in sheet
