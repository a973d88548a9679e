"""Clawbacks (환수, SPEC §18.4): opened by staff (or by a settlement refund, or a termination),
collected in instalments appended to the ledger as `recovery`, or closed uncollectable.

A clawback claims back, per pot, part of what that pot paid; open and collected clawbacks together
never claim more than it paid. Collections move money, so they hold the application's and the
program's locks like every movement of the pots."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.selectors import application_lock
from applicants.services.applications import require_in_agency
from applicants.services.bans import ban_record
from applicants.workflow import FUNDED
from config.errors import Conflict, NotAllowed
from execution.clawback_selectors import clawback_claims
from execution.models import Clawback, ClawbackCollection
from execution.permissions import can_manage_execution
from funds.selectors import application_balances
from funds.services import recovery_record
from program.notifications import notify
from program.selectors import program_lock
from program.services import audit_event_record

DUE_DAYS = 30  # 납부기한 of the clawbacks the system opens itself (a settlement refund, a termination)
ST = Clawback.Status
PARTS = ("government", "sponsor")


def _whole_won(value, field: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError({field: _("%(min)d원 이상의 정수로 입력해 주세요.") % {"min": minimum}})
    return value


def _date(value, field: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("날짜를 입력해 주세요.")})
    return value


def clawable(*, application_id: int) -> dict[str, int]:
    """Per pot: what it paid the application and no open or collected clawback claims yet."""
    balances = application_balances(application_id=application_id)
    claims = clawback_claims(application_id=application_id)
    return {pot: balances[pot].disbursed - claims[pot] for pot in PARTS}


@transaction.atomic
def clawback_open(
    *,
    actor,
    application,
    reason: str,
    government: int,
    sponsor: int,
    due_on,
    ban: bool = False,
    note: str = "",
) -> Clawback:
    """Staff of the agency decide a clawback (403 otherwise): each amount at most what that pot paid
    less what other clawbacks already claim (400 on the field). `ban` also records a participation
    ban on the company (SPEC §15.2). Audited; the company's people told."""
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    if not can_manage_execution(actor, application):
        raise NotAllowed()
    if reason not in Clawback.Reason.values:
        raise ValidationError({"reason": _("환수 사유를 선택해 주세요.")})
    amounts = {"government": government, "sponsor": sponsor}
    for field, value in amounts.items():
        _whole_won(value, field, minimum=0)
    if government + sponsor <= 0:
        raise ValidationError({"government": _("환수액은 합계 1원 이상이어야 합니다.")})
    _date(due_on, "due_on")
    limits = clawable(application_id=application.pk)
    for field, value in amounts.items():
        if value > limits[field]:
            message = _("이 재원에서 환수할 수 있는 금액은 %(limit)s원까지입니다.")
            raise ValidationError({field: message % {"limit": f"{limits[field]:,}"}})
    clawback = Clawback.objects.create(
        application=application,
        reason=reason,
        government=government,
        sponsor=sponsor,
        due_on=due_on,
        ban=bool(ban),
        note=(note or "").strip(),
        created_by=actor,
    )
    if clawback.ban:
        ban_record(
            actor=actor,
            subject_type="company",
            business_number=application.company.business_number,
            reason=str(clawback.get_reason_display()),
            basis="",
            clawback_id=clawback.pk,
        )
    audit_event_record(
        actor=actor,
        action="clawback.open",
        target=clawback,
        after={**amounts, "reason": reason, "due_on": due_on.isoformat(), "ban": clawback.ban},
        note=clawback.note,
    )
    _notify_company(
        clawback,
        _("환수 결정"),
        _("'%(title)s'에 %(amount)s원의 환수(%(reason)s)가 결정되었습니다. 납부기한: %(due)s.")
        % {
            "title": application.title,
            "amount": f"{clawback.amount:,}",
            "reason": clawback.get_reason_display(),
            "due": date_format(due_on, "SHORT_DATE_FORMAT"),
        },
        "clawback.open",
    )
    return clawback


def _notify_company(clawback: Clawback, label: str, body: str, kind: str) -> None:
    application = clawback.application
    notify(
        subject=_("[상생형 스마트공장] %(title)s: %(label)s") % {"title": application.title, "label": label},
        body=body,
        users=application.company.members.all(),
        url=reverse("applicants:my-detail", args=[application.pk]),
        kind=kind,
        target=clawback,
    )


def collection_split(clawback: Clawback, amount: int) -> tuple[int, int]:
    """Pro rata between the pots like a payment: the government part floor(amount × G / (G + S)),
    the sponsor part the rest, shifted so that neither pot collects past what it is still owed."""
    left_gov = clawback.government - clawback.collected_government
    left_sponsor = clawback.sponsor - clawback.collected_sponsor
    gov_part = amount * clawback.government // clawback.amount
    sponsor_part = amount - gov_part
    if sponsor_part > left_sponsor:
        gov_part, sponsor_part = amount - left_sponsor, left_sponsor
    if gov_part > left_gov:
        gov_part, sponsor_part = left_gov, amount - left_gov
    return gov_part, sponsor_part


def _lock_open(actor, clawback: Clawback) -> Clawback:
    """The clawback row locked, then its application and program (409 once closed)."""
    clawback = Clawback.objects.select_for_update().get(pk=clawback.pk)
    application = application_lock(application_id=clawback.application_id)
    require_in_agency(actor, application)
    if not can_manage_execution(actor, application):
        raise NotAllowed()
    program_lock(program_id=application.program_id)
    clawback.application = application
    if clawback.status != ST.OPEN:
        raise Conflict(_("이미 종결된 환수입니다."), code="clawback_closed")
    return clawback


@transaction.atomic
def clawback_collect(*, actor, clawback: Clawback, amount: int, collected_on) -> ClawbackCollection:
    """One instalment collected (staff): at most what remains (400), split between the pots and
    appended to the ledger as `recovery`; the clawback is `collected` once nothing remains."""
    clawback = _lock_open(actor, clawback)
    _whole_won(amount, "amount", minimum=1)
    if amount > clawback.remaining:
        raise ValidationError(
            {"amount": _("남은 환수액(%(left)s원)을 넘습니다.") % {"left": f"{clawback.remaining:,}"}}
        )
    _date(collected_on, "collected_on")
    gov_part, sponsor_part = collection_split(clawback, amount)
    before = _state(clawback)
    collection = ClawbackCollection.objects.create(
        clawback=clawback,
        amount=amount,
        gov_part=gov_part,
        sponsor_part=sponsor_part,
        collected_on=collected_on,
        recorded_by=actor,
    )
    clawback.collected_government += gov_part
    clawback.collected_sponsor += sponsor_part
    if clawback.remaining == 0:
        clawback.status = ST.COLLECTED
        clawback.closed_at = timezone.now()
    clawback.save(update_fields=["collected_government", "collected_sponsor", "status", "closed_at"])
    recovery_record(
        actor=actor,
        application=clawback.application,
        gov_part=gov_part,
        sponsor_part=sponsor_part,
        clawback_id=clawback.pk,
    )
    audit_event_record(
        actor=actor,
        action="clawback.collect",
        target=clawback,
        before=before,
        after={**_state(clawback), "collection": collection.pk, "amount": amount},
    )
    return collection


def _state(clawback: Clawback) -> dict:
    return {
        "status": clawback.status,
        "collected_government": clawback.collected_government,
        "collected_sponsor": clawback.collected_sponsor,
    }


@transaction.atomic
def clawback_uncollectable(*, actor, clawback: Clawback, note: str) -> Clawback:
    """Staff close an open clawback as uncollectable (환수 불능), saying why (400 without a note)."""
    clawback = _lock_open(actor, clawback)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("환수 불능 사유를 입력해 주세요.")})
    clawback.status = ST.UNCOLLECTABLE
    clawback.note = note[: Clawback._meta.get_field("note").max_length]
    clawback.closed_at = timezone.now()
    clawback.save(update_fields=["status", "note", "closed_at"])
    audit_event_record(
        actor=actor,
        action="clawback.uncollectable",
        target=clawback,
        before={"status": ST.OPEN},
        after={"status": ST.UNCOLLECTABLE, "remaining": clawback.remaining},
        note=note,
    )
    return clawback


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """`terminate` after payments (SPEC §4): once funds released what was unpaid, what each pot paid
    (less what clawbacks already claim) is owed back: a clawback (reason `abandonment`)."""
    if action != "terminate" or previous not in FUNDED:
        return
    owed = clawable(application_id=application.pk)
    if sum(max(0, value) for value in owed.values()) <= 0:
        return
    clawback_open(
        actor=actor,
        application=application,
        reason=Clawback.Reason.ABANDONMENT,
        government=max(0, owed["government"]),
        sponsor=max(0, owed["sponsor"]),
        due_on=timezone.localdate() + datetime.timedelta(days=DUE_DAYS),
    )
