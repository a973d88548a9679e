"""Payment and contribution dates stay in the window a program's money can carry (issue 13 item 11):
2000-01-01 to five years ahead (program.validators.validate_plausible_date), via the API and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from funds.models import Contribution, Disbursement, LedgerEntry
from funds.services import disbursement_record
from tests.factories import ApplicationFactory, ProgramFactory, api_client, deposit_sme_share, fund_program

pytestmark = pytest.mark.django_db
OUT_OF_WINDOW = ["0001-01-01", "1999-12-31", "9999-12-31"]


def latest() -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + 5) if (today.month, today.day) != (2, 29) else today


@pytest.fixture
def selected(staff):
    program = ProgramFactory()
    fund_program(program, sponsor=300_000_000, government=300_000_000)
    application = ApplicationFactory(
        program=program, status=Application.Status.EVALUATION, total_cost=100_000_000
    )
    application = application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)
    return application


def assert_refused_at(errors, field):
    assert list(errors[field]) == [f"날짜는 2000-01-01부터 {latest().isoformat()}까지 입력할 수 있습니다."]


@pytest.mark.parametrize("day", OUT_OF_WINDOW)
def test_a_contribution_dated_out_of_the_window_is_refused(staff, day):
    program = ProgramFactory()
    body = {
        "program": program.pk,
        "amount": 1_000_000,
        "kind": "cash",
        "purpose": "build",
        "received_on": day,
    }

    response = api_client(staff).post("/api/v1/contributions/", body, format="json")

    assert response.status_code == 400
    assert_refused_at(response.json(), "received_on")
    assert not Contribution.objects.exists() and not LedgerEntry.objects.filter(program=program).exists()


@pytest.mark.parametrize("day", OUT_OF_WINDOW)
def test_a_payment_dated_out_of_the_window_is_refused(staff, selected, day):
    body = {"amount": 1_000_000, "kind": "advance", "paid_on": day}

    response = api_client(staff).post(
        f"/api/v1/applications/{selected.pk}/disbursements/", body, format="json"
    )

    assert response.status_code == 400
    assert_refused_at(response.json(), "paid_on")
    assert not Disbursement.objects.exists()


def test_the_pages_refuse_them_at_the_field(client, staff, selected):
    client.force_login(staff)
    data = {"amount": "50,000,000", "kind": "cash", "purpose": "build", "received_on": "9999-12-31"}
    response = client.post(f"/staff/programs/{selected.program_id}/fund/", data)
    assert response.status_code == 400
    assert_refused_at(response.context["form"].errors, "received_on")

    url = f"/staff/applications/{selected.pk}/disbursements/"
    response = client.post(url, {"amount": "1,000,000", "kind": "advance", "paid_on": "0001-01-01"})
    assert response.status_code == 400
    assert_refused_at(response.context["payment_form"].errors, "paid_on")
    assert not Contribution.objects.exists() and not Disbursement.objects.exists()


def test_the_window_edges_are_accepted(staff, selected):
    body = {"amount": 1_000_000, "kind": "advance", "paid_on": "2000-01-01"}
    assert (
        api_client(staff)
        .post(f"/api/v1/applications/{selected.pk}/disbursements/", body, format="json")
        .status_code
        == 201
    )
    body = {"program": selected.program_id, "amount": 1_000_000, "received_on": latest().isoformat()}
    assert api_client(staff).post("/api/v1/contributions/", body, format="json").status_code == 201


def test_the_payment_service_reads_a_written_date_as_the_field_does(staff, selected):
    """A caller may give the day as text ("2026-05-01"), as a DateField takes it on save: judged by
    the window as a date, never compared as text (a TypeError)."""
    disbursement_record(
        actor=staff, application=selected, amount=1_000_000, kind="advance", paid_on="2026-05-01"
    )
    assert Disbursement.objects.get(application=selected).paid_on == datetime.date(2026, 5, 1)
    with pytest.raises(ValidationError) as refused:
        disbursement_record(
            actor=staff, application=selected, amount=1_000_000, kind="final", paid_on="9999-12-31"
        )
    assert_refused_at(refused.value.message_dict, "paid_on")
    assert Disbursement.objects.filter(application=selected).count() == 1
