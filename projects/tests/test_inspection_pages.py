"""The pages of completion and the inspection (SPEC §17): the staff panel and its form, the SME's
completion page (checklist, report upload, the request, the results), and the API."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from applicants.models import Application, Attachment
from applicants.services import application_transition
from projects.models import Inspection
from projects.services.inspections import inspection_record
from projects.tests.helpers import funded_project, owner_of, passing, ready_for_inspection
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def project(staff):
    application = funded_project(staff)
    ready_for_inspection(application)
    owner = owner_of(application)
    return application_transition(application=application, action="submit_completion", actor=owner)


def staff_page(client, staff, application) -> str:
    client.force_login(staff)
    response = client.get(reverse("applicants:staff-detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def form_data(**overrides):
    data = {
        "installed": "on",
        "operating": "on",
        "data_collected": "on",
        "kpi_productivity": "on",
        "kpi_defect_rate": "on",
        "result": "pass",
        "note": "",
        "rework_due": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- the staff panel -----------------------------------------------------------------------------------


def test_in_completion_review_the_panel_shows_the_targets_and_the_form(client, staff, project):
    page = staff_page(client, staff, project)
    assert 'id="panel-inspection"' in page
    assert "생산성(시간당 생산량): 도입 전 100 → 목표 120 · 결과 125<" in page
    assert 'name="kpi_lead_time"' in page and 'name="rework_due"' in page
    assert reverse("projects:staff-inspection", args=[project.pk]) in page
    assert 'data-confirm-title="완료점검 결과를 기록할까요?"' in page


def test_the_ministry_reads_the_panel_without_the_form(client, staff, project):
    inspection_record(actor=staff, application=project, **passing())
    page = staff_page(client, UserFactory(ministry=True), project)
    assert 'id="panel-inspection"' in page and "점검 이력" in page
    assert 'name="kpi_lead_time"' not in page


def test_before_building_there_is_no_panel(client, staff):
    application = funded_project(staff, status=S.AGREEMENT)
    assert 'id="panel-inspection"' not in staff_page(client, staff, application)


def test_a_pass_from_the_form_is_recorded(client, staff, project):
    client.force_login(staff)
    response = client.post(reverse("projects:staff-inspection", args=[project.pk]), form_data())
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.result == "pass"
    assert inspection.kpis == {"defect_rate": True, "lead_time": False, "productivity": True}


def test_a_rework_from_the_form_sends_the_project_back(client, staff, project):
    client.force_login(staff)
    due = timezone.localdate() + datetime.timedelta(days=20)
    data = form_data(
        result="rework", note="데이터 연동 보완", rework_due=due.isoformat(), data_collected=None
    )
    response = client.post(reverse("projects:staff-inspection", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.BUILDING and project.changes_due_on == due


def test_a_refused_inspection_is_answered_at_its_field(client, staff, project):
    client.force_login(staff)
    data = form_data(result="rework", note="보완")
    response = client.post(reverse("projects:staff-inspection", args=[project.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_rework_due-error"' in page and "보완 기한을 입력해 주세요." in page
    assert not Inspection.objects.exists()


def test_a_refused_inspection_answers_htmx_with_the_panel_alone(client, staff, project):
    client.force_login(staff)
    response = client.post(
        reverse("projects:staff-inspection", args=[project.pk]),
        form_data(installed=None),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert page.startswith('<div id="panel-inspection"') and "<html" not in page
    assert "설치·가동·데이터 수집이 모두 확인되어야" in page


def test_the_staff_page_takes_the_same_queries_however_many_inspections(client, staff, project):
    inspection_record(actor=staff, application=project, **passing())
    client.force_login(staff)
    url = reverse("applicants:staff-detail", args=[project.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        Inspection.objects.create(application=project, inspected_by=staff, result="pass", **{
            "installed": True, "operating": True, "data_collected": True, "kpis": {"productivity": True},
        })  # fmt: skip
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one), "\n".join(q["sql"] for q in five.captured_queries)


# --- staff action buttons -----------------------------------------------------------------------------


def test_request_rework_from_the_action_card_needs_its_due_date(client, staff, project):
    client.force_login(staff)
    url = reverse("applicants:staff-transition", args=[project.pk])
    response = client.post(url, {"action": "request_rework", "note": "보완", "due_on": ""})
    assert response.status_code == 400
    assert 'id="due-error">보완 기한을 입력해 주세요.</p>' in response.content.decode()
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(url, {"action": "request_rework", "note": "보완", "due_on": due.isoformat()})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.BUILDING and project.changes_due_on == due


def test_the_complete_button_without_an_inspection_says_why(client, staff, project):
    client.force_login(staff)
    response = client.post(reverse("applicants:staff-transition", args=[project.pk]), {"action": "complete"})
    assert response.status_code == 409
    assert "완료점검에서 적합 판정을 받은 뒤에" in response.content.decode()


# --- the SME's completion page ------------------------------------------------------------------------


def my_page(client, owner, application, status=200) -> str:
    client.force_login(owner)
    response = client.get(reverse("projects:my-completion", args=[application.pk]))
    assert response.status_code == status
    return response.content.decode()


def test_the_checklist_says_what_is_missing_and_the_request_waits(client, staff):
    application = funded_project(staff)
    owner = owner_of(application)
    ready_for_inspection(application, report=False, kpis=("productivity",))
    page = my_page(client, owner, application)
    assert "완료보고서: 아직 올리지 않았습니다." in page
    assert page.count("결과를 아직 입력하지 않았습니다.") == 2
    assert 'value="submit_completion" disabled' in page
    assert reverse("reports:my-outcomes", args=[application.pk]) in page
    assert reverse("projects:my-completion-report", args=[application.pk]) in page


def test_the_owner_uploads_the_report_and_asks_for_inspection(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = funded_project(staff)
    owner = owner_of(application)
    ready_for_inspection(application, report=False)
    client.force_login(owner)
    upload = SimpleUploadedFile("완료보고서.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    response = client.post(reverse("projects:my-completion-report", args=[application.pk]), {"file": upload})
    assert response.status_code == 302
    assert Attachment.objects.get().kind == "completion_report"
    page = my_page(client, owner, application)
    assert "완료보고서: 올렸습니다." in page and 'value="submit_completion" disabled' not in page
    response = client.post(
        reverse("projects:my-completion", args=[application.pk]), {"action": "submit_completion"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.COMPLETION_REVIEW


def test_a_request_with_something_missing_is_answered_on_the_page(client, staff):
    application = funded_project(staff)
    owner = owner_of(application)
    client.force_login(owner)
    response = client.post(
        reverse("projects:my-completion", args=[application.pk]), {"action": "submit_completion"}
    )
    assert response.status_code == 400
    assert "완료점검을 요청하기 전에 갖춰 주세요: 완료보고서" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.BUILDING


def test_after_a_rework_the_sme_sees_the_note_and_the_days_left(client, staff, project):
    due = timezone.localdate() + datetime.timedelta(days=10)
    inspection_record(
        actor=staff, application=project, **passing(result="rework", note="센서 데이터 누락", rework_due=due)
    )
    page = my_page(client, project.company.members.get(), project)
    assert "센서 데이터 누락" in page and "보완 요청" in page
    assert "10일 남음" in page


def test_the_sme_page_takes_the_same_queries_however_many_inspections(client, staff, project):
    owner = project.company.members.get()
    inspection_record(actor=staff, application=project, **passing())
    client.force_login(owner)
    url = reverse("projects:my-completion", args=[project.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        Inspection.objects.create(application=project, inspected_by=staff, result="pass", **{
            "installed": True, "operating": True, "data_collected": True, "kpis": {"productivity": True},
        })  # fmt: skip
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one), "\n".join(q["sql"] for q in five.captured_queries)


def test_the_application_page_links_to_the_completion_page_from_building(client, staff):
    application = funded_project(staff)
    owner = owner_of(application)
    client.force_login(owner)
    page = client.get(reverse("applicants:my-detail", args=[application.pk])).content.decode()
    assert reverse("projects:my-completion", args=[application.pk]) in page


# --- the API ------------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(application) -> str:
    return reverse("application-inspection", args=[application.pk])


def test_the_api_records_an_inspection_and_lists_them_newest_first(staff, project):
    body = {**passing(), "result": "rework", "note": "보완", "rework_due": "2999-01-01"}
    response = api(staff).post(url(project), body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "due_on_invalid"
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = api(staff).post(url(project), {**body, "rework_due": due}, format="json")
    assert response.status_code == 201
    assert response.json()["result"] == "rework" and response.json()["rework_due"] == due
    owner = project.company.members.get()
    application_transition(application=project, action="submit_completion", actor=owner)
    assert api(staff).post(url(project), passing(), format="json").status_code == 201
    listed = api(owner).get(url(project)).json()
    assert [row["result"] for row in listed] == ["pass", "rework"]
    assert set(listed[0]) == {
        "id", "installed", "operating", "data_collected", "kpis", "audit_report", "result", "note",
        "rework_due", "inspected_by", "created_at",
    }  # fmt: skip


def test_the_api_refuses_outside_completion_review(staff):
    application = funded_project(staff)
    response = api(staff).post(url(application), passing(), format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_in_completion_review"


def test_the_sponsor_reads_the_results_and_evaluators_get_404(staff, project):
    sponsor = UserFactory(sponsor_user=True, sponsor=project.program.sponsor)
    assert api(sponsor).get(url(project)).status_code == 200
    assert api(sponsor).post(url(project), passing(), format="json").status_code == 403
    assert api(UserFactory(evaluator=True)).get(url(project)).status_code == 404
