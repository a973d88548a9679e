"""The API of agreement changes (SPEC §16): who reads, who asks, who decides, and the codes."""

import datetime

import pytest
from django.utils import timezone

from funds.models import LedgerEntry
from projects.models import Agreement, AgreementChange
from projects.tests.test_changes import make_project
from tests.factories import AgencyFactory, SupplierFactory, UserFactory, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    """A project under agreement ending four months from today, so that today is in time."""
    application, owner, staff = make_project()
    today = timezone.localdate()
    Agreement.objects.filter(application=application).update(
        starts_on=today - datetime.timedelta(days=60),
        original_ends_on=today + datetime.timedelta(days=120),
        ends_on=today + datetime.timedelta(days=120),
    )
    return application, owner, staff


def url(application, tail=""):
    return f"/api/v1/applications/{application.pk}/changes/{tail}"


def body(**extra):
    return {"kind": "plan", "cause_on": timezone.localdate().isoformat(), "reason": "공정 변경", **extra}


def test_the_owner_asks_and_reads(project):
    application, owner, _ = project
    client = api_client(owner)

    created = client.post(url(application), body(), format="json")
    listed = client.get(url(application))

    assert created.status_code == 201, created.data
    assert created.data["status"] == "pending" and created.data["kind"] == "plan"
    assert [row["id"] for row in listed.data] == [created.data["id"]]


def test_a_late_change_answers_too_late(project):
    application, owner, _ = project
    late = (timezone.localdate() - datetime.timedelta(days=16)).isoformat()

    response = api_client(owner).post(url(application), body(cause_on=late), format="json")

    assert response.status_code == 400
    assert response.data["code"] == "too_late"
    assert not AgreementChange.objects.exists()


def test_an_extension_past_the_limit_answers_extension_limit(project):
    application, owner, _ = project
    too_far = (application.agreement.ends_on + datetime.timedelta(days=200)).isoformat()

    response = api_client(owner).post(
        url(application), body(kind="extension", new_ends_on=too_far), format="json"
    )

    assert response.status_code == 400 and response.data["code"] == "extension_limit"


def test_a_missing_new_value_is_a_field_error(project):
    application, owner, _ = project

    response = api_client(owner).post(url(application), body(kind="supplier"), format="json")

    assert response.status_code == 400 and "new_supplier" in response.data


def test_a_second_pending_change_of_a_kind_answers_409(project):
    application, owner, _ = project
    client = api_client(owner)
    client.post(url(application), body(), format="json")

    response = client.post(url(application), body(), format="json")

    assert response.status_code == 409 and response.data["code"] == "change_pending"


def test_staff_approve_a_cost_change_and_the_money_moves(project):
    application, owner, staff = project
    created = api_client(owner).post(
        url(application), body(kind="cost", new_total_cost=150_000_000), format="json"
    )
    entries = LedgerEntry.objects.count()

    response = api_client(staff).post(url(application, f"{created.data['id']}/approve/"), {}, format="json")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "approved"
    assert response.data["previous"]["total_cost"] == 100_000_000
    assert LedgerEntry.objects.count() == entries + 2  # one commitment from each pot


def test_an_approval_the_pots_cannot_cover_answers_insufficient_funds():
    application, owner, staff = make_project(pot=40_000_000)
    today = timezone.localdate()
    Agreement.objects.filter(application=application).update(
        starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=120)
    )
    created = api_client(owner).post(
        url(application), body(kind="cost", new_total_cost=150_000_000), format="json"
    )

    response = api_client(staff).post(url(application, f"{created.data['id']}/approve/"), {}, format="json")

    assert response.status_code == 409 and response.data["code"] == "insufficient_funds"
    assert AgreementChange.objects.get().status == "pending"


def test_staff_reject_with_a_note(project):
    application, owner, staff = project
    created = api_client(owner).post(url(application), body(), format="json")
    client = api_client(staff)

    without = client.post(url(application, f"{created.data['id']}/reject/"), {}, format="json")
    with_note = client.post(
        url(application, f"{created.data['id']}/reject/"), {"note": "근거 부족"}, format="json"
    )

    assert without.status_code == 400 and "note" in without.data
    assert with_note.status_code == 200 and with_note.data["status"] == "rejected"


def test_a_decided_change_answers_409(project):
    application, owner, staff = project
    created = api_client(owner).post(url(application), body(), format="json")
    client = api_client(staff)
    client.post(url(application, f"{created.data['id']}/approve/"), {}, format="json")

    again = client.post(url(application, f"{created.data['id']}/approve/"), {}, format="json")

    assert again.status_code == 409 and again.data["code"] == "change_decided"


def test_a_change_of_another_application_is_not_found(project):
    application, owner, staff = project
    created = api_client(owner).post(url(application), body(), format="json")
    other, _, _ = make_project()

    response = api_client(staff).post(url(other, f"{created.data['id']}/approve/"), {}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "reads", "asks", "decides"),
    [
        ("staff", 200, 403, 200),
        ("ministry", 200, 403, 403),
        ("staff_other", 404, 404, 404),
        ("owner", 200, 201, 403),
        ("outsider", 404, 404, 404),
        ("sponsor", 200, 403, 403),
        ("sponsor_other", 404, 404, 404),
        ("evaluator", 404, 404, 404),
    ],
)
def test_the_access_of_each_role(project, who, reads, asks, decides):
    application, owner, staff = project
    pending = api_client(owner).post(
        url(application), body(kind="cost", new_total_cost=90_000_000), format="json"
    )
    user = {
        "staff": staff,
        "ministry": UserFactory(ministry=True),
        "staff_other": UserFactory(agency=AgencyFactory(name="중소기업중앙회")),
        "owner": owner,
        "outsider": UserFactory(applicant=True),
        "sponsor": UserFactory(sponsor_user=True, sponsor=application.program.sponsor),
        "sponsor_other": UserFactory(sponsor_user=True),
        "evaluator": UserFactory(evaluator=True),
    }[who]
    client = api_client(user)

    assert client.get(url(application)).status_code == reads
    assert client.post(url(application), body(), format="json").status_code == asks
    approve = client.post(url(application, f"{pending.data['id']}/approve/"), {}, format="json")
    assert approve.status_code == decides


def test_the_list_takes_the_same_queries_however_long(project, django_assert_num_queries):
    application, owner, _ = project
    supplier = SupplierFactory()
    for _ in range(2):
        AgreementChange.objects.create(
            application=application, kind="supplier", cause_on=timezone.localdate(), reason="x",
            new_supplier=supplier, requested_by=owner,
        )  # fmt: skip
    client = api_client(owner)
    client.get(url(application))
    with django_assert_num_queries(2):  # the application, the changes with their suppliers
        client.get(url(application))
    for _ in range(10):
        AgreementChange.objects.create(
            application=application, kind="supplier", cause_on=timezone.localdate(), reason="x",
            new_supplier=supplier, requested_by=owner,
        )  # fmt: skip
    with django_assert_num_queries(2):
        response = client.get(url(application))
    assert len(response.data) == 12
