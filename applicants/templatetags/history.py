"""Audit events in words: `application.select` → "선정", a status code → its label."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from applicants.models import Application, Company
from applicants.workflow import TRANSITIONS
from funds.models import LedgerEntry

register = template.Library()

LABELS = {
    "application.create": _("신청서 작성"),
    "application.update": _("신청서 수정"),
    "application.attachment_add": _("서류 등록"),
    "application.attachment_delete": _("서류 삭제"),
    "evaluation.assign": _("평가위원 배정"),
    "evaluation.submit": _("평가 제출"),
    "company.register": _("기업 등록"),
    "company.update": _("기업정보 변경"),
    "program.create": _("사업 생성"),
    "program.update": _("사업 수정"),
    "outcome.create": _("성과 입력"),
    "outcome.update": _("성과 수정"),
}
STATUSES = dict(Application.Status.choices)
LEDGER = dict(LedgerEntry.Kind.choices)


@register.filter
def event_label(action: str) -> str:
    if action in LABELS:
        return LABELS[action]
    kind, _dot, name = action.partition(".")
    if kind == "application" and name in TRANSITIONS:
        return TRANSITIONS[name].label
    if kind == "ledger" and name in LEDGER:
        return LEDGER[name]
    return action


@register.filter
def status_label(value: str) -> str:
    return STATUSES.get(value, value)


@register.filter
def company_field_changes(event) -> list[tuple[str, object, object]]:
    """A `company.update` event as (field label, before, after) rows."""
    rows = []
    for name, after in event.after.items():
        try:
            label = Company._meta.get_field(name).verbose_name
        except FieldDoesNotExist:  # a field since removed: show its name
            label = name
        rows.append((label, event.before.get(name), after))
    return rows
