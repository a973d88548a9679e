"""`/staff/programs/`: staff create and edit programs."""

import pytest

from program.models import AuditEvent, Program
from tests.factories import AgencyFactory, ProgramFactory, SponsorFactory, UserFactory, rubric_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role="staff"))
    return client


def form_data(**overrides):
    data = {
        "title": "2022 유형1",
        "year": 2022,
        "sponsor": SponsorFactory().pk,
        "agency": AgencyFactory().pk,
        "track": "유형1",
        "description": "",
        "gov_ratio": 30,
        "sponsor_ratio": 30,
        "sme_ratio": 40,
        "gov_cap_basic": 42_000_000,
        "gov_cap_advanced1": 120_000_000,
        "gov_cap_advanced2": "",
        "rounding_unit": 1000,
        "cap_excess_to": "sponsor",
        "gov_budget": 3_000_000_000,
        **rubric_form_data(
            [
                {"key": "plan", "label": "계획", "max_points": 60},
                {"key": "impact", "label": "효과", "max_points": 40},
            ]
        ),
        "opens_on": "2022-03-01",
        "closes_on": "2022-04-30",
        "status": "open",
    }
    data.update(overrides)
    return data


def test_staff_create_a_program(staff_client):
    response = staff_client.post("/staff/programs/new/", form_data())
    assert response.status_code == 302
    program = Program.objects.get()
    assert (program.gov_cap_basic, program.gov_cap_advanced2, program.cap_excess_to) == (
        42_000_000,
        None,
        "sponsor",
    )
    assert program.rubric[0]["max_points"] == 60
    assert AuditEvent.objects.filter(action="program.create", object_id=program.pk).exists()
    assert "2022 유형1" in staff_client.get("/staff/programs/").content.decode()


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"sme_ratio": 50}, "gov_ratio", "합은 100"),
        ({"closes_on": "2022-02-01"}, "closes_on", "마감일"),
        ({"gov_budget": -5}, "gov_budget", ""),
        ({"repeat_gov_cap": -1}, "repeat_gov_cap", ""),
    ],
)
def test_a_bad_program_is_refused_with_the_error_on_its_field(staff_client, overrides, field, message):
    response = staff_client.post("/staff/programs/new/", form_data(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}-error"' in body and message in body
    assert f'aria-describedby="id_{field}-error"' in body or f"id_{field}-help id_{field}-error" in body
    assert not Program.objects.exists()


def test_staff_edit_a_program_and_it_is_audited(staff_client):
    program = ProgramFactory(gov_budget=1_000_000_000)
    page = staff_client.get(f"/staff/programs/{program.pk}/")
    assert page.status_code == 200
    data = {**form_data(), "title": program.title, "sponsor": program.sponsor_id, "agency": program.agency_id}
    data["gov_budget"] = 2_000_000_000
    assert staff_client.post(f"/staff/programs/{program.pk}/", data).status_code == 302
    program.refresh_from_db()
    assert program.gov_budget == 2_000_000_000
    assert AuditEvent.objects.filter(action="program.update").exists()


def test_the_repeat_cap_is_on_the_form_and_kept_when_left_out(staff_client):
    page = staff_client.get("/staff/programs/new/").content.decode()
    assert 'name="repeat_gov_cap"' in page and 'value="50000000"' in page
    assert staff_client.post("/staff/programs/new/", form_data()).status_code == 302  # an older form
    program = Program.objects.get()
    assert program.repeat_gov_cap == 50_000_000
    data = {**form_data(), "title": program.title, "sponsor": program.sponsor_id, "agency": program.agency_id}
    assert (
        staff_client.post(
            f"/staff/programs/{program.pk}/", {**data, "repeat_gov_cap": "30000000"}
        ).status_code
        == 302
    )
    program.refresh_from_db()
    assert program.repeat_gov_cap == 30_000_000


def test_staff_choose_the_required_documents_with_checkboxes(staff_client):
    page = staff_client.get("/staff/programs/new/").content.decode()
    for kind in ("business_registration", "financial_statements", "quote", "business_plan"):
        assert f'type="checkbox" name="required_documents" value="{kind}"' in page
    data = form_data(required_documents=["financial_statements", "business_plan"])
    assert staff_client.post("/staff/programs/new/", data).status_code == 302
    program = Program.objects.get()
    assert program.required_documents == ["financial_statements", "business_plan"]
    page = staff_client.get(f"/staff/programs/{program.pk}/").content.decode()
    assert 'value="business_plan" id="id_required_documents_3" checked' in page
    assert 'value="quote" id="id_required_documents_2" checked' not in page


def test_an_unknown_document_kind_is_refused_on_its_field(staff_client):
    response = staff_client.post("/staff/programs/new/", form_data(required_documents=["resume"]))
    assert response.status_code == 400
    assert 'id="id_required_documents-error"' in response.content.decode()
    assert not Program.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "evaluator", "mentor"])
def test_other_roles_get_404(client, role):
    program = ProgramFactory()
    client.force_login(UserFactory(role=role))
    assert client.get("/staff/programs/").status_code == 404
    assert client.get(f"/staff/programs/{program.pk}/").status_code == 404
    assert client.post("/staff/programs/new/", form_data()).status_code == 404
    assert Program.objects.count() == 1


def test_the_list_runs_a_constant_number_of_queries(staff_client, django_assert_num_queries):
    ProgramFactory.create_batch(2)
    with django_assert_num_queries(4):
        staff_client.get("/staff/programs/")
    ProgramFactory.create_batch(8)
    with django_assert_num_queries(4):
        staff_client.get("/staff/programs/")
