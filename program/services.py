from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from config.errors import NotAllowed
from config.plugins import plugins
from program.models import AuditEvent, Program
from program.permissions import can_change_program, in_agency_scope, is_outside_agency


def _agency_id_of(target: models.Model) -> int | None:
    """The agency whose data `target` is (docs/domain.md §1), found by shape, without importing the
    apps above: a program's own; else that of the program it belongs to (a ledger entry, a report);
    else that of the application it belongs to. None for the shared registers (sponsors, companies,
    suppliers, mentors, users: a staff user's agency says where it works, not whose data it is)."""
    if isinstance(target, Program):
        return target.agency_id
    program = getattr(target, "program", None)
    if program is None and (application := getattr(target, "application", None)) is not None:
        program = application.program
    return program.agency_id if isinstance(program, Program) else None


def audit_event_record(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Record who did what to which object, before → after. Call inside the change's transaction.
    The event is filed under its target's agency, which decides who reads it (docs/domain.md §1)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        agency_id=_agency_id_of(target),
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        before=before or {},
        after=after or {},
        note=note,
    )


def audit_changes_record(
    *, actor, action: str, target: models.Model, before: dict, after: dict
) -> AuditEvent | None:
    """Record an update as the fields it changed, before → after; nothing when nothing changed."""
    changed = [name for name in after if before.get(name) != after[name]]
    if not changed:
        return None
    return audit_event_record(
        actor=actor,
        action=action,
        target=target,
        before={name: before.get(name) for name in changed},
        after={name: after[name] for name in changed},
    )


# What a program's audit records: the fields staff set on the form and through the API.
PROGRAM_AUDITED_FIELDS = (
    "title", "year", "sponsor", "agency", "track", "description",
    "gov_ratio", "sponsor_ratio", "sme_ratio",
    "gov_cap_basic", "gov_cap_advanced1", "gov_cap_advanced2",
    "rounding_unit", "cap_excess_to", "gov_budget", "rubric", "required_documents",
    "opens_on", "closes_on", "status", "announcement", "eligibility", "contact",
)  # fmt: skip


def _with_agency(*, actor, creating: bool, fields: dict[str, Any]) -> dict[str, Any]:
    """A program is under its creator's agency unless another is named; staff may name only their
    own (docs/domain.md §1: another agency's answers 400 on `agency`)."""
    agency = fields.get("agency")
    if agency is None:
        fields = {name: value for name, value in fields.items() if name != "agency"}
        return {**fields, "agency_id": actor.agency_id} if creating and actor.agency_id else fields
    if not in_agency_scope(actor, agency.pk):
        raise ValidationError({"agency": _("소속 협업기관의 사업만 만들거나 옮길 수 있습니다.")})
    return fields


def _program_values(program: Program) -> dict[str, str]:
    return {name: str(getattr(program, name)) for name in PROGRAM_AUDITED_FIELDS}


@transaction.atomic
def program_save(*, actor, program: Program | None = None, **fields: Any) -> Program:
    """Staff create (no `program`) or update a program: validate, save, audit, then tell the apps above.

    A create is audited with every field, an update with the fields it changed, before → after
    (docs/domain.md §4). The callables of the `program_saved` extension point run in this
    transaction: the fund following the matching budget (§3.3) may refuse it, and then nothing is
    saved.
    """
    if program is not None and is_outside_agency(actor, program.agency_id):
        raise Http404  # another agency's program (docs/domain.md §1)
    if not can_change_program(actor, program):
        raise NotAllowed()
    before = _program_values(Program.objects.get(pk=program.pk)) if program else None
    fields = _with_agency(actor=actor, creating=program is None, fields=fields)
    program = program or Program()
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean()
    program.save()
    after = _program_values(program)
    if before is None:
        audit_event_record(actor=actor, action="program.create", target=program, after=after)
    else:
        audit_changes_record(actor=actor, action="program.update", target=program, before=before, after=after)
    for plugin in plugins("program_saved"):
        plugin(program=program, actor=actor)
    return program


# What "이전 사업 복사" fills next year's form with (program/views/staff.py): the policy, the rubric, the
# documents and the texts; not the status (a copy is a draft) nor the window, which staff set anew.
PROGRAM_COPIED_FIELDS = (
    "title", "sponsor", "agency", "track", "description",
    "gov_ratio", "sponsor_ratio", "sme_ratio",
    "gov_cap_basic", "gov_cap_advanced1", "gov_cap_advanced2",
    "rounding_unit", "cap_excess_to", "gov_budget", "rubric", "required_documents",
    "announcement", "eligibility", "contact",
)  # fmt: skip
