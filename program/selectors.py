from django.db.models import QuerySet
from django.utils import timezone

from program.models import AuditEvent, Program, Sponsor
from program.permissions import program_scope, sponsor_scope


def program_list(*, user) -> QuerySet[Program]:
    """The programs a user may see (docs/domain.md §1), in the scope of program/permissions.py."""
    queryset = Program.objects.select_related("sponsor", "agency").order_by("-year", "title")
    return queryset.filter(program_scope(user))


def sponsor_list(*, user) -> QuerySet[Sponsor]:
    """The sponsors a user may see (docs/domain.md §1), in the scope of program/permissions.py."""
    scope = sponsor_scope(user)
    return Sponsor.objects.none() if scope is None else Sponsor.objects.filter(scope).order_by("name")


def program_list_open(*, today=None) -> QuerySet[Program]:
    """Programs taking applications today: status open and inside the application window."""
    today = today or timezone.localdate()
    return (
        Program.objects.filter(status=Program.Status.OPEN, opens_on__lte=today, closes_on__gte=today)
        .select_related("sponsor", "agency")
        .order_by("closes_on", "title")
    )


def program_lock(*, program_id: int) -> Program:
    """The program row, locked until the end of the transaction: the lock on its two fund pots."""
    return Program.objects.select_for_update().get(pk=program_id)


def program_is_open(*, program: Program, today=None) -> bool:
    today = today or timezone.localdate()
    return program.status == Program.Status.OPEN and program.opens_on <= today <= program.closes_on


def audit_events_for(*, target) -> QuerySet[AuditEvent]:
    from django.contrib.contenttypes.models import ContentType

    return (
        AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)
        .select_related("actor")
        .order_by("created_at", "id")
    )
