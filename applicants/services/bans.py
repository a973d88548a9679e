"""Participation bans (참여제한, SPEC §15.2): recorded and lifted by staff, a shared register; a banned
company cannot submit, a banned supplier cannot be chosen."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import is_staff
from applicants.bans_selectors import ban_covering, ban_liftable
from applicants.models import ParticipationBan
from config.dates import add_months
from config.errors import Conflict, NotAllowed
from program.business_number import normalize_business_number
from program.services import audit_event_record

Subject = ParticipationBan.SubjectType
BAN_MONTHS = 36  # 3 years by default (SPEC §15.2)
LATEST_START = datetime.date(datetime.MAXYEAR - 3, 12, 31)


def default_ends_on(starts_on: datetime.date) -> datetime.date:
    """starts_on + 3 years − 1 day, by calendar months: a ban from 29 February ends on 27 February
    three years on (28 February + … − 1 day), never on a day that does not exist."""
    return add_months(starts_on, BAN_MONTHS) - datetime.timedelta(days=1)


def until_text(ban: ParticipationBan) -> str:
    """How long a ban runs, as the refusals say it: its last day, or 영구."""
    if ban.ends_on is None:
        return _("영구")
    return _("%(day)s까지") % {"day": date_format(ban.ends_on, "SHORT_DATE_FORMAT")}


def _plain(ban: ParticipationBan) -> dict:
    return {
        "subject_type": ban.subject_type,
        "business_number": ban.business_number,
        "starts_on": ban.starts_on.isoformat(),
        "ends_on": ban.ends_on.isoformat() if ban.ends_on else None,
        "second_strike": ban.second_strike,
        "lifted_on": ban.lifted_on.isoformat() if ban.lifted_on else None,
    }


def _require_staff(actor) -> None:
    # The ministry reads the register and writes nothing (403); the API and pages send everyone
    # else away with 404 before this.
    if not is_staff(actor):
        raise NotAllowed()


def _clean(subject_type: str, business_number: str, reason: str) -> tuple[str, str]:
    errors: dict[str, list] = {}
    if subject_type not in Subject.values:
        errors["subject_type"] = [_("대상 구분은 신청기업(company) 또는 공급기업(supplier)입니다.")]
    try:
        business_number = normalize_business_number(business_number)
    except ValidationError as error:
        errors["business_number"] = error.messages
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("제한 사유를 입력해 주세요.")]
    if errors:
        raise ValidationError(errors)
    return business_number, reason


@transaction.atomic
def ban_record(
    *,
    actor,
    subject_type: str,
    business_number: str,
    reason: str,
    basis: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    ends_on_given: bool = False,
    clawback_id: int | None = None,
) -> ParticipationBan:
    """Record a ban. `ends_on` left out (`ends_on_given` False) is starts_on + 3 years − 1 day, or
    permanent (None) on a second strike (`second_strike` True on the row); given as None, permanent;
    given as a date, that date (not before the start). Audited as `ban.record`."""
    _require_staff(actor)
    business_number, reason = _clean(subject_type, business_number, reason)
    starts_on = starts_on or timezone.localdate()
    if starts_on > LATEST_START:  # its 3 years would run past the calendar's last year
        raise ValidationError({"starts_on": _("제한 시작일이 올바르지 않습니다.")})
    second_strike = False
    if not ends_on_given:
        # Two strikes: any earlier ban of the subject, lifted or run out, makes this one for good.
        second_strike = ParticipationBan.objects.filter(
            subject_type=subject_type, business_number=business_number
        ).exists()
        ends_on = None if second_strike else default_ends_on(starts_on)
    elif ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("제한 종료일은 시작일 이후여야 합니다.")})
    ban = ParticipationBan.objects.create(
        subject_type=subject_type,
        business_number=business_number,
        reason=reason,
        basis=(basis or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        second_strike=second_strike,
        clawback_id=clawback_id,
        created_by=actor,
    )
    audit_event_record(actor=actor, action="ban.record", target=ban, after=_plain(ban), note=reason)
    return ban


@transaction.atomic
def ban_lift(*, actor, ban: ParticipationBan, note: str) -> ParticipationBan:
    """End a ban early (staff): from today on it covers no day. Only a ban in force or yet to start
    (409 `ban_not_in_force` otherwise); the note is required. Audited as `ban.lift`."""
    _require_staff(actor)
    ban = ParticipationBan.objects.select_for_update().get(pk=ban.pk)
    today = timezone.localdate()
    if not ban_liftable(ban, today):
        raise Conflict(_("이미 해제되었거나 기간이 끝난 참여제한입니다."), code="ban_not_in_force")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("해제 사유를 입력해 주세요.")})
    before = _plain(ban)
    ban.lifted_on, ban.lift_note, ban.lifted_by = today, note, actor
    ban.save(update_fields=["lifted_on", "lift_note", "lifted_by"])
    audit_event_record(
        actor=actor, action="ban.lift", target=ban, before=before, after=_plain(ban), note=note
    )
    return ban


def ban_in_force(
    *, subject_type: str, business_number: str, on: datetime.date | None = None
) -> ParticipationBan | None:
    """The ban covering `on` (today in Asia/Seoul) for the subject, or None."""
    return ban_covering(
        subject_type=subject_type, business_number=business_number, on=on or timezone.localdate()
    )


def supplier_check(supplier, *, field: str = "supplier") -> None:
    """ValidationError({field: …}) when the supplier is banned today."""
    if supplier is None:
        return
    ban = ban_in_force(subject_type=Subject.SUPPLIER, business_number=supplier.business_number)
    if ban is not None:
        raise ValidationError(
            {
                field: _("참여제한 중인 공급기업입니다(%(until)s). 다른 공급기업을 선택해 주세요.")
                % {"until": until_text(ban)}
            }
        )


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """`submit` answers 409 `participation_banned` for a banned company."""
    if action != "submit":
        return
    ban = ban_in_force(subject_type=Subject.COMPANY, business_number=application.company.business_number)
    if ban is not None:
        raise Conflict(
            _("참여제한 중인 기업은 신청서를 제출할 수 없습니다(%(until)s).") % {"until": until_text(ban)},
            code="participation_banned",
        )
