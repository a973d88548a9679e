"""The settlement (정산, SPEC §18.3): its figures, confirmation, the settled final payment and
`complete`'s check."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from applicants import services as workflow
from applicants.models import Application
from config.errors import Conflict, DomainError, NotAllowed
from execution.models import Clawback, Settlement, SpendingLine
from execution.services.settlement import settlement_confirm
from execution.settlement import settlement_figures
from execution.tests.money_scenes import funded, line, other_agency_staff, pay
from funds.models import Pot
from funds.selectors import application_balances, fund_balances, ledger_totals_mismatches
from program.cost_share import split_cost
from program.models import AuditEvent, Notification
from projects.tests.scenes import inspection_for
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

S = SpendingLine.Status


@pytest.fixture
def building(staff):
    return funded(staff)


def test_open_figures_sum_the_lines_by_status_and_split_what_is_eligible(
    staff, building, django_assert_max_num_queries
):
    line(building, 50_000_000)
    line(building, 30_000_000)
    line(building, -2_000_000)  # a credit note counts as it is
    line(building, 5_000_000, S.DISALLOWED)
    line(building, 3_000_000, S.PENDING)
    pay(staff, building, 20_000_000)
    with django_assert_max_num_queries(4):
        figures = settlement_figures(application=building)
    assert figures.as_dict() == {
        "agreed_total": 100_000_000,
        "approved": 78_000_000,
        "disallowed": 5_000_000,
        "pending": 3_000_000,
        "eligible": 78_000_000,
        "shares": {"government": 23_400_000, "sponsor": 23_400_000, "sme": 31_200_000},
        "paid": {"government": 10_000_000, "sponsor": 10_000_000},
        "balance": {"government": 13_400_000, "sponsor": 13_400_000},
        "status": "open",
    }


def test_eligible_is_at_most_the_agreed_total(building):
    line(building, 120_000_000)
    figures = settlement_figures(application=building)
    assert figures.eligible == 100_000_000
    assert figures.shares == {"government": 30_000_000, "sponsor": 30_000_000, "sme": 40_000_000}


def test_nothing_approved_settles_nothing(building):
    line(building, -1_000_000)
    figures = settlement_figures(application=building)
    assert figures.eligible == 0
    assert figures.shares == {"government": 0, "sponsor": 0, "sme": 0}


def test_the_shares_are_the_programs_split_with_its_caps_and_rounding(staff):
    program = ProgramFactory(agency=staff.agency, capped_2022=True, rounding_unit=10_000)
    application = funded(staff, total=200_000_000, program=program)
    line(application, 150_005_555)
    figures = settlement_figures(application=application)
    split = split_cost(150_005_555, "basic", program.cost_share_policy())
    assert split.capped
    assert figures.shares == {"government": split.government, "sponsor": split.sponsor, "sme": split.sme}
    assert figures.shares["government"] == 42_000_000  # the basic level's cap
    assert sum(figures.shares.values()) == figures.eligible


def test_confirming_releases_what_is_committed_above_the_settled_share(staff, building):
    line(building, 78_000_000)
    pay(staff, building, 20_000_000)
    available = fund_balances(program_id=building.program_id)
    settlement = settlement_confirm(actor=staff, application=building)
    held = application_balances(application_id=building.pk)
    assert held[Pot.GOVERNMENT].committed_net == 23_400_000
    assert held[Pot.SPONSOR].committed_net == 23_400_000
    after = fund_balances(program_id=building.program_id)
    for pot in (Pot.GOVERNMENT, Pot.SPONSOR):
        assert after[pot].available == available[pot].available + 6_600_000
    assert (settlement.government, settlement.sponsor, settlement.sme) == (23_400_000, 23_400_000, 31_200_000)
    assert (settlement.paid_government, settlement.paid_sponsor) == (10_000_000, 10_000_000)
    assert not Clawback.objects.exists()
    assert settlement_figures(application=building).status == "confirmed"
    assert ledger_totals_mismatches() == []


def test_confirming_is_audited_and_told_to_the_sme_and_staff(staff, building):
    line(building, 100_000_000)
    settlement_confirm(actor=staff, application=building)
    event = AuditEvent.objects.get(action="settlement.confirm")
    assert event.after["status"] == "confirmed" and event.after["eligible"] == 100_000_000
    told = set(Notification.objects.filter(kind="settlement.confirm").values_list("user_id", flat=True))
    assert {building.owner.pk, staff.pk} <= told


def test_a_refund_opens_a_settlement_clawback_and_releases_nothing(staff, building):
    pay(staff, building, 60_000_000)  # everything committed paid in advance
    line(building, 50_000_000)
    settlement_confirm(actor=staff, application=building)
    clawback = Clawback.objects.get()
    assert clawback.reason == Clawback.Reason.SETTLEMENT
    assert (clawback.government, clawback.sponsor) == (15_000_000, 15_000_000)
    assert clawback.due_on == timezone.localdate() + datetime.timedelta(days=30)
    held = application_balances(application_id=building.pk)
    assert held[Pot.GOVERNMENT].released == 0
    assert settlement_figures(application=building).balance == {
        "government": -15_000_000,
        "sponsor": -15_000_000,
    }


def test_a_refund_already_claimed_by_a_clawback_is_not_claimed_twice(staff, building):
    from execution.services.clawbacks import clawback_open

    pay(staff, building, 60_000_000)
    line(building, 50_000_000)
    clawback_open(
        actor=staff,
        application=building,
        reason="false_evidence",
        government=5_000_000,
        sponsor=5_000_000,
        due_on=datetime.date(2026, 12, 31),
    )
    settlement_confirm(actor=staff, application=building)
    refund = Clawback.objects.get(reason=Clawback.Reason.SETTLEMENT)
    assert (refund.government, refund.sponsor) == (10_000_000, 10_000_000)


def test_pending_lines_keep_the_settlement_open(staff, building):
    line(building, 10_000_000, S.PENDING)
    with pytest.raises(Conflict) as refused:
        settlement_confirm(actor=staff, application=building)
    assert refused.value.code == "spending_pending"
    assert not Settlement.objects.exists()


def test_only_a_project_being_built_or_inspected_settles(staff):
    application = funded(staff, status=Application.Status.AGREEMENT)
    with pytest.raises(Conflict) as refused:
        settlement_confirm(actor=staff, application=application)
    assert refused.value.code == "not_settleable"


def test_a_settlement_is_confirmed_once(staff, building):
    settlement_confirm(actor=staff, application=building)
    with pytest.raises(Conflict) as refused:
        settlement_confirm(actor=staff, application=building)
    assert refused.value.code == "settlement_confirmed"


def test_the_ministry_may_not_confirm_and_another_agency_does_not_see_it(building):
    with pytest.raises(NotAllowed):
        settlement_confirm(actor=UserFactory(role="ministry"), application=building)
    with pytest.raises(Http404):
        settlement_confirm(actor=other_agency_staff(), application=building)
    assert not Settlement.objects.exists()


def test_confirmed_figures_are_what_was_confirmed(staff, building):
    line(building, 78_000_000)
    settlement_confirm(actor=staff, application=building)
    line(building, 10_000_000)  # nothing recorded later moves a confirmed settlement
    figures = settlement_figures(application=building)
    assert figures.approved == 78_000_000 and figures.eligible == 78_000_000


def test_after_confirmation_the_final_payment_pays_each_pot_its_balance(staff, building):
    line(building, 78_000_000)
    pay(staff, building, 20_000_000)
    settlement_confirm(actor=staff, application=building)
    payment = pay(staff, building, 26_800_000, kind="final")
    assert (payment.gov_part, payment.sponsor_part) == (13_400_000, 13_400_000)
    assert settlement_figures(application=building).balance == {"government": 0, "sponsor": 0}
    assert ledger_totals_mismatches() == []


@pytest.mark.parametrize(
    ("amount", "kind"), [(26_799_999, "final"), (26_800_001, "final"), (26_800_000, "advance")]
)
def test_any_other_payment_after_confirmation_is_refused(staff, building, amount, kind):
    line(building, 78_000_000)
    pay(staff, building, 20_000_000)
    settlement_confirm(actor=staff, application=building)
    with pytest.raises((DomainError, ValidationError)) as refused:
        pay(staff, building, amount, kind=kind)
    if isinstance(refused.value, DomainError):
        assert refused.value.code in ("final_amount", "exceeds_commitment")
        assert refused.value.status_code in (400, 409)


def test_the_api_answers_a_wrong_final_payment_with_its_code(staff, building):
    from django.urls import reverse

    from tests.factories import api_client

    line(building, 78_000_000)
    settlement_confirm(actor=staff, application=building)
    url = reverse("application-disbursements", kwargs={"pk": building.pk})
    answer = api_client(staff).post(
        url, {"amount": 1_000, "kind": "final", "paid_on": "2026-09-01"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "final_amount"


def test_complete_needs_a_confirmed_settlement(staff):
    application = funded(staff, status=Application.Status.COMPLETION_REVIEW)
    inspection_for(application)
    with pytest.raises(Conflict) as refused:
        workflow.application_transition(application=application, action="complete", actor=staff)
    assert refused.value.code == "settlement_open"
    settlement_confirm(actor=staff, application=application)
    workflow.application_transition(application=application, action="complete", actor=staff)
    application.refresh_from_db()
    assert application.status == Application.Status.COMPLETED
