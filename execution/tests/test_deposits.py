"""The SME's deposits (기업부담금, SPEC §18.2): staff record them; `start_build` needs one; a payment
needs the SME's share deposited in proportion (409 `sme_share_unpaid`)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from applicants.models import Application
from applicants.services import application_transition
from config.errors import Conflict, NotAllowed
from execution.models import Deposit
from execution.services.deposits import deposit_record, payment_rule, sme_share_required
from execution.tests.test_spending import make_building, pdf
from funds.models import CostShare, Disbursement
from funds.services import disbursement_record
from program.models import AuditEvent
from tests.factories import AgencyFactory, DepositFactory, UserFactory

pytestmark = pytest.mark.django_db

S = Application.Status
DAY = datetime.date(2026, 3, 10)


def deposit(application, staff, amount=10_000_000, **extra):
    return deposit_record(actor=staff, application=application, amount=amount, deposited_on=DAY, **extra)


@pytest.mark.parametrize("status", [S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW])
def test_staff_record_a_deposit_from_selection_to_the_completion_review(status):
    application, _, staff = make_building(status=status)

    recorded = deposit(application, staff, document=pdf("입금확인증.pdf"))

    assert recorded.amount == 10_000_000 and recorded.recorded_by == staff
    assert recorded.document.name.startswith(f"private/deposits/{application.pk}/")
    event = AuditEvent.objects.get(action="deposit.record")
    assert event.after == {"application": application.pk, "amount": 10_000_000, "deposited_on": "2026-03-10",
                           "total": 10_000_000}  # fmt: skip


def test_a_deposit_needs_no_document():
    application, _, staff = make_building()

    assert not deposit(application, staff).document


@pytest.mark.parametrize("status", [S.COMPLETED, S.TERMINATED, S.WITHDRAWN, S.EVALUATION])
def test_no_deposit_outside_those_states(status):
    application, _, staff = make_building(status=status)

    with pytest.raises(Conflict) as error:
        deposit(application, staff)

    assert error.value.code == "not_depositable"


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("amount", {"amount": 0}),
        ("amount", {"amount": -5}),
        ("amount", {"amount": "100"}),
        ("amount", {"amount": 10_000_000_001}),
        ("deposited_on", {"deposited_on": None}),
        ("deposited_on", {"deposited_on": datetime.date(1999, 1, 1)}),
        ("document", {"document": SimpleUploadedFile("a.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")}),
        ("document", {"document": SimpleUploadedFile("a.png", b"%PDF-1.4")}),
    ],
)
def test_bad_input_is_refused_at_its_field(field, values):
    application, _, staff = make_building()

    with pytest.raises(ValidationError) as error:
        deposit_record(actor=staff, application=application, **({"amount": 1, "deposited_on": DAY} | values))

    assert field in error.value.message_dict
    assert not Deposit.objects.exists()


@pytest.mark.parametrize("who", ["ministry", "owner", "sponsor"])
def test_only_the_agency_staff_record(who):
    application, owner, _ = make_building()
    user = {
        "ministry": UserFactory(role="ministry"),
        "owner": owner,
        "sponsor": UserFactory(role="sponsor", sponsor=application.program.sponsor),
    }[who]

    with pytest.raises(NotAllowed):
        deposit(application, user)


def test_another_agency_staff_get_404():
    application, _, _ = make_building()

    with pytest.raises(Http404):
        deposit(application, UserFactory(agency=AgencyFactory(name="중소기업중앙회")))


def test_start_build_needs_a_deposit():
    application, _, staff = make_building(status=S.AGREEMENT)

    with pytest.raises(Conflict) as error:
        application_transition(application=application, action="start_build", actor=staff)
    application.refresh_from_db()
    assert error.value.code == "deposit_required" and application.status == S.AGREEMENT

    deposit(application, staff, amount=1)
    application = application_transition(application=application, action="start_build", actor=staff)

    assert application.status == S.BUILDING


# --- the payment rule: 100,000,000 at 30/30/40 → government 30M, sponsor 30M, SME 40M ----------------


def test_the_required_deposit_is_the_smes_share_in_proportion_rounded_down():
    share = CostShare(total=100, government=30, sponsor=30, sme=40)

    assert sme_share_required(share=share, paid_after=60) == 40
    assert sme_share_required(share=share, paid_after=1) == 0  # 40/60, rounded down
    assert sme_share_required(share=share, paid_after=2) == 1


def pay(application, staff, amount):
    return disbursement_record(
        actor=staff, application=application, amount=amount, kind="advance", paid_on=DAY
    )


def test_a_payment_waits_for_the_smes_share():
    application, _, staff = make_building()
    DepositFactory(application=application, amount=9_999_999)

    with pytest.raises(Conflict) as error:
        pay(application, staff, 15_000_000)  # needs 40M × 15M / 60M = 10M deposited

    assert error.value.code == "sme_share_unpaid"
    assert error.value.data == {"required": 10_000_000, "deposited": 9_999_999, "shortfall": 1}
    assert "1원" in str(error.value.message)
    assert not Disbursement.objects.exists()


def test_a_payment_counts_what_the_pots_paid_before():
    application, _, staff = make_building()
    DepositFactory(application=application, amount=10_000_000)
    pay(application, staff, 15_000_000)

    with pytest.raises(Conflict):
        pay(application, staff, 1_500)  # 40M × 15,001,500 / 60M = 10,001,000 > 10M
    DepositFactory(application=application, amount=1_000)
    pay(application, staff, 1_500)

    assert Disbursement.objects.count() == 2


def test_a_payment_of_everything_needs_the_whole_share():
    application, _, staff = make_building()
    DepositFactory(application=application, amount=40_000_000)

    pay(application, staff, 60_000_000)

    assert Disbursement.objects.get().amount == 60_000_000


def test_no_check_when_the_government_and_the_sponsor_pay_nothing():
    application, _, _ = make_building()
    CostShare.objects.filter(application=application).update(government=0, sponsor=0, sme=100_000_000)

    assert payment_rule(application=application, amount=1, kind="advance", paid={}, parts=(0, 1)) is None


def test_the_payment_answers_409_through_the_api():
    from tests.factories import api_client

    application, _, staff = make_building()

    response = api_client(staff).post(
        f"/api/v1/applications/{application.pk}/disbursements/",
        {"amount": 6_000_000, "kind": "advance", "paid_on": "2026-03-10"},
        format="json",
    )

    assert response.status_code == 409
    assert response.data["code"] == "sme_share_unpaid" and response.data["shortfall"] == 4_000_000
