"""The workflow of docs/domain.md §4 through its one service."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from applicants.workflow import TRANSITIONS
from config.errors import DomainError, InsufficientFunds, NotAllowed, TransitionNotAllowed
from funds.models import CostShare, LedgerEntry
from funds.selectors import fund_balances
from program.models import AuditEvent
from projects.services.inspections import inspection_record
from projects.tests.helpers import ready_for_inspection
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    ProgramFactory,
    UserFactory,
    countersigned_agreement,
    deposit_sme_share,
    fund_program,
    settle,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def staff():
    return UserFactory(role="staff", email="officer@agency.kr")


@pytest.fixture
def owner():
    return UserFactory(applicant=True, email="ceo@sme.kr")


def _application(owner, **kwargs):
    return ApplicationFactory(company=owner.company, documents=True, **kwargs)


def test_the_owner_submits_a_draft(owner, staff, django_capture_on_commit_callbacks, eager_tasks):
    application = _application(owner)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, action="submit", actor=owner)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.submitted_at is not None
    event = AuditEvent.objects.get(object_id=application.pk, action="application.submit")
    assert (event.actor, event.before, event.after) == (owner, {"status": "draft"}, {"status": "submitted"})
    assert sorted(address for m in mail.outbox for address in m.to) == ["ceo@sme.kr", "officer@agency.kr"]


def test_the_whole_happy_path(owner, staff):
    application = _application(owner, total_cost=100_000_001)
    fund_program(application.program, sponsor=10**9, government=10**9)
    steps = [
        ("submit", owner, S.SUBMITTED),
        ("start_screening", staff, S.SCREENING),
        ("start_evaluation", staff, S.EVALUATION),
        ("select", staff, S.SELECTED),
        ("sign_agreement", staff, S.AGREEMENT),
        ("start_build", staff, S.BUILDING),
        ("submit_completion", owner, S.COMPLETION_REVIEW),
        ("complete", staff, S.COMPLETED),
    ]
    for action, actor, expected in steps:
        if action == "sign_agreement":
            countersigned_agreement(application)  # its precondition (SPEC §16)
        if action == "start_build":
            deposit_sme_share(application, recorded_by=staff)  # its precondition (SPEC §18.2)
        if action == "submit_completion":  # the completion report and the KPI results first (SPEC §17)
            ready_for_inspection(application)
        if action == "complete":  # a passing inspection first (SPEC §17)
            inspection_record(actor=staff, application=application, **PASS)
            settle(application, staff)  # and a confirmed settlement (SPEC §18.3)
        application = application_transition(application=application, action=action, actor=actor)
        assert application.status == expected
    assert AuditEvent.objects.filter(object_id=application.pk, action__startswith="application.").count() == 8


PASS = {"installed": True, "operating": True, "data_collected": True, "audit_report": None}
PASS["kpis"] = {"productivity": True, "defect_rate": True, "lead_time": True}  # the factory's targets
PASS["result"] = "pass"


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_an_action_from_a_wrong_state_is_409_and_changes_nothing(action, owner, staff):
    transition = TRANSITIONS[action]
    wrong = next(s for s in S.values if s not in transition.sources)
    application = _application(owner, status=wrong)
    actor = staff if "staff" in transition.by else owner
    with pytest.raises(TransitionNotAllowed) as excinfo:
        application_transition(application=application, action=action, actor=actor, note="사유")
    assert excinfo.value.status_code == 409
    application.refresh_from_db()
    assert application.status == wrong
    assert not AuditEvent.objects.exists()


def test_staff_cannot_act_for_the_applicant(owner, staff):
    application = _application(owner)
    with pytest.raises(NotAllowed):
        application_transition(application=application, action="submit", actor=staff)


@pytest.mark.parametrize("role", ["evaluator", "sponsor", "mentor"])
def test_other_roles_cannot_decide(owner, role):
    application = _application(owner, status=S.SUBMITTED)
    actor = UserFactory(sponsor_user=True) if role == "sponsor" else UserFactory(role=role)
    with pytest.raises(NotAllowed):
        application_transition(application=application, action="start_screening", actor=actor)


def test_another_companys_applicant_cannot_submit(owner):
    application = _application(owner)
    stranger = UserFactory(applicant=True)
    with pytest.raises(NotAllowed):
        application_transition(application=application, action="submit", actor=stranger)
    application.refresh_from_db()
    assert application.status == S.DRAFT


@pytest.mark.parametrize("action,status", [("request_changes", S.SCREENING), ("reject", S.EVALUATION)])
def test_a_note_is_required(action, status, owner, staff):
    application = _application(owner, status=status)
    with pytest.raises(DomainError) as excinfo:
        application_transition(application=application, action=action, actor=staff, note="   ")
    assert excinfo.value.code == "note_required"
    application.refresh_from_db()
    assert application.status == status


def test_changes_requested_goes_back_to_the_owner_and_is_resubmitted(owner, staff):
    application = _application(owner, status=S.SCREENING)
    application = application_transition(
        application=application, action="request_changes", actor=staff, note="견적서를 첨부해 주세요."
    )
    assert application.status == S.CHANGES_REQUESTED
    assert AuditEvent.objects.get(action="application.request_changes").note == "견적서를 첨부해 주세요."
    application = application_transition(application=application, action="submit", actor=owner)
    assert application.status == S.SUBMITTED


def test_submit_only_while_the_program_is_open(owner):
    application = _application(owner)
    program = application.program
    program.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    program.opens_on = program.closes_on - datetime.timedelta(days=30)
    program.save()
    with pytest.raises(DomainError) as excinfo:
        application_transition(application=application, action="submit", actor=owner)
    assert excinfo.value.code == "program_closed"


def test_an_incomplete_draft_is_not_submitted(owner):
    application = _application(owner, total_cost=None, plan="")
    with pytest.raises(DomainError) as excinfo:
        application_transition(application=application, action="submit", actor=owner)
    assert excinfo.value.code == "incomplete"


def test_a_draft_without_its_required_documents_is_not_submitted(owner):
    application = ApplicationFactory(company=owner.company)
    AttachmentFactory(application=application, kind="quote")
    with pytest.raises(DomainError) as excinfo:
        application_transition(application=application, action="submit", actor=owner)
    assert excinfo.value.code == "documents_missing"
    assert excinfo.value.data == {
        "missing": ["business_registration", "financial_statements", "business_plan"]
    }
    assert "사업자등록증, 재무제표, 사업계획서" in str(excinfo.value.message)
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.submitted_at is None
    assert not AuditEvent.objects.filter(action="application.submit").exists()


def test_a_program_decides_which_documents_are_required(owner):
    program = ProgramFactory(required_documents=["business_plan"])
    application = ApplicationFactory(company=owner.company, program=program)
    with pytest.raises(DomainError) as excinfo:
        application_transition(application=application, action="submit", actor=owner)
    assert excinfo.value.data == {"missing": ["business_plan"]}
    AttachmentFactory(application=application, kind="business_plan")
    assert application_transition(application=application, action="submit", actor=owner).status == S.SUBMITTED
    free = ApplicationFactory(company=owner.company, program=ProgramFactory(required_documents=[]))
    assert application_transition(application=free, action="submit", actor=owner).status == S.SUBMITTED


def test_select_commits_both_shares(owner, staff):
    application = _application(owner, status=S.EVALUATION, total_cost=100_000_001)
    fund_program(application.program, sponsor=50_000_000, government=50_000_000)
    application_transition(application=application, action="select", actor=staff)
    balances = fund_balances(program_id=application.program_id)
    assert balances["government"].committed == 30_000_000
    assert balances["sponsor"].committed == 30_000_000
    assert balances["government"].available == 20_000_000
    assert CostShare.objects.get(application=application).sme == 40_000_001


def test_select_without_money_is_409_insufficient_funds_and_changes_nothing(owner, staff):
    application = _application(owner, status=S.EVALUATION, total_cost=100_000_001)
    fund_program(application.program, sponsor=50_000_000, government=29_999_999)
    with pytest.raises(InsufficientFunds) as excinfo:
        application_transition(application=application, action="select", actor=staff)
    assert (excinfo.value.status_code, excinfo.value.code) == (409, "insufficient_funds")
    application.refresh_from_db()
    assert application.status == S.EVALUATION
    assert not LedgerEntry.objects.exclude(kind="contribution").exists()
    assert not CostShare.objects.exists()
    assert not AuditEvent.objects.exists()


def test_withdrawing_after_selection_releases_the_commitment(owner, staff):
    application = _application(owner, status=S.EVALUATION, total_cost=100_000_000)
    fund_program(application.program, sponsor=10**8, government=10**8)
    application_transition(application=application, action="select", actor=staff)
    application_transition(application=application, action="withdraw", actor=owner)
    balances = fund_balances(program_id=application.program_id)
    assert balances["government"].released == 30_000_000
    assert balances["government"].available == balances["sponsor"].available == 10**8


@pytest.mark.parametrize("status", [S.COMPLETED, S.REJECTED, S.WITHDRAWN])
def test_an_ended_application_cannot_be_withdrawn(status, owner):
    with pytest.raises(TransitionNotAllowed):
        application_transition(application=_application(owner, status=status), action="withdraw", actor=owner)


def test_an_unknown_action_is_refused(owner):
    with pytest.raises(DomainError) as excinfo:
        application_transition(application=_application(owner), action="approve", actor=owner)
    assert excinfo.value.code == "unknown_action"
