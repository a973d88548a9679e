"""The payments panel of the staff application page (funds/panels.py): alone, and re-drawn in place
by htmx when a payment is refused."""

import datetime

import pytest

from applicants.models import Application
from applicants.services import application_transition
from funds.models import Disbursement
from funds.services import disbursement_record
from tests.factories import ApplicationFactory, ProgramFactory, deposit_sme_share, fund_program

pytestmark = pytest.mark.django_db
S = Application.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


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


def test_the_panel_alone_shows_the_payments_and_what_is_owed(client, staff, selected):
    client.force_login(staff)
    response = client.get(f"/staff/applications/{selected.pk}/panels/payments/")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="panel-payments" class="panel">')
    assert "남은 약정액" in body and "60,000,000원" in body and "<html" not in body


def test_the_page_draws_the_panel_in_its_frame_with_the_old_anchor(client, staff, selected):
    client.force_login(staff)
    page = client.get(f"/staff/applications/{selected.pk}/").content.decode()
    assert '<div id="panel-payments" class="panel"><section class="card" id="payments">' in page
    assert f'hx-post="/staff/applications/{selected.pk}/disbursements/"' in page
    assert 'hx-target="#panel-payments"' in page and 'hx-swap="outerHTML"' in page


def test_a_refused_payment_answers_htmx_with_the_panel_alone_and_its_error(client, staff, selected):
    client.force_login(staff)
    url = f"/staff/applications/{selected.pk}/disbursements/"
    response = client.post(url, {"amount": "70,000,000", "kind": "final", "paid_on": "2026-06-01"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 400
    assert body.startswith('<div id="panel-payments" class="panel">') and "<html" not in body
    assert 'id="id_amount-error"' in body and "70,000,000" in body  # what was typed stays
    assert "처리 이력" not in body and "평가" not in body  # the rest of the page is not in it
    assert not Disbursement.objects.exists()


def test_a_recorded_payment_sends_htmx_to_the_page_again(client, staff, selected):
    client.force_login(staff)
    url = f"/staff/applications/{selected.pk}/disbursements/"
    response = client.post(url, {"amount": "1,000,000", "kind": "advance", "paid_on": "2026-05-01"}, **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == f"/staff/applications/{selected.pk}/"
    assert Disbursement.objects.count() == 1
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "지급을 기록했습니다." in page  # the message waits for the page


def test_the_panel_is_hidden_before_money_is_committed(client, staff):
    client.force_login(staff)
    application = ApplicationFactory(status=S.EVALUATION)
    assert 'id="panel-payments"' not in client.get(f"/staff/applications/{application.pk}/").content.decode()
    response = client.get(f"/staff/applications/{application.pk}/panels/payments/")
    assert response.content.decode() == '<div id="panel-payments" class="panel" hidden></div>'


def test_the_panel_runs_a_constant_number_of_queries(client, staff, selected, django_assert_num_queries):
    client.force_login(staff)
    url = f"/staff/applications/{selected.pk}/panels/payments/"

    def pay(n):
        for _ in range(n):
            disbursement_record(
                actor=staff,
                application=selected,
                amount=1_000_000,
                kind="advance",
                paid_on=datetime.date(2026, 5, 1),
            )

    pay(2)
    client.get(url)  # warm the session and content-type caches
    # session, user, the application, what is owed, the payments
    with django_assert_num_queries(5):
        client.get(url)
    pay(10)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count("<tr><td>2026.\u00a05.\u00a01.</td>") == 12
