"""Audit events in words: `application.select` → "선정" (each app names its own, program/audit.py), a
status code → its label."""

from typing import TYPE_CHECKING

from django import template
from django.core.exceptions import FieldDoesNotExist

from applicants.models import Application, Company
from program.audit import audit_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()

STATUSES = dict(Application.Status.choices)


@register.filter
def event_label(action: str) -> "StrOrPromise":
    return audit_label(action)


@register.filter
def status_label(value: str) -> "StrOrPromise":
    return STATUSES.get(value, value)


@register.filter
def company_field_changes(event) -> list[tuple["StrOrPromise", object, object]]:
    """A `company.update` event as (field label, before, after) rows."""
    rows: list[tuple[StrOrPromise, object, object]] = []
    for name, after in event.after.items():
        label: StrOrPromise
        try:
            label = Company._meta.get_field(name).verbose_name  # type: ignore[union-attr]  # Company's own fields only
        except FieldDoesNotExist:  # a field since removed: show its name
            label = name
        rows.append((label, event.before.get(name), after))
    return rows
