"""Agreement changes (협약변경, SPEC §16): the rules of asking and of applying, at and past every edge."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from config.errors import Conflict, DomainError, InsufficientFunds, NotAllowed
from funds.models import CostShare, Disbursement, LedgerEntry, Pot
from funds.selectors import application_balances, fund_balances
from funds.services import disbursement_record
from program.models import AuditEvent, Notification
from projects.models import Agreement, AgreementChange
from projects.services.changes import change_approve, change_reject, change_request
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ParticipationBanFactory,
    ProgramFactory,
    SupplierFactory,
    UserFactory,
    deposit_sme_share,
    fund_program,
)

pytestmark = pytest.mark.django_db

S = Application.Status
Kind = AgreementChange.Kind
STARTS = datetime.date(2026, 3, 1)
ENDS = datetime.date(2026, 9, 30)  # a month before: 2026-08-30
TODAY = datetime.date(2026, 6, 15)
POT = 100_000_000


def make_project(*, status=S.AGREEMENT, pot=POT, total_cost=100_000_000, agreement_status="countersigned"):
    """A selected application (its split committed from the pots) under a signed agreement."""
    program = ProgramFactory()
    fund_program(program, sponsor=pot, government=pot)
    owner = UserFactory(applicant=True)
    staff = UserFactory(agency=program.agency)
    application = ApplicationFactory(
        evaluation=True, program=program, company=owner.company, total_cost=total_cost
    )
    application = application_transition(application=application, action="select", actor=staff)
    supplier = SupplierFactory()
    Agreement.objects.create(
        application=application,
        status=agreement_status,
        starts_on=STARTS,
        original_ends_on=ENDS,
        ends_on=ENDS,
        kpi_targets=[{"kpi": "productivity", "baseline": "100", "target": "120"}],
        supplier=supplier,
    )
    Application.objects.filter(pk=application.pk).update(status=status, supplier=supplier)
    application.refresh_from_db()
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)
    return application, owner, staff


def ask(application, owner, kind=Kind.PLAN, *, cause_on=TODAY, today=TODAY, **values):
    return change_request(
        actor=owner,
        application=application,
        kind=kind,
        cause_on=cause_on,
        reason="설비 납기 지연",
        today=today,
        **values,
    )


def pending(application, staff, owner, kind, **values):
    return ask(application, owner, kind, **values)


# ---- asking: timing (세부관리기준 제29조)


def test_a_change_filed_on_the_15th_day_after_its_cause_is_taken():
    application, owner, _ = make_project()

    change = ask(application, owner, cause_on=TODAY - datetime.timedelta(days=15))

    assert change.status == AgreementChange.Status.PENDING
    assert AuditEvent.objects.filter(action="agreement_change.request", object_id=change.pk).exists()


def test_a_change_filed_on_the_16th_day_is_too_late():
    application, owner, _ = make_project()

    with pytest.raises(DomainError) as refused:
        ask(application, owner, cause_on=TODAY - datetime.timedelta(days=16))

    assert refused.value.code == "too_late" and refused.value.status_code == 400
    assert not AgreementChange.objects.exists()


def test_a_cause_in_the_future_is_refused():
    application, owner, _ = make_project()

    with pytest.raises(ValidationError) as refused:
        ask(application, owner, cause_on=TODAY + datetime.timedelta(days=1))

    assert "cause_on" in refused.value.message_dict


def test_exactly_one_month_before_the_end_is_still_in_time():
    application, owner, _ = make_project()
    day = datetime.date(2026, 8, 30)

    change = ask(application, owner, cause_on=day, today=day)

    assert change.pk


def test_a_day_after_one_month_before_the_end_is_too_late():
    application, owner, _ = make_project()
    day = datetime.date(2026, 8, 31)

    with pytest.raises(DomainError) as refused:
        ask(application, owner, cause_on=day, today=day)

    assert refused.value.code == "too_late"


def test_one_month_before_a_month_end_is_counted_in_calendar_months():
    # 31 March → 28 February (no 31 February): the 28th is in time, 1 March is not.
    application, owner, _ = make_project()
    Agreement.objects.filter(application=application).update(
        starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2027, 3, 31)
    )

    assert ask(application, owner, cause_on=datetime.date(2027, 2, 28), today=datetime.date(2027, 2, 28))
    AgreementChange.objects.all().delete()
    with pytest.raises(DomainError):
        ask(application, owner, cause_on=datetime.date(2027, 3, 1), today=datetime.date(2027, 3, 1))


# ---- asking: who, when, what


def test_only_the_owner_asks():
    application, _, staff = make_project()

    with pytest.raises(NotAllowed):
        ask(application, staff)


@pytest.mark.parametrize("status", [S.SELECTED, S.COMPLETION_REVIEW])
def test_it_is_asked_only_while_the_agreement_runs(status):
    application, owner, _ = make_project(status=status)

    with pytest.raises(Conflict) as refused:
        ask(application, owner)

    assert refused.value.code == "not_changeable"


def test_it_needs_a_countersigned_agreement():
    application, owner, _ = make_project(agreement_status="signed_by_sme")

    with pytest.raises(Conflict) as refused:
        ask(application, owner)

    assert refused.value.code == "agreement_unsigned"


def test_it_is_asked_during_the_build_too():
    application, owner, _ = make_project(status=S.BUILDING)

    assert ask(application, owner).pk


def test_one_pending_change_of_a_kind_at_a_time():
    application, owner, _ = make_project()
    ask(application, owner)

    with pytest.raises(Conflict) as refused:
        ask(application, owner)

    assert refused.value.code == "change_pending"
    assert ask(application, owner, Kind.COST, new_total_cost=90_000_000).pk  # another kind is fine


def test_staff_of_the_agency_are_told():
    application, owner, staff = make_project()

    ask(application, owner)

    assert Notification.objects.filter(user=staff, kind="agreement_change.request").exists()


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        (Kind.EXTENSION, {}, "new_ends_on"),
        (Kind.EXTENSION, {"new_ends_on": ENDS}, "new_ends_on"),
        (Kind.SUPPLIER, {}, "new_supplier"),
        (Kind.COST, {}, "new_total_cost"),
        (Kind.COST, {"new_total_cost": 0}, "new_total_cost"),
        (Kind.COST, {"new_total_cost": 10_000_000_001}, "new_total_cost"),
        (Kind.COST, {"new_total_cost": 100_000_000}, "new_total_cost"),  # the same as now
    ],
)
def test_each_kind_needs_its_new_value(kind, values, field):
    application, owner, _ = make_project()

    with pytest.raises(ValidationError) as refused:
        ask(application, owner, kind, **values)

    assert field in refused.value.message_dict
    assert not AgreementChange.objects.exists()


def test_the_supplier_must_be_another_one():
    application, owner, _ = make_project()

    with pytest.raises(ValidationError):
        ask(application, owner, Kind.SUPPLIER, new_supplier=application.agreement.supplier)


def test_a_reason_is_required():
    application, owner, _ = make_project()

    with pytest.raises(ValidationError) as refused:
        change_request(
            actor=owner, application=application, kind=Kind.PLAN, cause_on=TODAY, reason=" ", today=TODAY
        )

    assert "reason" in refused.value.message_dict


# ---- the extension limit


def test_extensions_may_reach_the_limit_exactly():
    application, owner, staff = make_project()  # ends 2026-09-30, 3 months at most: 2026-12-30
    first = ask(application, owner, Kind.EXTENSION, new_ends_on=datetime.date(2026, 11, 30))
    change_approve(actor=staff, change=first)

    second = ask(application, owner, Kind.EXTENSION, new_ends_on=datetime.date(2026, 12, 30))
    change_approve(actor=staff, change=second)

    agreement = Agreement.objects.get(application=application)
    assert agreement.ends_on == datetime.date(2026, 12, 30)
    assert agreement.original_ends_on == ENDS


def test_extensions_past_the_limit_are_refused():
    application, owner, staff = make_project()
    change_approve(
        actor=staff, change=ask(application, owner, Kind.EXTENSION, new_ends_on=datetime.date(2026, 11, 30))
    )

    with pytest.raises(DomainError) as refused:
        ask(application, owner, Kind.EXTENSION, new_ends_on=datetime.date(2026, 12, 31))

    assert refused.value.code == "extension_limit" and refused.value.status_code == 400


def test_the_limit_is_the_programs():
    application, owner, _ = make_project()
    application.program.max_extension_months = 1
    application.program.save()

    with pytest.raises(DomainError) as refused:
        ask(application, owner, Kind.EXTENSION, new_ends_on=datetime.date(2026, 10, 31))

    assert refused.value.code == "extension_limit"
    assert ask(application, owner, Kind.EXTENSION, new_ends_on=datetime.date(2026, 10, 30)).pk


# ---- deciding


def test_an_approved_extension_moves_the_end():
    application, owner, staff = make_project()
    change = ask(application, owner, Kind.EXTENSION, new_ends_on=datetime.date(2026, 11, 30))

    change = change_approve(actor=staff, change=change, note="납기 지연 확인")

    assert Agreement.objects.get(application=application).ends_on == datetime.date(2026, 11, 30)
    assert change.status == "approved" and change.decided_by == staff
    assert change.previous == {"ends_on": "2026-09-30"}
    event = AuditEvent.objects.get(action="agreement_change.approve")
    assert event.before["ends_on"] == "2026-09-30" and event.after["ends_on"] == "2026-11-30"
    assert Notification.objects.filter(user=owner, kind="agreement_change.approve").exists()


def test_an_approved_supplier_change_moves_the_supplier():
    application, owner, staff = make_project()
    new = SupplierFactory()
    # A ban of the supplier that ended yesterday, and one lifted today, no longer cover today.
    ParticipationBanFactory(
        subject_type="supplier", business_number=new.business_number,
        starts_on=datetime.date(2020, 1, 1), ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    ParticipationBanFactory(
        subject_type="supplier", business_number=new.business_number, lifted_on=timezone.localdate()
    )

    change_approve(actor=staff, change=ask(application, owner, Kind.SUPPLIER, new_supplier=new))

    application.refresh_from_db()
    assert Agreement.objects.get(application=application).supplier == new
    assert application.supplier == new


def test_a_banned_supplier_is_refused_and_nothing_changes():
    """참여제한 (SPEC §15.2): asked before the ban, the change is refused on the day of approval."""
    application, owner, staff = make_project()
    old = application.agreement.supplier
    new = SupplierFactory()
    change = ask(application, owner, Kind.SUPPLIER, new_supplier=new)
    ParticipationBanFactory(subject_type="supplier", business_number=new.business_number, ends_on=None)

    with pytest.raises(ValidationError) as refused:
        change_approve(actor=staff, change=change)

    assert "참여제한" in refused.value.message_dict["new_supplier"][0]
    assert "영구" in refused.value.message_dict["new_supplier"][0]
    assert Agreement.objects.get(application=application).supplier == old
    assert AgreementChange.objects.get().status == "pending"


def test_a_plan_change_is_recorded_only():
    application, owner, staff = make_project()

    change = change_approve(actor=staff, change=ask(application, owner))

    assert change.status == "approved" and change.previous == {}


def test_a_cost_increase_with_enough_money_commits_the_difference():
    application, owner, staff = make_project()  # 100,000,000: 30,000,000 from each pot
    change = ask(application, owner, Kind.COST, new_total_cost=150_000_000)

    change_approve(actor=staff, change=change)

    application.refresh_from_db()
    share = CostShare.objects.get(application=application)
    assert (application.total_cost, share.government, share.sponsor) == (150_000_000, 45_000_000, 45_000_000)
    held = application_balances(application_id=application.pk)
    assert held[Pot.GOVERNMENT].committed_net == held[Pot.SPONSOR].committed_net == 45_000_000
    assert fund_balances(program_id=application.program_id)[Pot.SPONSOR].available == POT - 45_000_000
    change.refresh_from_db()
    assert change.previous["total_cost"] == 100_000_000 and change.previous["government"] == 30_000_000


def test_a_cost_increase_the_pots_cannot_cover_changes_nothing():
    application, owner, staff = make_project(pot=40_000_000)  # 10,000,000 left in each pot
    change = ask(application, owner, Kind.COST, new_total_cost=150_000_000)
    entries = LedgerEntry.objects.count()

    with pytest.raises(InsufficientFunds) as refused:
        change_approve(actor=staff, change=change)

    assert refused.value.code == "insufficient_funds" and refused.value.status_code == 409
    application.refresh_from_db()
    assert application.total_cost == 100_000_000
    assert CostShare.objects.get(application=application).government == 30_000_000
    assert LedgerEntry.objects.count() == entries
    assert AgreementChange.objects.get().status == "pending"


def test_a_cost_decrease_releases_the_difference():
    application, owner, staff = make_project()

    change_approve(actor=staff, change=ask(application, owner, Kind.COST, new_total_cost=60_000_000))

    held = application_balances(application_id=application.pk)
    assert held[Pot.GOVERNMENT].released == held[Pot.SPONSOR].released == 12_000_000
    assert held[Pot.GOVERNMENT].committed_net == 18_000_000
    assert fund_balances(program_id=application.program_id)[Pot.GOVERNMENT].available == POT - 18_000_000


def test_a_cost_decrease_below_what_was_paid_is_refused():
    application, owner, staff = make_project()
    disbursement_record(
        actor=staff, application=application, amount=50_000_000, kind=Disbursement.Kind.ADVANCE, paid_on=TODAY
    )  # 25,000,000 from each pot
    change = ask(application, owner, Kind.COST, new_total_cost=60_000_000)  # 18,000,000 each

    with pytest.raises(Conflict) as refused:
        change_approve(actor=staff, change=change)

    assert refused.value.code == "below_paid"
    assert Application.objects.get(pk=application.pk).total_cost == 100_000_000


def test_a_cost_decrease_down_to_what_was_paid_is_taken():
    application, owner, staff = make_project()
    disbursement_record(
        actor=staff, application=application, amount=36_000_000, kind=Disbursement.Kind.ADVANCE, paid_on=TODAY
    )  # 18,000,000 from each pot

    change_approve(actor=staff, change=ask(application, owner, Kind.COST, new_total_cost=60_000_000))

    held = application_balances(application_id=application.pk)
    assert held[Pot.GOVERNMENT].outstanding == held[Pot.SPONSOR].outstanding == 0


def test_a_rejection_needs_a_note_and_changes_nothing():
    application, owner, staff = make_project()
    change = ask(application, owner, Kind.EXTENSION, new_ends_on=datetime.date(2026, 11, 30))

    with pytest.raises(ValidationError):
        change_reject(actor=staff, change=change, note="")
    change = change_reject(actor=staff, change=change, note="사유 불충분")

    assert change.status == "rejected" and change.note == "사유 불충분"
    assert Agreement.objects.get(application=application).ends_on == ENDS
    assert AuditEvent.objects.filter(action="agreement_change.reject").exists()
    assert Notification.objects.filter(user=owner, kind="agreement_change.reject").exists()


def test_a_decided_change_is_not_decided_again():
    application, owner, staff = make_project()
    change = ask(application, owner, Kind.COST, new_total_cost=150_000_000)
    change_approve(actor=staff, change=change)
    entries = LedgerEntry.objects.count()

    with pytest.raises(Conflict) as refused:
        change_approve(actor=staff, change=change)
    with pytest.raises(Conflict):
        change_reject(actor=staff, change=change, note="x")

    assert refused.value.code == "change_decided"
    assert LedgerEntry.objects.count() == entries


@pytest.mark.parametrize("who", ["owner", "ministry"])
def test_only_staff_decide(who):
    application, owner, _ = make_project()
    change = ask(application, owner)
    actor = owner if who == "owner" else UserFactory(ministry=True)

    with pytest.raises(NotAllowed):
        change_approve(actor=actor, change=change)

    assert AgreementChange.objects.get().status == "pending"


def test_staff_of_another_agency_do_not_find_it():
    application, owner, _ = make_project()
    change = ask(application, owner)

    with pytest.raises(Http404):
        change_approve(actor=UserFactory(agency=AgencyFactory(name="중소기업중앙회")), change=change)

    assert AgreementChange.objects.get().status == "pending"


def test_a_change_of_a_project_that_ended_is_not_approved():
    application, owner, staff = make_project()
    change = ask(application, owner)
    Application.objects.filter(pk=application.pk).update(status=S.WITHDRAWN)

    with pytest.raises(Conflict):
        change_approve(actor=staff, change=change)
    change_reject(actor=staff, change=change, note="포기한 사업")  # it can still be closed
