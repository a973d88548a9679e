"""program_save: one way to create and update a program, for the staff form and the API alike."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from config.errors import NotAllowed
from funds.models import LedgerEntry
from program.models import AuditEvent, Program
from program.services import PROGRAM_AUDITED_FIELDS, program_save
from tests.factories import (
    AgencyFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
    api_client,
    rubric_form_data,
)

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


def remember(**kwargs):
    CALLS.append(kwargs)


def fields(**overrides):
    return {
        "title": "2026 상생형",
        "year": 2026,
        "sponsor": SponsorFactory(),
        "agency": AgencyFactory(),
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "gov_budget": 1_000_000_000,
        **overrides,
    }


def test_it_creates_and_audits_every_field(staff):
    program = program_save(actor=staff, **fields())

    event = AuditEvent.objects.get(action="program.create", object_id=program.pk)
    assert set(event.after) == set(PROGRAM_AUDITED_FIELDS)
    assert event.after["title"] == "2026 상생형"
    assert event.before == {}


def test_an_update_audits_only_what_changed_before_and_after(staff):
    program = ProgramFactory(title="옛 사업명")

    program_save(actor=staff, program=program, title="새 사업명", year=program.year)

    event = AuditEvent.objects.get(action="program.update")
    assert (event.before, event.after) == ({"title": "옛 사업명"}, {"title": "새 사업명"})


def test_an_update_that_changes_nothing_is_not_audited(staff):
    program = ProgramFactory()

    program_save(actor=staff, program=program, title=program.title)

    assert not AuditEvent.objects.filter(action="program.update").exists()


def test_the_form_and_the_api_audit_the_same_shape(client, staff):
    data = fields()
    client.force_login(staff)
    form_data = {**data, "title": "폼", "sponsor": data["sponsor"].pk, "agency": data["agency"].pk}
    form_data.update(gov_ratio=30, sponsor_ratio=30, sme_ratio=40, rounding_unit=1000)
    form_data.update(cap_excess_to="sme", status="draft", track="", **rubric_form_data(Program().rubric))
    assert client.post("/staff/programs/new/", form_data).status_code == 302
    body = {**form_data, "title": "API", "rubric": Program().rubric}
    assert api_client(staff).post("/api/v1/programs/", body, format="json").status_code == 201

    by_form, by_api = AuditEvent.objects.filter(action="program.create").order_by("pk")
    assert set(by_form.after) == set(by_api.after) == set(PROGRAM_AUDITED_FIELDS)


def test_the_budget_follows_through_the_extension_point(staff):
    program = program_save(actor=staff, **fields(gov_budget=2_000_000_000))

    entry = LedgerEntry.objects.get(program=program)
    assert (entry.pot, entry.amount) == ("government", 2_000_000_000)


@override_settings(PLUGINS={"program_saved": ["program.tests.test_services.remember"]})
def test_it_calls_what_is_registered_for_program_saved(staff):
    CALLS.clear()

    program = program_save(actor=staff, **fields())

    assert CALLS == [{"program": program, "actor": staff}]
    assert not LedgerEntry.objects.exists()  # the fund's plugin is not registered here


def test_a_refused_budget_saves_nothing(staff):
    program = program_save(actor=staff, **fields(title="원래"))
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        program_save(actor=staff, program=program, title="바뀜", gov_budget=1)

    assert list(refused.value.message_dict) == ["gov_budget"]
    program.refresh_from_db()
    assert (program.title, program.gov_budget) == ("원래", 1_000_000_000)
    assert AuditEvent.objects.count() == events


def test_only_staff_save_a_program():
    sponsor_user = UserFactory(sponsor_user=True)

    with pytest.raises(NotAllowed):
        program_save(actor=sponsor_user, **fields())

    assert not Program.objects.exists()


def test_an_invalid_program_is_refused_before_it_is_saved(staff):
    with pytest.raises(ValidationError):
        program_save(actor=staff, **fields(sme_ratio=10))

    assert not Program.objects.exists()
