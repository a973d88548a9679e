"""Participation bans' services (참여제한, SPEC §15.2): the period's default and its edges, the second
strike, lifting, what "covers a day" means, and the refusals they cause."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applicants.models import Application, ParticipationBan
from applicants.services import application_transition
from applicants.services.bans import (
    ban_in_force,
    ban_lift,
    ban_record,
    default_ends_on,
    supplier_check,
)
from config.errors import Conflict, NotAllowed
from program.models import AuditEvent
from tests.factories import (
    DECLARATIONS,
    ApplicationFactory,
    ParticipationBanFactory,
    SupplierFactory,
    UserFactory,
    valid_business_number,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def number():
    return valid_business_number()


def record(actor, number, **extra):
    values = {"subject_type": "company", "business_number": number, "reason": "허위 세금계산서", **extra}
    return ban_record(actor=actor, **values)


# ---- recording


def test_a_ban_runs_three_years_less_a_day_by_default(staff, number):
    ban = record(staff, number, starts_on=datetime.date(2026, 3, 1), basis="기술혁신촉진법 제31조")

    assert (ban.starts_on, ban.ends_on) == (datetime.date(2026, 3, 1), datetime.date(2029, 2, 28))
    assert ban.second_strike is False and ban.created_by == staff and ban.basis == "기술혁신촉진법 제31조"


def test_the_default_period_minds_the_29th_of_february():
    assert default_ends_on(datetime.date(2028, 2, 29)) == datetime.date(2031, 2, 27)
    assert default_ends_on(datetime.date(2027, 3, 1)) == datetime.date(2030, 2, 28)
    assert default_ends_on(datetime.date(2025, 3, 1)) == datetime.date(2028, 2, 29)


def test_the_start_is_today_in_seoul_when_left_out(staff, number):
    ban = record(staff, number)

    assert ban.starts_on == timezone.localdate()
    assert ban.ends_on == default_ends_on(timezone.localdate())


@pytest.mark.parametrize("earlier", ["ended", "lifted"])
def test_a_second_strike_is_permanent(staff, number, earlier):
    """Any earlier ban counts, however it finished: one that ran out, or one lifted early."""
    first = record(staff, number, starts_on=datetime.date(2020, 1, 1) if earlier == "ended" else None)
    if earlier == "lifted":
        ban_lift(actor=staff, ban=first, note="행정심판 인용")

    second = record(staff, number)

    assert second.ends_on is None and second.second_strike is True


def test_an_earlier_ban_of_the_other_kind_is_no_strike(staff, number):
    record(staff, number, subject_type="supplier")

    ban = record(staff, number)

    assert ban.second_strike is False and ban.ends_on is not None


def test_an_explicit_null_end_is_permanent_and_an_explicit_date_is_kept(staff, number):
    permanent = record(staff, number, ends_on=None, ends_on_given=True)
    dated = record(
        staff, valid_business_number(), starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 7, 4), ends_on_given=True,
    )  # fmt: skip

    assert permanent.ends_on is None and permanent.second_strike is False
    assert dated.ends_on == datetime.date(2026, 7, 4)


def test_an_end_before_the_start_is_refused(staff, number):
    with pytest.raises(ValidationError) as refused:
        record(
            staff, number, starts_on=datetime.date(2026, 5, 2),
            ends_on=datetime.date(2026, 5, 1), ends_on_given=True,
        )  # fmt: skip

    assert list(refused.value.message_dict) == ["ends_on"]
    assert not ParticipationBan.objects.exists()


def test_the_fields_are_checked_each_at_its_own(staff, number):
    wrong = number[:9] + str((int(number[9]) + 1) % 10)  # the check digit off by one
    with pytest.raises(ValidationError) as refused:
        ban_record(actor=staff, subject_type="person", business_number=wrong, reason="  ")

    assert set(refused.value.message_dict) == {"subject_type", "business_number", "reason"}
    assert "유효하지 않은 사업자등록번호" in refused.value.message_dict["business_number"][0]


def test_a_start_whose_three_years_leave_the_calendar_is_refused(staff, number):
    with pytest.raises(ValidationError) as refused:
        record(staff, number, starts_on=datetime.date(9999, 1, 1))

    assert list(refused.value.message_dict) == ["starts_on"]


def test_a_hyphenated_number_is_stored_as_ten_digits(staff, number):
    ban = record(staff, f"{number[:3]}-{number[3:5]}-{number[5:]}")

    assert ban.business_number == number


@pytest.mark.parametrize("role", ["ministry", "applicant", "sponsor_user", "evaluator", "mentor"])
def test_only_staff_record(role, number):
    with pytest.raises(NotAllowed):
        record(UserFactory(**{role: True}), number)

    assert not ParticipationBan.objects.exists()


def test_recording_is_audited(staff, number):
    ban = record(staff, number, clawback_id=7)

    event = AuditEvent.objects.get(action="ban.record")
    assert event.actor == staff and event.object_id == ban.pk and event.agency_id is None
    assert event.after["business_number"] == number and event.after["ends_on"] == ban.ends_on.isoformat()
    assert ban.clawback_id == 7


# ---- lifting


def test_lifting_ends_the_ban_from_today(staff, number):
    ban = record(staff, number, starts_on=datetime.date(2025, 1, 1))
    today = timezone.localdate()

    ban = ban_lift(actor=staff, ban=ban, note="  소송 결과 취소  ")

    assert (ban.lifted_on, ban.lift_note, ban.lifted_by) == (today, "소송 결과 취소", staff)
    assert ban_in_force(subject_type="company", business_number=number) is None
    assert ban_in_force(subject_type="company", business_number=number, on=today - DAY) == ban
    event = AuditEvent.objects.get(action="ban.lift")
    assert event.before["lifted_on"] is None and event.after["lifted_on"] == today.isoformat()
    assert event.note == "소송 결과 취소"


def test_a_ban_yet_to_start_may_be_lifted(staff, number):
    ban = record(staff, number, starts_on=timezone.localdate() + 10 * DAY)

    ban_lift(actor=staff, ban=ban, note="착오 등록")

    assert ban_in_force(subject_type="company", business_number=number, on=ban.starts_on) is None


def test_lifting_needs_a_note(staff, number):
    ban = record(staff, number)

    with pytest.raises(ValidationError) as refused:
        ban_lift(actor=staff, ban=ban, note=" ")

    assert list(refused.value.message_dict) == ["note"]
    ban.refresh_from_db()
    assert ban.lifted_on is None


@pytest.mark.parametrize("state", ["lifted", "ended"])
def test_only_a_ban_in_force_or_to_come_is_lifted(staff, number, state):
    today = timezone.localdate()
    if state == "lifted":
        ban = ParticipationBanFactory(business_number=number, lifted_on=today, lift_note="먼저")
    else:
        ban = ParticipationBanFactory(
            business_number=number, starts_on=today - 400 * DAY, ends_on=today - DAY
        )

    with pytest.raises(Conflict) as refused:
        ban_lift(actor=staff, ban=ban, note="다시")

    assert refused.value.code == "ban_not_in_force"
    assert not AuditEvent.objects.filter(action="ban.lift").exists()


def test_the_ministry_does_not_lift(number):
    ban = ParticipationBanFactory(business_number=number)

    with pytest.raises(NotAllowed):
        ban_lift(actor=UserFactory(ministry=True), ban=ban, note="해제")


# ---- what a ban covers


def test_a_ban_covers_its_first_and_last_day_and_no_other(number):
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    ban = ParticipationBanFactory(business_number=number, starts_on=start, ends_on=end)

    def covered(day):
        return ban_in_force(subject_type="company", business_number=number, on=day)

    assert [covered(d) for d in (start - DAY, start, end, end + DAY)] == [None, ban, ban, None]
    assert ban_in_force(subject_type="supplier", business_number=number, on=start) is None


def test_a_ban_lifted_on_a_day_covers_the_day_before_only(number):
    lifted = datetime.date(2026, 3, 10)
    ban = ParticipationBanFactory(
        business_number=number, starts_on=datetime.date(2026, 3, 1), ends_on=None, lifted_on=lifted
    )

    assert ban_in_force(subject_type="company", business_number=number, on=lifted - DAY) == ban
    assert ban_in_force(subject_type="company", business_number=number, on=lifted) is None


def test_of_two_bans_in_force_the_one_ending_last_answers(number, django_assert_num_queries):
    ParticipationBanFactory(business_number=number)
    permanent = ParticipationBanFactory(business_number=number, ends_on=None)

    with django_assert_num_queries(1):
        assert ban_in_force(subject_type="company", business_number=number) == permanent


# ---- the refusals


def test_a_banned_company_cannot_submit():
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, documents=True)
    end = timezone.localdate() + 30 * DAY
    ParticipationBanFactory(business_number=owner.company.business_number, ends_on=end)

    with pytest.raises(Conflict) as refused:
        application_transition(
            application=application, action="submit", actor=owner, declarations=DECLARATIONS
        )

    assert refused.value.code == "participation_banned"
    assert end.strftime("%Y") in str(refused.value.message)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_a_company_banned_as_supplier_only_still_submits():
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, documents=True)
    ParticipationBanFactory(subject_type="supplier", business_number=owner.company.business_number)

    application = application_transition(
        application=application, action="submit", actor=owner, declarations=DECLARATIONS
    )

    assert application.status == Application.Status.SUBMITTED


def test_a_permanently_banned_company_is_told_so():
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, documents=True)
    ParticipationBanFactory(business_number=owner.company.business_number, ends_on=None)

    with pytest.raises(Conflict, match="영구"):
        application_transition(
            application=application, action="submit", actor=owner, declarations=DECLARATIONS
        )


def test_the_supplier_check_names_the_field_and_the_end():
    supplier = SupplierFactory()
    ban = ParticipationBanFactory(subject_type="supplier", business_number=supplier.business_number)

    with pytest.raises(ValidationError) as refused:
        supplier_check(supplier, field="new_supplier")

    message = refused.value.message_dict["new_supplier"][0]
    assert "참여제한 중인 공급기업" in message and str(ban.ends_on.year) in message
    supplier_check(SupplierFactory())
    supplier_check(None)
