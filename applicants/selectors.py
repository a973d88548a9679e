from typing import TYPE_CHECKING, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from accounts.roles import is_applicant, is_evaluator, is_mentor, is_official
from applicants.models import Application, Company, Evaluation
from applicants.permissions import application_scope, evaluation_scope
from program.models import AuditEvent, Program
from program.selectors import audit_events_for, program_list_open

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Events that name a selection-committee member or its scores (docs/domain.md §5): staff only.
COMMITTEE_ACTIONS = ("evaluation.assign", "evaluation.submit")


def application_get(*, application_id: int) -> Application | None:
    return Application.objects.select_related("program", "company").filter(pk=application_id).first()


def application_lock(*, application_id: int) -> Application:
    """The application row, locked until the end of the current transaction."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "company")
        .get(pk=application_id)
    )


def application_list(*, user) -> QuerySet[Application]:
    """The applications `user` may see, with what a list shows joined in (no N+1)."""
    scope = application_scope(user)
    if scope is None:
        return Application.objects.none()
    queryset = Application.objects.filter(scope)
    if scope != Q() and (is_evaluator(user) or is_mentor(user)):
        queryset = queryset.distinct()
    return queryset.select_related("program", "program__sponsor", "company", "supplier", "cost_share").defer(
        "plan"
    )


def application_visible(*, user, application_id: int) -> Application | None:
    """One application if `user` may see it, else None (callers answer 404)."""
    return application_list(user=user).defer(None).filter(pk=application_id).first()


def company_lock(*, company_id: int) -> Company:
    """The company row, locked until the end of the current transaction."""
    return Company.objects.select_for_update().get(pk=company_id)


def company_changes(*, company_id: int) -> QuerySet[AuditEvent]:
    """What was changed in a company's details after registration, oldest first (for staff)."""
    return (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Company),
            object_id=company_id,
            action="company.update",
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def company_list(*, user) -> QuerySet[Company]:
    """Companies are a shared register (docs/domain.md §1): every official sees them all; an
    applicant its own."""
    if is_official(user):
        return Company.objects.all()
    if is_applicant(user) and user.company_id:
        return Company.objects.filter(pk=user.company_id)
    return Company.objects.none()


def evaluation_list(*, user) -> QuerySet[Evaluation]:
    """The evaluations `user` may see, in the scope of applicants/permissions.py."""
    queryset = Evaluation.objects.select_related("evaluator")
    scope = evaluation_scope(user)
    return queryset.none() if scope is None else queryset.filter(scope)


class LiveApplication(TypedDict):
    live_application_id: int | None


class EvaluatorState(TypedDict):
    my_conflict: bool | None
    my_total: int | None
    my_state: str


def program_list_open_for(*, company_id: int) -> "QuerySet[WithAnnotations[Program, LiveApplication]]":
    """Programs taking applications, each with `live_application_id`: the company's live application
    in it, if any (docs/domain.md §4: one live application per company per program), else None."""
    live = Application.objects.filter(company_id=company_id, program=OuterRef("pk")).exclude(
        status__in=Application.ENDED
    )
    return program_list_open().annotate(live_application_id=Subquery(live.values("pk")[:1]))


def application_missing_documents(*, application: Application, attachments=None) -> list[str]:
    """The document kinds the application's program requires before `submit` that it lacks yet,
    in the program's order. `attachments`: the application's documents when already loaded."""
    if attachments is None:
        present = set(application.attachments.values_list("kind", flat=True))
    else:
        present = {attachment.kind for attachment in attachments}
    return [kind for kind in application.program.required_documents if kind not in present]


# The evaluator's list tabs (docs/domain.md §11: an evaluator sees the applications still to score first).
EVALUATOR_TABS = ("todo", "done", "conflicted", "all")


def evaluator_assignment_list(*, user) -> "QuerySet[WithAnnotations[Application, EvaluatorState]]":
    """The evaluator's assigned applications, to-do first, each with its own evaluation's state.

    `my_state` is `todo` (in evaluation and not scored yet), `done` (scored), `conflicted` (a
    conflict declared) or `closed` (left evaluation without a score); `my_total` is its total.
    """
    mine = Evaluation.objects.filter(application=OuterRef("pk"), evaluator=user)
    return (
        application_list(user=user)
        .annotate(
            my_conflict=Subquery(mine.values("conflict_of_interest")[:1]),
            my_total=Subquery(mine.values("total")[:1]),
        )
        .annotate(
            my_state=Case(
                When(my_conflict=True, then=Value("conflicted")),
                When(my_total__isnull=False, then=Value("done")),
                When(status=Application.Status.EVALUATION, then=Value("todo")),
                default=Value("closed"),
            )
        )
        .order_by(Case(When(my_state="todo", then=0), default=1), "submitted_at", "id")
    )


def evaluator_assignment_counts(assignments: QuerySet[Application]) -> dict[str, int]:
    """How many of `evaluator_assignment_list`'s rows are in each tab, in one query."""
    return assignments.order_by().aggregate(
        all=Count("pk"), **{tab: Count("pk", filter=Q(my_state=tab)) for tab in EVALUATOR_TABS[:-1]}
    )


def application_detail(*, user, application_id: int) -> Application | None:
    """One visible application with its documents and evaluations loaded for the detail page."""
    return (
        application_list(user=user)
        .defer(None)
        .prefetch_related("attachments", "evaluations__evaluator", "evaluator_assignments__evaluator")
        .filter(pk=application_id)
        .first()
    )


def get_application_or_404(request, pk: int, *, detail: bool = True) -> Application:
    """The application if the signed-in user may see it, else 404 so nothing leaks (docs/domain.md §1).

    With `detail`, its documents and evaluations come loaded for the detail page; a panel (applicants/
    panels.py) loads only what it shows.
    """
    find = application_detail if detail else application_visible
    application = find(user=request.user, application_id=pk)
    if application is None:
        raise Http404
    return application


def application_history(*, user, application: Application) -> QuerySet[AuditEvent]:
    """The application's timeline as `user` may see it, oldest first.

    Who sits on the selection committee and what each member scored is for staff only; an
    evaluator sees its own assignment and its own evaluations, and nobody else's. Every page and
    endpoint that shows an application's history reads it here. The ministry reads what staff read.
    """
    events = audit_events_for(target=application)
    if is_official(user):
        return events
    committee = Q(action__in=COMMITTEE_ACTIONS)
    if is_evaluator(user):
        own = Q(action="evaluation.submit", actor=user) | Q(
            action="evaluation.assign", after__evaluator=user.username
        )
        return events.exclude(committee & ~own)
    return events.exclude(committee)


def evaluator_choices():
    """Active evaluators staff may put on a committee, by name."""
    from django.contrib.auth import get_user_model

    from accounts.models import Role

    return get_user_model().objects.filter(role=Role.EVALUATOR, is_active=True).order_by("username")
