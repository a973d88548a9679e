"""Programs and the audit trail by agency (SPEC §14): staff of agency A see and change A's programs
and read the events about A's data and the shared registers; staff of agency B get 404 for A's
programs and do not read A's events; the ministry reads all and writes nothing (403)."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from applicants.models import Application
from applicants.services import application_transition, company_update
from config.errors import NotAllowed
from program.models import AuditEvent, Program
from program.services import audit_event_record, program_save
from program.tests.test_api import program_body
from program.tests.test_staff_views import form_data
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
    api_client,
    fund_program,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_a():
    return AgencyFactory()  # the factories' one agency, that of every ProgramFactory


@pytest.fixture
def kbiz():
    return AgencyFactory(name="중소기업중앙회")


@pytest.fixture
def staff_a(agency_a):
    return UserFactory(role="staff", username="officer-a")


@pytest.fixture
def staff_b(kbiz):
    return UserFactory(agency=kbiz, username="officer-b")


@pytest.fixture
def ministry():
    return UserFactory(ministry=True)


@pytest.fixture
def program_a(agency_a):
    return ProgramFactory(title="협력재단 사업")


@pytest.fixture
def program_b(kbiz):
    return ProgramFactory(agency=kbiz, title="중기중앙회 사업")


# --- the program pages ---------------------------------------------------------------------------


def test_the_program_list_shows_the_agencys_own(client, staff_b, program_a, program_b):
    client.force_login(staff_b)
    page = client.get("/staff/programs/").content.decode()
    assert "중기중앙회 사업" in page and "협력재단 사업" not in page


def test_the_ministry_lists_every_agencys_programs_and_may_not_create(client, ministry, program_a, program_b):
    client.force_login(ministry)
    page = client.get("/staff/programs/").content.decode()
    assert "중기중앙회 사업" in page and "협력재단 사업" in page
    assert "/staff/programs/new/" not in page


def test_another_agencys_program_page_is_404(client, staff_b, program_a):
    client.force_login(staff_b)
    url = f"/staff/programs/{program_a.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(agency=program_a.agency_id)).status_code == 404
    program_a.refresh_from_db()
    assert program_a.title == "협력재단 사업"


def test_the_ministry_reads_a_program_page_and_may_not_save(client, ministry, program_a):
    client.force_login(ministry)
    url = f"/staff/programs/{program_a.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and ">저장</button>" not in page.content.decode()
    assert client.post(url, form_data(agency=program_a.agency_id)).status_code == 403
    assert client.post("/staff/programs/new/", form_data(agency=program_a.agency_id)).status_code == 403
    assert Program.objects.count() == 1


def test_the_form_offers_the_users_agency_only_and_refuses_another(client, staff_b, kbiz, agency_a):
    client.force_login(staff_b)
    form = client.get("/staff/programs/new/").context["form"]
    assert list(form.fields["agency"].queryset) == [kbiz]
    assert form["agency"].value() == kbiz.pk
    response = client.post("/staff/programs/new/", form_data(agency=agency_a.pk))
    assert response.status_code == 400 and "agency" in response.context["form"].errors
    assert client.post("/staff/programs/new/", form_data(agency=kbiz.pk)).status_code == 302
    assert Program.objects.get().agency == kbiz


# --- the API -------------------------------------------------------------------------------------


def test_a_new_program_defaults_to_the_users_agency(staff_b, kbiz):
    body = program_body()
    del body["agency"]
    response = api_client(staff_b).post("/api/v1/programs/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["agency"] == kbiz.pk


def test_another_agencys_id_is_refused_on_agency(staff_b, agency_a):
    response = api_client(staff_b).post("/api/v1/programs/", program_body(agency=agency_a.pk), format="json")
    assert response.status_code == 400
    assert response.json()["agency"] == ["소속 협업기관의 사업만 만들거나 옮길 수 있습니다."]
    assert not Program.objects.exists()


def test_another_agencys_program_answers_404_to_read_and_write(staff_b, program_a):
    client = api_client(staff_b)
    url = f"/api/v1/programs/{program_a.pk}/"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"title": "바꿈"}, format="json").status_code == 404
    program_a.refresh_from_db()
    assert program_a.title == "협력재단 사업"


def test_a_program_cannot_move_to_another_agency(staff_a, program_a, kbiz):
    url = f"/api/v1/programs/{program_a.pk}/"
    response = api_client(staff_a).patch(url, {"agency": kbiz.pk}, format="json")
    assert response.status_code == 400 and "agency" in response.json()
    program_a.refresh_from_db()
    assert program_a.agency_id != kbiz.pk


def test_the_ministry_reads_every_program_and_writes_none(ministry, program_a, program_b):
    client = api_client(ministry)
    assert client.get("/api/v1/programs/").json()["count"] == 2
    url = f"/api/v1/programs/{program_a.pk}/"
    assert client.get(url).status_code == 200
    assert client.patch(url, {"title": "바꿈"}, format="json").status_code == 403
    assert client.post("/api/v1/programs/", program_body(), format="json").status_code == 403


def test_program_save_answers_404_before_403(staff_b, ministry, program_a):
    with pytest.raises(Http404):
        program_save(actor=staff_b, program=program_a, title="바꿈")
    with pytest.raises(NotAllowed):
        program_save(actor=ministry, program=program_a, title="바꿈")
    with pytest.raises(ValidationError):
        program_save(actor=staff_b, agency=program_a.agency, sponsor=SponsorFactory(), title="새 사업")


# --- the audit trail -----------------------------------------------------------------------------


def test_an_event_is_filed_under_its_targets_agency(staff_a, program_a, kbiz):
    application = ApplicationFactory(program=program_a)
    fund_program(program_a, sponsor=1_000)
    entry = program_a.ledger_entries.get()
    for target in (program_a, application, entry):
        event = audit_event_record(actor=staff_a, action="test", target=target)
        assert event.agency_id == program_a.agency_id, target
    for shared in (application.company, program_a.sponsor, staff_a):
        assert audit_event_record(actor=staff_a, action="test", target=shared).agency_id is None, shared


def test_the_backfill_files_existing_events_under_their_agency(staff_a, program_a):
    application = ApplicationFactory(program=program_a)
    fund_program(program_a, sponsor=1_000)
    targets = (program_a, application, program_a.ledger_entries.get(), application.company)
    events = [audit_event_record(actor=staff_a, action="test", target=target) for target in targets]
    AuditEvent.objects.update(agency=None)
    migration = importlib.import_module("program.migrations.0006_audit_event_agency")
    # The function uses only the editor's connection (SQLite opens no schema editor in a transaction).
    migration.agency_from_targets(apps, SimpleNamespace(connection=connection))
    agency = program_a.agency_id
    assert [AuditEvent.objects.get(pk=e.pk).agency_id for e in events] == [agency, agency, agency, None]


@pytest.fixture
def events(staff_a, staff_b, program_a, program_b):
    """An application decision in each agency, and agency A's applicant changing its company (a
    shared register)."""
    for program, actor in ((program_a, staff_a), (program_b, staff_b)):
        application = ApplicationFactory(program=program, status=Application.Status.SCREENING)
        application_transition(application=application, action="reject", actor=actor, note="요건 미달")
    company = ApplicationFactory(program=program_a).company
    owner = UserFactory(applicant=True, company=company, username="owner-a")
    company_update(company=company, actor=owner, name="바뀐정밀")


def test_staff_read_their_agencys_events_and_the_shared_registers(client, staff_b, events):
    client.force_login(staff_b)
    page = client.get("/staff/audit/").content.decode()
    assert "officer-b" in page and "officer-a" not in page
    assert "owner-a" in page and "기업정보 변경" in page
    assert AuditEvent.objects.filter(actor__username="officer-a").exists()


def test_the_ministry_reads_every_event(client, ministry, events):
    client.force_login(ministry)
    page = client.get("/staff/audit/").content.decode()
    assert "officer-a" in page and "officer-b" in page


def test_the_audit_page_takes_the_same_queries_with_two_agencies(
    client, staff_b, events, program_a, program_b, staff_a, django_assert_num_queries
):
    client.force_login(staff_b)
    client.get("/staff/audit/")
    with django_assert_num_queries(7) as few:
        client.get("/staff/audit/")
    for program, actor in ((program_a, staff_a), (program_b, staff_b)):
        for _ in range(3):
            application = ApplicationFactory(program=program, status=Application.Status.SCREENING)
            application_transition(application=application, action="reject", actor=actor, note="요건 미달")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/staff/audit/").content.decode()
    assert "officer-a" not in page
