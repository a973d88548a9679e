from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from config.errors import NotAllowed
from config.plugins import plugins
from program.models import AuditEvent, Program
from program.permissions import can_change_program


def audit_event_record(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Record who did what to which object, before → after. Call inside the change's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
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
    "opens_on", "closes_on", "status",
)  # fmt: skip


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
    if not can_change_program(actor, program):
        raise NotAllowed()
    before = _program_values(Program.objects.get(pk=program.pk)) if program else None
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
