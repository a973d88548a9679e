"""Clawbacks (환수, SPEC §18.4): opening, collecting into the ledger as `recovery`, closing as
uncollectable, and the clawback a termination opens (SPEC §4)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from applicants import services as workflow
from applicants.models import Application, ParticipationBan
from config.errors import Conflict, NotAllowed
from execution.models import Clawback, ClawbackCollection
from execution.services.clawbacks import clawback_collect, clawback_open, clawback_uncollectable
from execution.tests.money_scenes import funded, other_agency_staff, pay
from funds.models import LedgerEntry, Pot
from funds.selectors import application_balances, fund_balances, ledger_totals_mismatches
from program.models import AuditEvent, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 12, 31)
COLLECTED_ON = datetime.date(2026, 10, 1)


@pytest.fixture
def paid(staff):
    """A project being built that was paid 20,000,000 (10,000,000 from each pot)."""
    application = funded(staff)
    pay(staff, application, 20_000_000)
    return application


def open_clawback(staff, application, government=6_000_000, sponsor=4_000_000, **fields) -> Clawback:
    fields.setdefault("reason", "false_evidence")
    fields.setdefault("due_on", DUE)
    return clawback_open(
        actor=staff, application=application, government=government, sponsor=sponsor, **fields
    )


def test_staff_open_a_clawback_audited_and_told_to_the_company(staff, paid):
    clawback = open_clawback(staff, paid)
    assert (clawback.status, clawback.amount, clawback.created_by) == ("open", 10_000_000, staff)
    event = AuditEvent.objects.get(action="clawback.open")
    assert event.after["government"] == 6_000_000 and event.after["reason"] == "false_evidence"
    assert Notification.objects.filter(user=paid.owner, kind="clawback.open").exists()


@pytest.mark.parametrize(
    ("government", "sponsor", "field"),
    [
        (10_000_001, 0, "government"),  # more than the government pot paid
        (0, 10_000_001, "sponsor"),
        (0, 0, "government"),  # nothing to claw back
        (-1, 5, "government"),
        (True, 5, "government"),
    ],
)
def test_each_amount_is_at_most_what_its_pot_paid(staff, paid, government, sponsor, field):
    with pytest.raises(ValidationError) as refused:
        open_clawback(staff, paid, government, sponsor)
    assert field in refused.value.message_dict
    assert not Clawback.objects.exists()


def test_what_other_clawbacks_claim_is_no_longer_clawable(staff, paid):
    open_clawback(staff, paid, 6_000_000, 0)
    with pytest.raises(ValidationError) as refused:
        open_clawback(staff, paid, 4_000_001, 0)
    assert "government" in refused.value.message_dict
    open_clawback(staff, paid, 4_000_000, 0)


def test_an_uncollectable_clawback_claims_nothing_more(staff, paid):
    clawback = open_clawback(staff, paid, 10_000_000, 0)
    clawback_uncollectable(actor=staff, clawback=clawback, note="폐업으로 회수 불가")
    open_clawback(staff, paid, 10_000_000, 0)


def test_the_reason_and_the_due_date_are_checked(staff, paid):
    with pytest.raises(ValidationError) as refused:
        open_clawback(staff, paid, reason="whim")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        open_clawback(staff, paid, due_on="2026-12-31")
    assert "due_on" in refused.value.message_dict


def test_the_ministry_may_not_open_and_another_agency_does_not_see_it(paid):
    with pytest.raises(NotAllowed):
        open_clawback(UserFactory(role="ministry"), paid)
    with pytest.raises(Http404):
        open_clawback(other_agency_staff(), paid)
    assert not Clawback.objects.exists()


@pytest.mark.xfail(strict=False, reason="part C: applicants.services.bans.ban_record")
def test_a_clawback_with_ban_records_a_company_ban(staff, paid):
    clawback = open_clawback(staff, paid, ban=True)
    ban = ParticipationBan.objects.get()
    assert ban.business_number == paid.company.business_number
    assert ban.subject_type == "company"
    assert clawback.ban


def test_a_collection_is_split_pro_rata_and_recovered_into_the_pots(staff, paid):
    clawback = open_clawback(staff, paid)  # 6,000,000 + 4,000,000
    before = fund_balances(program_id=paid.program_id)
    collection = clawback_collect(actor=staff, clawback=clawback, amount=2_500_001, collected_on=COLLECTED_ON)
    assert (collection.gov_part, collection.sponsor_part) == (1_500_000, 1_000_001)
    after = fund_balances(program_id=paid.program_id)
    assert after[Pot.GOVERNMENT].available == before[Pot.GOVERNMENT].available + 1_500_000
    assert after[Pot.SPONSOR].available == before[Pot.SPONSOR].available + 1_000_001
    assert after[Pot.GOVERNMENT].recovered == 1_500_000
    clawback.refresh_from_db()
    assert (clawback.collected_government, clawback.collected_sponsor, clawback.status) == (
        1_500_000,
        1_000_001,
        "open",
    )
    entries = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RECOVERY, application=paid)
    assert sorted(entries.values_list("pot", "amount")) == [("government", 1_500_000), ("sponsor", 1_000_001)]
    assert AuditEvent.objects.filter(action="clawback.collect").count() == 1
    assert ledger_totals_mismatches() == []


def test_collecting_everything_closes_the_clawback_without_passing_a_pot(staff, paid):
    clawback = open_clawback(staff, paid, 1, 2)
    for _ in range(3):
        clawback_collect(actor=staff, clawback=clawback, amount=1, collected_on=COLLECTED_ON)
    clawback.refresh_from_db()
    assert (clawback.collected_government, clawback.collected_sponsor) == (1, 2)
    assert clawback.status == "collected" and clawback.closed_at is not None
    with pytest.raises(Conflict) as refused:
        clawback_collect(actor=staff, clawback=clawback, amount=1, collected_on=COLLECTED_ON)
    assert refused.value.code == "clawback_closed"


@pytest.mark.parametrize("amount", [0, -5, 10_000_001, 1.5])
def test_a_collection_is_a_whole_positive_amount_within_what_remains(staff, paid, amount):
    clawback = open_clawback(staff, paid)
    with pytest.raises(ValidationError) as refused:
        clawback_collect(actor=staff, clawback=clawback, amount=amount, collected_on=COLLECTED_ON)
    assert "amount" in refused.value.message_dict
    assert not ClawbackCollection.objects.exists()


def test_the_ministry_may_not_collect(paid, staff):
    clawback = open_clawback(staff, paid)
    with pytest.raises(NotAllowed):
        clawback_collect(
            actor=UserFactory(role="ministry"), clawback=clawback, amount=1, collected_on=COLLECTED_ON
        )


def test_uncollectable_needs_a_note_and_closes_the_clawback(staff, paid):
    clawback = open_clawback(staff, paid)
    with pytest.raises(ValidationError) as refused:
        clawback_uncollectable(actor=staff, clawback=clawback, note="  ")
    assert "note" in refused.value.message_dict
    clawback = clawback_uncollectable(actor=staff, clawback=clawback, note="파산 선고")
    assert clawback.status == "uncollectable" and clawback.closed_at is not None
    assert AuditEvent.objects.get(action="clawback.uncollectable").note == "파산 선고"
    with pytest.raises(Conflict):
        clawback_uncollectable(actor=staff, clawback=clawback, note="again")


def test_terminating_a_paid_project_claws_back_what_was_paid(staff, paid):
    workflow.application_transition(application=paid, action="terminate", actor=staff, note="허위 완료보고")
    clawback = Clawback.objects.get()
    assert clawback.reason == Clawback.Reason.ABANDONMENT
    assert (clawback.government, clawback.sponsor) == (10_000_000, 10_000_000)
    held = application_balances(application_id=paid.pk)
    assert held[Pot.GOVERNMENT].outstanding == 0 and held[Pot.SPONSOR].outstanding == 0


def test_terminating_claws_back_only_what_no_clawback_claims_yet(staff, paid):
    open_clawback(staff, paid, 10_000_000, 0)
    workflow.application_transition(application=paid, action="terminate", actor=staff, note="협약 위반")
    clawback = Clawback.objects.get(reason=Clawback.Reason.ABANDONMENT)
    assert (clawback.government, clawback.sponsor) == (0, 10_000_000)


def test_terminating_an_unpaid_project_opens_no_clawback(staff):
    application = funded(staff, status=Application.Status.AGREEMENT)
    workflow.application_transition(
        application=application, action="terminate", actor=staff, note="사업 포기"
    )
    assert not Clawback.objects.exists()
