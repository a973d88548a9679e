"""The API of spending lines (SPEC §18.1): the register, recording, review, the evidence file; who
reads, who writes, and the codes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from execution.models import SpendingLine
from execution.services.spending import spending_review
from execution.tests.test_spending import make_building, pdf, record, supplier_number
from tests.factories import (
    AgencyFactory,
    SpendingLineFactory,
    SponsorFactory,
    UserFactory,
    api_client,
    invoice_number,
    valid_business_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return make_building()


def url(application, tail=""):
    return f"/api/v1/applications/{application.pk}/spending/{tail}"


def body(application, **extra):
    return {
        "spent_on": "2026-04-01",
        "supplier_business_number": supplier_number(application),
        "item": "MES 소프트웨어",
        "amount": "12000000",
        "evidence": "tax_invoice",
        "invoice_number": invoice_number(),
        "document": pdf(),
        **extra,
    }


def test_the_owner_records_a_line_and_reads_the_register(project):
    application, owner, _ = project
    client = api_client(owner)

    created = client.post(url(application), body(application), format="multipart")
    second = client.post(url(application), body(application, amount="-2000000"), format="multipart")
    listed = client.get(url(application))

    assert created.status_code == 201, created.data
    assert created.data["amount"] == 12_000_000 and created.data["status"] == "pending"
    assert created.data["flags"] == [] and created.data["running_total"] == 12_000_000
    assert created.data["document_url"] == url(application, f"{created.data['id']}/document/")
    assert second.data["flags"] == ["credit_note"] and second.data["running_total"] == 10_000_000
    assert [row["id"] for row in listed.data] == [created.data["id"], second.data["id"]]
    assert [row["running_total"] for row in listed.data] == [12_000_000, 10_000_000]


def test_a_card_slip_goes_without_an_invoice_number(project):
    application, owner, _ = project

    response = api_client(owner).post(
        url(application), body(application, evidence="card", invoice_number=""), format="multipart"
    )

    assert response.status_code == 201, response.data
    assert response.data["invoice_number"] is None


def test_a_taken_invoice_number_answers_duplicate_invoice(project):
    application, owner, _ = project
    taken = SpendingLineFactory().invoice_number

    response = api_client(owner).post(
        url(application), body(application, invoice_number=taken), format="multipart"
    )

    assert response.status_code == 409
    assert response.data["code"] == "duplicate_invoice"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("supplier_business_number", "1234567890"),
        ("invoice_number", "123"),
        ("amount", "0"),
        ("spent_on", "어제"),
        ("document", SimpleUploadedFile("evil.pdf", b"<script>", content_type="application/pdf")),
    ],
)
def test_bad_input_answers_400_on_its_field(project, field, value):
    application, owner, _ = project

    response = api_client(owner).post(
        url(application), body(application, **{field: value}), format="multipart"
    )

    assert response.status_code == 400
    assert field in response.data
    assert not SpendingLine.objects.exists()


def test_a_line_outside_building_answers_not_building():
    application, owner, _ = make_building(status="agreement")

    response = api_client(owner).post(url(application), body(application), format="multipart")

    assert response.status_code == 409 and response.data["code"] == "not_building"


def test_staff_review_a_line(project):
    application, owner, staff = project
    line = record(application, owner, supplier_business_number=valid_business_number())
    client = api_client(staff)

    refused = client.post(url(application, f"{line.pk}/review/"), {"decision": "disallowed"}, format="json")
    disallowed = client.post(
        url(application, f"{line.pk}/review/"),
        {"decision": "disallowed", "reason": "공급기업 불일치"},
        format="json",
    )
    unknown = client.post(url(application, f"{line.pk}/review/"), {"decision": "maybe"}, format="json")

    assert refused.status_code == 400 and "reason" in refused.data
    assert disallowed.status_code == 200, disallowed.data
    assert disallowed.data["status"] == "disallowed" and disallowed.data["reason"] == "공급기업 불일치"
    assert disallowed.data["flags"] == ["supplier_mismatch"] and disallowed.data["running_total"] == 0
    assert unknown.status_code == 400 and "decision" in unknown.data


@pytest.mark.parametrize("who", ["owner", "ministry", "sponsor"])
def test_readers_who_may_not_review_get_403(project, who):
    application, owner, _ = project
    line = record(application, owner)
    user = {
        "owner": owner,
        "ministry": UserFactory(role="ministry"),
        "sponsor": UserFactory(role="sponsor", sponsor=application.program.sponsor),
    }[who]

    response = api_client(user).post(
        url(application, f"{line.pk}/review/"), {"decision": "approved"}, format="json"
    )

    assert response.status_code == 403
    line.refresh_from_db()
    assert line.status == "pending"


@pytest.mark.parametrize("who", ["staff", "ministry", "sponsor", "member_of_other_company"])
def test_only_the_owner_records(project, who):
    application, _, staff = project
    user = {
        "staff": staff,
        "ministry": UserFactory(role="ministry"),
        "sponsor": UserFactory(role="sponsor", sponsor=application.program.sponsor),
        "member_of_other_company": UserFactory(applicant=True),
    }[who]

    response = api_client(user).post(url(application), body(application), format="multipart")

    assert response.status_code == (404 if who == "member_of_other_company" else 403)


@pytest.mark.parametrize(
    "who", ["other_agency_staff", "other_company", "other_sponsor", "evaluator", "mentor"]
)
def test_outsiders_get_404_everywhere(project, who):
    application, owner, _ = project
    line = record(application, owner)
    user = {
        "other_agency_staff": UserFactory(agency=AgencyFactory(name="중소기업중앙회")),
        "other_company": UserFactory(applicant=True),
        "other_sponsor": UserFactory(role="sponsor", sponsor=SponsorFactory()),
        "evaluator": UserFactory(role="evaluator"),
        "mentor": UserFactory(role="mentor"),
    }[who]
    client = api_client(user)

    assert client.get(url(application)).status_code == 404
    assert client.get(url(application, f"{line.pk}/document/")).status_code == 404
    assert client.post(url(application, f"{line.pk}/review/"), {"decision": "approved"}).status_code == 404
    assert client.post(url(application), body(application), format="multipart").status_code == 404


def test_anonymous_gets_401(project):
    application, _, _ = project
    from rest_framework.test import APIClient

    assert APIClient().get(url(application)).status_code in (401, 403)


def test_a_line_of_another_application_is_404(project):
    application, _, staff = project
    other = SpendingLineFactory(application__program=application.program)

    response = api_client(staff).post(url(application, f"{other.pk}/review/"), {"decision": "approved"})

    assert response.status_code == 404
    assert api_client(staff).get(url(application, "abc/document/")).status_code == 404


@pytest.mark.parametrize("who", ["owner", "staff", "ministry", "sponsor"])
def test_readers_download_the_evidence(project, who):
    application, owner, staff = project
    line = record(application, owner)
    user = {
        "owner": owner,
        "staff": staff,
        "ministry": UserFactory(role="ministry"),
        "sponsor": UserFactory(role="sponsor", sponsor=application.program.sponsor),
    }[who]

    response = api_client(user).get(url(application, f"{line.pk}/document/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"spending-{line.pk}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_register_reads_in_constant_queries(project, django_assert_num_queries):
    application, owner, staff = project
    for day in range(1, 6):
        line = record(application, owner, spent_on=datetime.date(2026, 4, day))
        spending_review(actor=staff, line=line, decision="approved")
    client = api_client(staff)

    # the application in scope (1) and the lines with their running total (1)
    with django_assert_num_queries(2):
        response = client.get(url(application))

    assert len(response.data) == 5
