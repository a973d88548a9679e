"""`submit_completion` needs the completion report and a result for every KPI target (SPEC §17), and
the report is uploaded while building only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.models import Application, Attachment
from applicants.services import application_transition, attachment_add, attachment_delete
from config.errors import Conflict, DomainError, NotAllowed
from program.models import AuditEvent
from projects.tests.helpers import funded_project, owner_of, ready_for_inspection

pytestmark = pytest.mark.django_db
S = Application.Status


def submit(application, owner):
    return application_transition(application=application, action="submit_completion", actor=owner)


def pdf(name="완료보고서.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf"
    )


def test_with_the_report_and_every_result_the_project_asks_for_inspection(staff):
    application = funded_project(staff)
    owner = owner_of(application)
    ready_for_inspection(application)
    assert submit(application, owner).status == S.COMPLETION_REVIEW


def test_without_the_report_it_is_refused_naming_it(staff):
    application = funded_project(staff)
    owner = owner_of(application)
    ready_for_inspection(application, report=False)
    with pytest.raises(DomainError) as info:
        submit(application, owner)
    assert info.value.code == "completion_incomplete" and info.value.status_code == 400
    assert "완료보고서" in str(info.value.message)
    assert info.value.data == {"missing": {"report": True, "kpis": []}}
    application.refresh_from_db()
    assert application.status == S.BUILDING
    assert not AuditEvent.objects.filter(action="application.submit_completion").exists()


def test_one_missing_result_is_refused_naming_the_kpi(staff):
    application = funded_project(staff)
    owner = owner_of(application)
    ready_for_inspection(application, kpis=("productivity", "defect_rate"))
    with pytest.raises(DomainError) as info:
        submit(application, owner)
    assert info.value.code == "completion_incomplete"
    assert "리드타임(일)" in str(info.value.message) and "완료보고서" not in str(info.value.message)
    assert info.value.data["missing"] == {"report": False, "kpis": ["lead_time"]}
    application.refresh_from_db()
    assert application.status == S.BUILDING


def test_nothing_at_all_names_everything(staff):
    application = funded_project(staff)
    with pytest.raises(DomainError) as info:
        submit(application, owner_of(application))
    assert info.value.data["missing"] == {
        "report": True,
        "kpis": ["productivity", "defect_rate", "lead_time"],
    }


def test_a_result_for_another_kpi_does_not_count(staff):
    application = funded_project(staff)
    ready_for_inspection(application, kpis=("productivity", "defect_rate"))
    from reports.models import Outcome

    Outcome.objects.create(
        application=application, kpi="revenue", baseline=1, result=2, measured_on="2026-01-01"
    )
    with pytest.raises(DomainError):
        submit(application, owner_of(application))


def test_without_an_agreement_row_only_the_report_is_needed(staff):
    """Projects funded before agreements were recorded have no targets to report against."""
    application = funded_project(staff, agreement=False)
    owner = owner_of(application)
    with pytest.raises(DomainError) as info:
        submit(application, owner)
    assert info.value.data["missing"] == {"report": True, "kpis": []}
    ready_for_inspection(application, kpis=())
    assert submit(application, owner).status == S.COMPLETION_REVIEW


# --- the completion report ------------------------------------------------------------------------


def test_the_owner_uploads_the_completion_report_while_building(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = funded_project(staff)
    owner = owner_of(application)
    attachment = attachment_add(actor=owner, application=application, kind="completion_report", upload=pdf())
    assert attachment.kind == "completion_report" and attachment.original_name == "완료보고서.pdf"
    attachment_delete(actor=owner, attachment=attachment)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("status", [S.AGREEMENT, S.COMPLETION_REVIEW, S.COMPLETED])
def test_the_completion_report_is_refused_outside_building(staff, settings, tmp_path, status):
    settings.MEDIA_ROOT = tmp_path
    application = funded_project(staff, status=status)
    with pytest.raises(Conflict) as info:
        attachment_add(
            actor=owner_of(application), application=application, kind="completion_report", upload=pdf()
        )
    assert info.value.code == "not_editable"
    assert not Attachment.objects.exists()


def test_staff_do_not_upload_the_completion_report(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = funded_project(staff)
    with pytest.raises(NotAllowed):
        attachment_add(actor=staff, application=application, kind="completion_report", upload=pdf())


def test_while_building_the_application_documents_stay_closed(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = funded_project(staff)
    with pytest.raises(Conflict):
        attachment_add(actor=owner_of(application), application=application, kind="quote", upload=pdf())
