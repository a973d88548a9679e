"""Limits a real program uses (issue 13 item 11), enforced by the model and its services so the API,
the pages and admin all keep them: solution areas, the plan, evaluation comments, transition notes,
documents per application."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.models import Application, Attachment, Evaluation, Supplier
from program.models import AuditEvent
from tests.factories import (
    ApplicationFactory,
    EvaluatorAssignmentFactory,
    UserFactory,
    api_client,
    valid_business_number,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.mark.parametrize(
    "areas",
    [{"MES": 1}, "MES", ["MES", "MES"], ["블록체인"], [["MES"]], [1], ["x" * 10_000]],
    ids=["object", "string", "repeated", "unknown", "nested", "number", "huge"],
)
def test_solution_areas_must_be_distinct_known_areas(staff, areas):
    body = {
        "name": "새솔루션",
        "business_number": valid_business_number(),
        "region": "서울",
        "solution_areas": areas,
    }

    response = api_client(staff).post("/api/v1/suppliers/", body, format="json")

    assert response.status_code == 400
    assert "솔루션 분야는" in response.json()["solution_areas"][0]
    assert not Supplier.objects.exists()


def test_known_solution_areas_are_accepted(staff):
    body = {"name": "새솔루션", "business_number": valid_business_number(), "region": "서울"}

    response = api_client(staff).post(
        "/api/v1/suppliers/", {**body, "solution_areas": ["MES", "vision"]}, format="json"
    )

    assert response.status_code == 201, response.json()


def test_a_plan_past_20000_characters_is_refused_by_the_api_and_the_form(owner, client):
    draft = ApplicationFactory(company=owner.company, plan="원래 계획")
    too_long = "가" * (Application.PLAN_MAX_LENGTH + 1)

    response = api_client(owner).patch(f"/api/v1/applications/{draft.pk}/", {"plan": too_long}, format="json")
    assert response.status_code == 400 and "plan" in response.json()

    client.force_login(owner)
    response = client.post(f"/apply/{draft.pk}/plan/", {"plan": too_long, "total_cost": "100,000,000"})
    assert response.status_code == 400 and "plan" in response.context["form"].errors

    draft.refresh_from_db()
    assert draft.plan == "원래 계획"
    response = api_client(owner).patch(
        f"/api/v1/applications/{draft.pk}/", {"plan": too_long[:-1]}, format="json"
    )
    assert response.status_code == 200


def test_an_evaluation_comment_past_2000_characters_is_refused(staff):
    application = ApplicationFactory(evaluation=True)
    evaluator = EvaluatorAssignmentFactory(application=application, assigned_by=staff).evaluator
    body = {"application": application.pk, "conflict_of_interest": False, "comment": "가" * 2_001}

    response = api_client(evaluator).post("/api/v1/evaluations/", body, format="json")

    assert response.status_code == 400 and "comment" in response.json()
    assert not Evaluation.objects.exists()


def test_a_transition_note_past_2000_characters_is_refused(staff, client):
    application = ApplicationFactory(status=Application.Status.SCREENING)
    note = "사" * (AuditEvent.NOTE_MAX_LENGTH + 1)
    url = f"/api/v1/applications/{application.pk}/transitions/"

    response = api_client(staff).post(url, {"action": "request_changes", "note": note}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "note_too_long"

    client.force_login(staff)
    page = client.post(
        f"/staff/applications/{application.pk}/transition/", {"action": "request_changes", "note": note}
    )
    assert page.status_code == 400 and "사유는 2000자까지 쓸 수 있습니다." in page.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SCREENING
    assert not AuditEvent.objects.filter(action="application.request_changes").exists()


def _attach(application, kind, n):
    for i in range(n):
        attachment = Attachment(
            application=application,
            kind=kind,
            original_name=f"{i}.pdf",
            content_type="application/pdf",
            size=9,
        )
        attachment.file.save(f"{kind}-{i}.pdf", ContentFile(b"%PDF-1.4\n"), save=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("existing", "kind", "message"),
    [
        ({"quote": 5}, "quote", "서류 종류마다 5개까지"),
        (
            {"quote": 5, "financial_statements": 5, "business_plan": 5, "business_registration": 5},
            "quote",
            "20개까지",
        ),
    ],
    ids=["five of a kind", "twenty in all"],
)
def test_documents_per_application_are_limited(owner, client, media, existing, kind, message):
    draft = ApplicationFactory(company=owner.company)
    for existing_kind, n in existing.items():
        _attach(draft, existing_kind, n)
    before = Attachment.objects.count()
    client.force_login(owner)

    response = client.post(
        f"/apply/{draft.pk}/documents/",
        {"kind": kind, "file": SimpleUploadedFile("more.pdf", PDF, content_type="application/pdf")},
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert Attachment.objects.count() == before


def test_a_sixth_document_of_another_kind_is_accepted(owner, client, media):
    draft = ApplicationFactory(company=owner.company)
    _attach(draft, "quote", 5)
    client.force_login(owner)

    response = client.post(
        f"/apply/{draft.pk}/documents/",
        {
            "kind": "business_plan",
            "file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        },
    )

    assert response.status_code == 302
    assert Attachment.objects.count() == 6
