"""The completion inspection (SPEC §17): its three results, what each does, and who may record one."""

import datetime

import pytest
from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from config.errors import Conflict, DomainError, NotAllowed
from execution.models import Settlement
from funds.models import LedgerEntry
from funds.selectors import application_outstanding
from program.models import AuditEvent, Notification
from projects.models import Inspection
from projects.services.inspections import inspection_record
from projects.tests.helpers import funded_project, owner_of, passing, ready_for_inspection
from tests.factories import AgencyFactory, AttachmentFactory, UserFactory, settle

pytestmark = pytest.mark.django_db
S = Application.Status
today = timezone.localdate


@pytest.fixture
def project(staff):
    """A project in 완료점검 whose owner asked for it through the workflow."""
    application = funded_project(staff)
    ready_for_inspection(application)
    owner = owner_of(application)
    return application_transition(application=application, action="submit_completion", actor=owner)


def inspect(staff, application, **overrides):
    return inspection_record(actor=staff, application=application, **passing(**overrides))


def complete(staff, application):
    if not Settlement.objects.filter(application=application).exists():
        settle(application, staff)  # complete needs a confirmed settlement too (SPEC §18.3)
    return application_transition(application=application, action="complete", actor=staff)


def test_a_pass_lets_staff_complete(staff, project):
    inspection = inspect(staff, project)
    assert inspection.result == "pass" and inspection.inspected_by == staff
    event = AuditEvent.objects.get(action="inspection.record")
    assert event.after["result"] == "pass" and event.after["inspection"] == inspection.pk
    assert event.after["kpis"] == {"defect_rate": True, "lead_time": False, "productivity": True}
    project.refresh_from_db()
    assert project.status == S.COMPLETION_REVIEW
    assert complete(staff, project).status == S.COMPLETED


def test_the_sme_is_told_of_a_pass(staff, project):
    owner = project.company.members.get()
    inspect(staff, project)
    assert Notification.objects.filter(user=owner, title__contains="완료점검 적합").exists()


def test_without_an_inspection_complete_answers_409(staff, project):
    with pytest.raises(Conflict) as info:
        complete(staff, project)
    assert info.value.code == "inspection_required"
    project.refresh_from_db()
    assert project.status == S.COMPLETION_REVIEW


def test_a_rework_sends_the_project_back_with_its_due_date(staff, project):
    due = today() + datetime.timedelta(days=30)
    inspect(staff, project, result="rework", note="데이터 수집 미흡", data_collected=False, rework_due=due)
    project.refresh_from_db()
    assert project.status == S.BUILDING and project.changes_due_on == due
    event = AuditEvent.objects.get(action="application.request_rework")
    assert event.after == {"status": "building", "changes_due_on": due.isoformat()}
    assert event.note == "데이터 수집 미흡"


def test_after_a_rework_the_older_pass_does_not_count(staff, project):
    inspect(staff, project)
    due = today() + datetime.timedelta(days=10)
    application_transition(
        application=project, action="request_rework", actor=staff, note="재확인", due_on=due
    )
    owner = project.company.members.get()
    project = application_transition(application=project, action="submit_completion", actor=owner)
    assert project.changes_due_on is None  # asking again clears the due date
    with pytest.raises(Conflict) as info:
        complete(staff, project)
    assert info.value.code == "inspection_required"
    inspect(staff, project)
    assert complete(staff, project).status == S.COMPLETED


def test_after_a_rework_inspection_the_newest_must_pass(staff, project):
    due = today() + datetime.timedelta(days=10)
    inspect(staff, project, result="rework", note="보완", rework_due=due)
    owner = project.company.members.get()
    project = application_transition(application=project, action="submit_completion", actor=owner)
    with pytest.raises(Conflict):
        complete(staff, project)


def test_a_fail_terminates_and_releases_what_is_unpaid(staff, project):
    assert sum(application_outstanding(application_id=project.pk).values()) > 0
    inspect(staff, project, result="fail", note="설비 미설치", installed=False)
    project.refresh_from_db()
    assert project.status == S.TERMINATED
    assert application_outstanding(application_id=project.pk) == {"sponsor": 0, "government": 0}
    assert LedgerEntry.objects.filter(application=project, kind="release").count() == 2
    assert AuditEvent.objects.filter(action="application.terminate", note="설비 미설치").exists()


@pytest.mark.parametrize("status", [S.AGREEMENT, S.BUILDING])
def test_terminate_releases_what_is_unpaid(staff, status):
    application = funded_project(staff, status=status)
    application_transition(application=application, action="terminate", actor=staff, note="협약 위반")
    assert application_outstanding(application_id=application.pk) == {"sponsor": 0, "government": 0}


def test_terminate_needs_a_note(staff):
    application = funded_project(staff)
    with pytest.raises(DomainError) as info:
        application_transition(application=application, action="terminate", actor=staff, note=" ")
    assert info.value.code == "note_required"


def test_request_rework_needs_a_due_date(staff, project):
    with pytest.raises(DomainError) as info:
        application_transition(application=project, action="request_rework", actor=staff, note="보완")
    assert info.value.code == "due_on_required"
    project.refresh_from_db()
    assert project.status == S.COMPLETION_REVIEW


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"installed": False}, "checks_incomplete"),
        ({"operating": False}, "checks_incomplete"),
        ({"data_collected": False}, "checks_incomplete"),
        ({"kpis": {"productivity": True, "defect_rate": True}}, "kpis_invalid"),
        (
            {"kpis": {"productivity": True, "defect_rate": True, "lead_time": True, "revenue": True}},
            "kpis_invalid",
        ),
        ({"kpis": {"productivity": True, "defect_rate": True, "lead_time": "yes"}}, "kpis_invalid"),
        ({"result": "maybe"}, "result_invalid"),
        ({"result": "rework", "note": "", "rework_due": None}, "note_required"),
        ({"result": "fail", "note": ""}, "note_required"),
        ({"result": "rework", "note": "보완"}, "due_on_required"),
        ({"result": "rework", "note": "보완", "rework_due": "today"}, "due_on_invalid"),
        ({"result": "rework", "note": "보완", "rework_due": 61}, "due_on_invalid"),
    ],
)
def test_a_refused_inspection_changes_nothing(staff, project, overrides, code):
    if overrides.get("rework_due") == "today":
        overrides["rework_due"] = today()
    elif isinstance(overrides.get("rework_due"), int):
        overrides["rework_due"] = today() + datetime.timedelta(days=overrides["rework_due"])
    with pytest.raises(DomainError) as info:
        inspect(staff, project, **overrides)
    assert info.value.code == code and info.value.status_code == 400
    assert not Inspection.objects.exists()
    assert not AuditEvent.objects.filter(action="inspection.record").exists()
    project.refresh_from_db()
    assert project.status == S.COMPLETION_REVIEW


def test_the_rework_due_date_may_be_sixty_days_on(staff, project):
    due = today() + datetime.timedelta(days=60)
    assert inspect(staff, project, result="rework", note="보완", rework_due=due).rework_due == due


def test_the_audit_report_is_one_of_the_applications_documents(staff, project):
    other = AttachmentFactory(kind="business_plan")
    with pytest.raises(DomainError) as info:
        inspect(staff, project, audit_report=other)
    assert info.value.code == "audit_report_invalid"
    own = AttachmentFactory(application=project, kind="business_plan")
    assert inspect(staff, project, audit_report=own).audit_report == own


@pytest.mark.parametrize("status", [S.BUILDING, S.AGREEMENT, S.COMPLETED])
def test_outside_completion_review_it_answers_409(staff, status):
    application = funded_project(staff, status=status)
    with pytest.raises(Conflict) as info:
        inspect(staff, application)
    assert info.value.code == "not_in_completion_review"


def test_only_staff_record_an_inspection(project):
    owner = project.company.members.get()
    for actor in (owner, UserFactory(ministry=True)):
        with pytest.raises(NotAllowed):
            inspect(actor, project)
    assert not Inspection.objects.exists()


def test_staff_of_another_agency_get_404(project):
    from django.http import Http404

    with pytest.raises(Http404):
        inspect(UserFactory(role="staff", agency=AgencyFactory(name="다른 기관")), project)
