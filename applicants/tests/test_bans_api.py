"""The API of participation bans (SPEC §15.2): the shared register, recording and lifting, who may do
what, and the refusals a ban causes elsewhere in the API (submit, the supplier of an application, of
an agreement and of an approved change)."""

import datetime

import pytest
from django.utils import timezone

from applicants.models import Application, ParticipationBan
from applicants.services.bans import default_ends_on
from program.models import AuditEvent
from projects.models import Agreement, AgreementChange
from projects.tests.test_changes import make_project
from tests.factories import (
    DECLARATIONS,
    KPI_TARGETS,
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    ParticipationBanFactory,
    ProgramFactory,
    SupplierFactory,
    UserFactory,
    api_client,
    valid_business_number,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/bans/"
FIELDS = {
    "id", "subject_type", "business_number", "subject_name", "reason", "basis", "starts_on", "ends_on",
    "second_strike", "clawback_id", "lifted_on", "lift_note", "lifted_by", "created_by", "created_at",
}  # fmt: skip


def body(**extra):
    return {
        "subject_type": "company",
        "business_number": valid_business_number(),
        "reason": "허위 증빙",
        **extra,
    }


def test_staff_record_a_ban_and_the_answer_says_everything(staff):
    company = CompanyFactory(name="한빛정밀")
    today = timezone.localdate()

    response = api_client(staff).post(
        URL, body(business_number=company.business_number, basis="제31조"), format="json"
    )

    assert response.status_code == 201, response.data
    assert set(response.data) == FIELDS
    assert response.data["second_strike"] is False
    assert response.data["ends_on"] == default_ends_on(today).isoformat()
    assert response.data["subject_name"] == "한빛정밀" and response.data["created_by"] == staff.username


def test_a_second_ban_of_the_subject_is_permanent_and_says_so(staff):
    number = valid_business_number()
    api_client(staff).post(URL, body(business_number=number), format="json")

    response = api_client(staff).post(URL, body(business_number=number), format="json")

    assert response.status_code == 201
    assert response.data["second_strike"] is True and response.data["ends_on"] is None


def test_an_explicit_null_end_is_permanent_and_a_date_is_kept(staff):
    client = api_client(staff)

    permanent = client.post(URL, body(ends_on=None), format="json")
    dated = client.post(URL, body(starts_on="2026-01-01", ends_on="2026-06-30"), format="json")

    assert permanent.data["ends_on"] is None and permanent.data["second_strike"] is False
    assert (dated.data["starts_on"], dated.data["ends_on"]) == ("2026-01-01", "2026-06-30")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"subject_type": "person"}, "subject_type"),
        ({"business_number": "123-45-6789"}, "business_number"),
        ({"reason": " "}, "reason"),
        ({"starts_on": "2026-05-02", "ends_on": "2026-05-01"}, "ends_on"),
    ],
)
def test_a_wrong_field_answers_400_on_it(staff, extra, field):
    response = api_client(staff).post(URL, body(**extra), format="json")

    assert response.status_code == 400 and field in response.data
    assert not ParticipationBan.objects.exists()


def test_the_register_is_shared_by_every_agency_and_read_by_the_ministry():
    ban = ParticipationBanFactory()
    for user in (UserFactory(agency=AgencyFactory()), UserFactory(ministry=True)):
        response = api_client(user).get(URL)
        assert response.status_code == 200
        assert [row["id"] for row in response.data["results"]] == [ban.pk]
        assert api_client(user).get(f"{URL}{ban.pk}/").data["id"] == ban.pk


def test_the_ministry_writes_nothing():
    ministry = UserFactory(ministry=True)
    ban = ParticipationBanFactory()

    assert api_client(ministry).post(URL, body(), format="json").status_code == 403
    assert (
        api_client(ministry).post(f"{URL}{ban.pk}/lift/", {"note": "해제"}, format="json").status_code == 403
    )
    assert ParticipationBan.objects.count() == 1 and ParticipationBan.objects.get().lifted_on is None


@pytest.mark.parametrize("role", ["applicant", "sponsor_user", "evaluator", "mentor"])
def test_the_register_is_hidden_from_everyone_else(role):
    user = UserFactory(**{role: True})
    ban = ParticipationBanFactory()
    client = api_client(user)

    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}{ban.pk}/").status_code == 404
    assert client.post(URL, body(), format="json").status_code == 404
    assert client.post(f"{URL}{ban.pk}/lift/", {"note": "해제"}, format="json").status_code == 404
    assert ParticipationBan.objects.count() == 1


def test_anonymous_requests_answer_403():
    from rest_framework.test import APIClient

    assert APIClient().get(URL).status_code == 403


def test_the_list_filters(staff):
    today = timezone.localdate()
    company = ParticipationBanFactory()
    supplier = ParticipationBanFactory(subject_type="supplier")
    lifted = ParticipationBanFactory(lifted_on=today)
    ended = ParticipationBanFactory(starts_on=today - datetime.timedelta(days=900), ends_on=today)
    ParticipationBan.objects.filter(pk=ended.pk).update(ends_on=today - datetime.timedelta(days=1))
    client = api_client(staff)

    def ids(**params):
        return {row["id"] for row in client.get(URL, params).data["results"]}

    assert ids() == {company.pk, supplier.pk, lifted.pk, ended.pk}
    assert ids(active="true") == {company.pk, supplier.pk}
    assert ids(subject_type="supplier") == {supplier.pk}
    number = company.business_number
    assert ids(business_number=f"{number[:3]}-{number[3:5]}-{number[5:]}") == {company.pk}


def test_the_list_takes_the_same_queries_however_long(staff, django_assert_num_queries):
    ParticipationBanFactory(subject_type="supplier", lifted_on=timezone.localdate(), lifted_by=staff)
    client = api_client(staff)
    with django_assert_num_queries(2):  # the count for the pagination, then the page with its names
        client.get(URL)
    for _ in range(5):
        ParticipationBanFactory(created_by=staff, business_number=CompanyFactory().business_number)
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert response.data["count"] == 6
    assert all(row["subject_name"] for row in response.data["results"][:5])


def test_staff_lift_with_a_note(staff):
    ban = ParticipationBanFactory()
    client = api_client(staff)

    blank = client.post(f"{URL}{ban.pk}/lift/", {}, format="json")
    lifted = client.post(f"{URL}{ban.pk}/lift/", {"note": "처분 취소"}, format="json")
    again = client.post(f"{URL}{ban.pk}/lift/", {"note": "다시"}, format="json")

    assert blank.status_code == 400 and "note" in blank.data
    assert lifted.status_code == 200
    assert (lifted.data["lifted_on"], lifted.data["lift_note"]) == (
        timezone.localdate().isoformat(),
        "처분 취소",
    )
    assert again.status_code == 409 and again.data["code"] == "ban_not_in_force"
    assert AuditEvent.objects.filter(action="ban.lift").count() == 1


@pytest.mark.parametrize("ban_id", ["987654321", "abc", "99999999999999999999"])
def test_a_missing_ban_answers_404(staff, ban_id):
    assert api_client(staff).get(f"{URL}{ban_id}/").status_code == 404


# ---- the refusals a ban causes


def test_a_banned_company_is_refused_submission_409():
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, documents=True)
    ParticipationBanFactory(business_number=owner.company.business_number)

    response = api_client(owner).post(
        f"/api/v1/applications/{application.pk}/transitions/",
        {"action": "submit", "declarations": DECLARATIONS},
        format="json",
    )

    assert response.status_code == 409 and response.data["code"] == "participation_banned"
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_a_banned_supplier_cannot_be_chosen_for_an_application():
    owner = UserFactory(applicant=True)
    banned, free = SupplierFactory(), SupplierFactory()
    ParticipationBanFactory(subject_type="supplier", business_number=banned.business_number)
    program = ProgramFactory()
    draft = {"program": program.pk, "company": owner.company_id, "level": "basic", "title": "MES"}
    client = api_client(owner)

    refused = client.post("/api/v1/applications/", {**draft, "supplier": banned.pk}, format="json")
    created = client.post("/api/v1/applications/", {**draft, "supplier": free.pk}, format="json")
    patched = client.patch(
        f"/api/v1/applications/{created.data['id']}/", {"supplier": banned.pk}, format="json"
    )

    assert refused.status_code == 400 and "참여제한" in refused.data["supplier"][0]
    assert created.status_code == 201
    assert patched.status_code == 400 and "supplier" in patched.data
    assert Application.objects.get().supplier == free


def test_a_banned_supplier_cannot_be_the_agreements():
    application, _owner, staff = make_project(status="selected", agreement_status="draft")
    banned = SupplierFactory()
    ParticipationBanFactory(subject_type="supplier", business_number=banned.business_number)
    agreement = {"starts_on": "2026-03-01", "ends_on": "2026-08-31", "kpi_targets": KPI_TARGETS}

    response = api_client(staff).put(
        f"/api/v1/applications/{application.pk}/agreement/",
        {**agreement, "supplier": banned.pk},
        format="json",
    )

    assert response.status_code == 400 and "참여제한" in str(response.data["supplier"])
    assert Agreement.objects.get(application=application).supplier != banned


def test_an_approved_supplier_change_checks_bans():
    application, owner, staff = make_project()
    today = timezone.localdate()
    Agreement.objects.filter(application=application).update(
        starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=120)
    )
    new = SupplierFactory()
    url = f"/api/v1/applications/{application.pk}/changes/"
    created = api_client(owner).post(
        url,
        {"kind": "supplier", "cause_on": today.isoformat(), "reason": "부도", "new_supplier": new.pk},
        format="json",
    )
    ParticipationBanFactory(subject_type="supplier", business_number=new.business_number)

    response = api_client(staff).post(f"{url}{created.data['id']}/approve/", {}, format="json")

    assert response.status_code == 400 and "참여제한" in response.data["new_supplier"][0]
    assert AgreementChange.objects.get().status == "pending"
