"""Participation bans (참여제한, SPEC §15.2): recorded and lifted by staff, a shared register; a banned
company cannot submit, a banned supplier cannot be chosen. PART C fills this module."""

import datetime

from applicants.models import ParticipationBan


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
    permanent (None) on a second strike (`second_strike` True on the row)."""
    raise NotImplementedError


def ban_lift(*, actor, ban: ParticipationBan, note: str) -> ParticipationBan:
    raise NotImplementedError


def ban_in_force(*, subject_type: str, business_number: str, on: datetime.date | None = None):
    """The ban covering `on` (today in Asia/Seoul) for the subject, or None."""
    return None


def supplier_check(supplier, *, field: str = "supplier") -> None:
    """ValidationError({field: …}) when the supplier is banned today."""
    return None


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """`submit` answers 409 `participation_banned` for a banned company."""
    return None
