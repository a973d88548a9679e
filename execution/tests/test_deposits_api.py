"""The API of the SME's deposits (SPEC §18.2): readers, staff's POST (JSON or multipart), codes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from execution.models import Deposit
from execution.tests.test_spending import make_building, pdf
from tests.factories import AgencyFactory, DepositFactory, SponsorFactory, UserFactory, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return make_building()


def url(application):
    return f"/api/v1/applications/{application.pk}/deposits/"


def test_staff_record_deposits_as_json_or_multipart(project):
    application, owner, staff = project
    client = api_client(staff)

    as_json = client.post(
        url(application), {"amount": 10_000_000, "deposited_on": "2026-03-10"}, format="json"
    )
    with_file = client.post(
        url(application),
        {"amount": "5000000", "deposited_on": "2026-03-02", "document": pdf("입금증.pdf")},
        format="multipart",
    )
    listed = api_client(owner).get(url(application))

    assert as_json.status_code == 201, as_json.data
    assert as_json.data["amount"] == 10_000_000 and as_json.data["has_document"] is False
    assert with_file.status_code == 201, with_file.data
    assert with_file.data["has_document"] is True
    assert [row["id"] for row in listed.data] == [with_file.data["id"], as_json.data["id"]]  # oldest first


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 0),
        ("amount", 10_000_000_001),
        ("deposited_on", "1999-01-01"),
        ("deposited_on", ""),
        ("document", SimpleUploadedFile("a.xlsx", b"PK\x03\x04")),
    ],
)
def test_bad_input_answers_400_on_its_field(project, field, value):
    application, _, staff = project
    data = {"amount": "1000", "deposited_on": "2026-03-10", field: value}

    response = api_client(staff).post(url(application), data, format="multipart")

    assert response.status_code == 400, response.data
    assert field in response.data
    assert not Deposit.objects.exists()


def test_a_completed_project_takes_no_deposit():
    application, _, staff = make_building(status="completed")

    response = api_client(staff).post(
        url(application), {"amount": 1, "deposited_on": "2026-03-10"}, format="json"
    )

    assert response.status_code == 409 and response.data["code"] == "not_depositable"


@pytest.mark.parametrize("who", ["owner", "ministry", "sponsor"])
def test_readers_who_may_not_record_get_403(project, who):
    application, owner, _ = project
    user = {
        "owner": owner,
        "ministry": UserFactory(role="ministry"),
        "sponsor": UserFactory(role="sponsor", sponsor=application.program.sponsor),
    }[who]
    client = api_client(user)

    assert client.get(url(application)).status_code == 200
    assert client.post(url(application), {"amount": 1, "deposited_on": "2026-03-10"}).status_code == 403
    assert not Deposit.objects.exists()


@pytest.mark.parametrize(
    "who", ["other_agency_staff", "other_company", "other_sponsor", "evaluator", "mentor"]
)
def test_outsiders_get_404(project, who):
    application, _, _ = project
    user = {
        "other_agency_staff": UserFactory(agency=AgencyFactory(name="중소기업중앙회")),
        "other_company": UserFactory(applicant=True),
        "other_sponsor": UserFactory(role="sponsor", sponsor=SponsorFactory()),
        "evaluator": UserFactory(role="evaluator"),
        "mentor": UserFactory(role="mentor"),
    }[who]
    client = api_client(user)

    assert client.get(url(application)).status_code == 404
    assert client.post(url(application), {"amount": 1, "deposited_on": "2026-03-10"}).status_code == 404


def test_the_deposits_read_in_constant_queries(project, django_assert_num_queries):
    application, _, staff = project
    for _ in range(4):
        DepositFactory(application=application)

    # the application in scope (1) and its deposits (1)
    with django_assert_num_queries(2):
        response = api_client(staff).get(url(application))

    assert len(response.data) == 4
