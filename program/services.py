from django.contrib.contenttypes.models import ContentType
from django.db import models

from program.models import AuditEvent


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
