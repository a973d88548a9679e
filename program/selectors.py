import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from config.plugins import plugins
from program.models import Agency, AuditEvent, Program, Sponsor
from program.permissions import agency_choice_scope, audit_scope, program_scope, sponsor_scope


def program_list(*, user) -> QuerySet[Program]:
    """The programs a user may see (docs/domain.md §1), in the scope of program/permissions.py."""
    queryset = Program.objects.select_related("sponsor", "agency").order_by("-year", "title")
    return queryset.filter(program_scope(user))


def sponsor_list(*, user) -> QuerySet[Sponsor]:
    """The sponsors a user may see (docs/domain.md §1), in the scope of program/permissions.py."""
    scope = sponsor_scope(user)
    return Sponsor.objects.none() if scope is None else Sponsor.objects.filter(scope).order_by("name")


def agency_choices(*, user) -> QuerySet[Agency]:
    """The agencies `user` may put a program under (docs/domain.md §1): staff their own."""
    return Agency.objects.filter(agency_choice_scope(user)).order_by("name")


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


@dataclass(frozen=True)
class AuditFilters:
    """The audit trail's filters: an action prefix, an actor's username, a target `app_label.model`
    (and one object of it), a company (its name or business number), a date range."""

    action: str = ""
    actor: str = ""
    target: str = ""
    object_id: int | None = None
    company: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_event_list(*, user, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The audit trail `user` may read (docs/domain.md §1: staff their agency's events and the shared
    registers', the ministry all), newest first, filtered."""
    scope = audit_scope(user)
    if scope is None:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(scope).select_related("actor", "content_type")
    return _audit_filtered(events, filters or AuditFilters()).order_by("-created_at", "-id")


def _audit_filtered(events: QuerySet[AuditEvent], filters: AuditFilters) -> QuerySet[AuditEvent]:
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.actor:
        events = events.filter(actor__username=filters.actor)
    if filters.target:
        app_label, _dot, model = filters.target.partition(".")
        events = events.filter(content_type__app_label=app_label, content_type__model=model)
        if filters.object_id is not None:
            events = events.filter(object_id=filters.object_id)
    if filters.company:
        events = events.filter(_about_company(filters.company))
    if filters.since:
        events = events.filter(created_at__date__gte=filters.since)
    if filters.until:
        events = events.filter(created_at__date__lte=filters.until)
    return events


def _about_company(search: str) -> Q:
    """Events about the companies `search` names and their applications, as the apps that keep
    companies find them (the `audit_subjects` extension point): none when no app does."""
    about = Q(pk__in=[])
    for subjects in plugins("audit_subjects"):
        about |= subjects(search=search)
    return about
