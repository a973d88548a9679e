"""Money pages: a program's fund page (staff), payments on the application page (`/sponsor/`:
reports/tests/test_dashboard_pages.py)."""

import datetime

import pytest

from applicants.models import Application
from applicants.services import application_transition
from funds.models import Contribution, Disbursement, LedgerEntry
from funds.selectors import fund_balances
from funds.services import contribution_record, disbursement_record
from tests.factories import (
    ApplicationFactory,
    ProgramFactory,
    deposit_sme_share,
    fund_program,
    user_with_role,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def selected(staff):
    program = ProgramFactory()
    fund_program(program, sponsor=300_000_000, government=300_000_000)
    application = ApplicationFactory(
        program=program, status=S.EVALUATION, total_cost=100_000_000, level="basic"
    )
    application = application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)
    return application


def test_staff_record_a_contribution_on_the_fund_page(client, staff, selected):
    program = selected.program
    client.force_login(staff)
    page = client.get(f"/staff/programs/{program.pk}/fund/").content.decode()
    assert "300,000,000원" in page and selected.title in page
    before = fund_balances(program_id=program.pk)["sponsor"].total
    data = {"amount": "50,000,000", "kind": "cash", "purpose": "build", "received_on": "2026-03-02"}
    response = client.post(f"/staff/programs/{program.pk}/fund/", data)
    assert response.status_code == 302
    assert fund_balances(program_id=program.pk)["sponsor"].total == before + 50_000_000
    assert Contribution.objects.get().sponsor == program.sponsor


def test_an_in_kind_contribution_past_20_percent_is_refused_on_its_field(client, staff):
    program = ProgramFactory()
    client.force_login(staff)
    data = {"amount": "10,000,000", "kind": "in_kind", "purpose": "build", "received_on": "2026-03-02"}
    response = client.post(f"/staff/programs/{program.pk}/fund/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_kind-error"' in page and "현물 출연은 이 사업 출연금의 20%까지입니다." in page
    assert not Contribution.objects.exists() and not LedgerEntry.objects.exists()


def test_staff_record_a_payment_split_between_the_pots(client, staff, selected):
    client.force_login(staff)
    page = client.get(f"/staff/applications/{selected.pk}/").content.decode()
    assert "남은 약정액" in page and "60,000,000원" in page
    url = f"/staff/applications/{selected.pk}/disbursements/"
    response = client.post(url, {"amount": "20,000,001", "kind": "advance", "paid_on": "2026-05-01"})
    assert response.status_code == 302
    payment = Disbursement.objects.get()
    assert (payment.gov_part, payment.sponsor_part) == (10_000_000, 10_000_001)
    too_much = client.post(url, {"amount": "40,000,000", "kind": "final", "paid_on": "2026-06-01"})
    assert too_much.status_code == 400
    assert "남은 약정액" in too_much.content.decode() and 'id="id_amount-error"' in too_much.content.decode()
    assert Disbursement.objects.count() == 1


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "mentor"])
def test_money_pages_are_404_to_other_roles(client, role, selected):
    user = user_with_role(role)
    client.force_login(user)
    assert client.get(f"/staff/programs/{selected.program_id}/fund/").status_code == 404
    response = client.post(
        f"/staff/applications/{selected.pk}/disbursements/",
        {"amount": "1000", "kind": "advance", "paid_on": "2026-05-01"},
    )
    assert response.status_code == 404
    assert not Disbursement.objects.exists()


def test_the_fund_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, staff):
    program = ProgramFactory()
    fund_program(program, government=10_000_000_000)

    def add(n):
        for _ in range(n):
            contribution_record(
                actor=staff, program=program, amount=50_000_000, kind="cash", purpose="build",
                received_on=datetime.date(2026, 3, 2),
            )  # fmt: skip
            application = ApplicationFactory(program=program, status=S.EVALUATION, total_cost=50_000_000)
            application_transition(application=application, action="select", actor=staff)
            disbursement_record(
                actor=staff, application=application, amount=10_000_000, kind="advance",
                paid_on=datetime.date(2026, 5, 1),
            )  # fmt: skip

    add(2)
    client.force_login(staff)
    url = f"/staff/programs/{program.pk}/fund/"
    client.get(url)  # warm the session and content-type caches
    # session, user, program, the ledger's count and page, commitments, balances
    with django_assert_num_queries(8):
        client.get(url)
    add(10)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["commitments"]) == 12
