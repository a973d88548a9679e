from typing import TYPE_CHECKING, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.http import Http404

from accounts.roles import is_applicant, is_evaluator, is_mentor, is_official
from applicants.models import Application, Company, Evaluation, SubmissionDeclaration, SupportRecord
from applicants.permissions import application_scope, evaluation_scope
from program.choices import SupportLevel
from program.cost_share import Split, split_cost
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


# SPEC §15.3: the same-level repeat cap. The levels in order, lowest first (program.choices.SupportLevel).
LEVEL_ORDER = (SupportLevel.BASIC, SupportLevel.ADVANCED1, SupportLevel.ADVANCED2)


def _level_rank(level):
    """A level's place in LEVEL_ORDER, as an SQL expression of a level column or reference."""
    return Case(*(When(Exact(level, value), then=Value(rank)) for rank, value in enumerate(LEVEL_ORDER)))


def _at_or_above(level) -> Q:
    """Rows whose `level` is `level` or a higher one; `level` a code or an outer reference."""
    if isinstance(level, str):
        return Q(level__in=[str(value) for value in LEVEL_ORDER[LEVEL_ORDER.index(SupportLevel(level)) :]])
    return Q(GreaterThanOrEqual(_level_rank(F("level")), _level_rank(level)))


def _repeat_subqueries(*, business_number, level, exclude_application_id) -> tuple[QuerySet, QuerySet]:
    """The one rule of §15.3: a completed application of that business number (any program or
    agency, not the excluded one) or an imported record with status completed, at `level` or higher."""
    completed = Application.Status.COMPLETED
    applications = Application.objects.filter(
        _at_or_above(level), company__business_number=business_number, status=completed
    )
    if exclude_application_id is not None:
        applications = applications.exclude(pk=exclude_application_id)
    records = SupportRecord.objects.filter(
        _at_or_above(level), business_number=business_number, status=completed
    )
    return applications.values("pk"), records.values("pk")


def repeat_level_reached(*, business_number: str, level: str, exclude_application_id: int | None) -> bool:
    """Whether the company already completed a project at `level` or a higher one (SPEC §15.3).
    One query: SELECT EXISTS (…) OR EXISTS (…), each served by an index on the business number."""
    applications, records = _repeat_subqueries(
        business_number=business_number, level=level, exclude_application_id=exclude_application_id
    )
    applications_sql, applications_params = applications[:1].query.sql_with_params()
    records_sql, records_params = records[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (EXISTS ({applications_sql}) OR EXISTS ({records_sql}))",
            (*applications_params, *records_params),
        )
        return bool(cursor.fetchone()[0])


def with_repeat_level(applications: QuerySet[Application]) -> QuerySet[Application]:
    """`applications` annotated with `repeat_level` (the same rule as repeat_level_reached, for each
    row in the same query): for lists that split many applications, e.g. the ranking."""
    others, records = _repeat_subqueries(
        business_number=OuterRef("company__business_number"),
        level=OuterRef("level"),
        exclude_application_id=OuterRef("pk"),
    )
    return applications.annotate(repeat_level=Exists(others) | Exists(records))


def application_split(
    application: Application, *, total: int | None = None, repeat: bool | None = None
) -> Split:
    """The §3.2 split of the application's total with its program's policy and, when its company
    already completed a project at this level or a higher one, the §15.3 repeat cap. Every caller
    (preview, cost share, selection, ranking, settlement) splits an application here.
    Reads `repeat_level` when with_repeat_level annotated it, else asks the database once.
    `total` splits another amount on the same terms (the settlement's eligible total, SPEC §18.3);
    `repeat` gives the repeat rule when the caller already knows it."""
    if repeat is None:
        repeat = getattr(application, "repeat_level", None)
    if repeat is None:
        repeat = repeat_level_reached(
            business_number=application.company.business_number,
            level=application.level,
            exclude_application_id=application.pk,
        )
    total = application.total_cost if total is None else total
    if total is None:
        raise ValueError("the application has no total cost to split")
    return split_cost(total, application.level, application.program.cost_share_policy(), repeat=repeat)


def declaration_latest(*, application_id: int) -> SubmissionDeclaration | None:
    """The declarations of the newest submit (SPEC §15.1) with who made them: one query."""
    return (
        SubmissionDeclaration.objects.filter(application_id=application_id)
        .select_related("user")
        .order_by("-created_at", "-id")
        .first()
    )
