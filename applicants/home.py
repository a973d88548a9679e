"""Applicants' sections of the signed-in home (program/home.py, `settings.PLUGINS["home_sections"]`).

Staff see their work queues (to screen, to evaluate, to decide), an SME its applications each with
its next step, an evaluator what it still has to score, the ministry the applications of every
agency. Each reads through `application_list` (applicants.permissions.application_scope), so a
home shows only what its user may open, and each runs a fixed number of queries.
"""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_applicant, is_evaluator, is_ministry, is_staff
from applicants.models import Application
from applicants.permissions import SPONSOR_VISIBLE, can_edit_application
from applicants.selectors import (
    application_list,
    evaluator_assignment_counts,
    evaluator_assignment_list,
    program_list_open_for,
)
from program.home import HomeSection
from program.models import Agency, Program
from program.selectors import program_list

S = Application.Status
# How many rows a home list shows before "모두 보기" takes over.
HOME_ROWS = 10

# The SME's next step, in words, by status (docs/domain.md §4).
NEXT_STEP = {
    S.DRAFT: gettext_lazy("작성 중입니다: 마감 전에 제출해 주세요"),
    S.SUBMITTED: gettext_lazy("접수되었습니다: 요건검토를 기다립니다"),
    S.SCREENING: gettext_lazy("요건검토 중입니다"),
    S.CHANGES_REQUESTED: gettext_lazy("서류 보완 요청에 답해 주세요"),
    S.EVALUATION: gettext_lazy("평가 중입니다"),
    S.SELECTED: gettext_lazy("선정되었습니다: 협약을 기다립니다"),
    S.REJECTED: gettext_lazy("선정되지 않았습니다"),
    S.AGREEMENT: gettext_lazy("협약을 맺었습니다: 구축 시작을 기다립니다"),
    S.BUILDING: gettext_lazy("구축 중입니다: 마치면 완료점검을 요청해 주세요"),
    S.COMPLETION_REVIEW: gettext_lazy("완료점검 중입니다"),
    S.COMPLETED: gettext_lazy("완료되었습니다: 성과를 보고해 주세요"),
    S.WITHDRAWN: gettext_lazy("포기한 신청입니다"),
}
# The states in which the SME owes the next move: its row is marked and its deadline shown.
SME_TO_ACT = (S.DRAFT, S.CHANGES_REQUESTED, S.BUILDING, S.COMPLETED)


def staff_queues(request) -> HomeSection | None:
    """Staff: how many applications wait at each step of their agency's workflow, and since when.
    Two queries: the queues in one aggregate, the programs still taking applications."""
    user = request.user
    if not is_staff(user):
        return None
    waiting = application_list(user=user).order_by()
    in_evaluation = Q(status=S.EVALUATION)
    figures = waiting.aggregate(
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
        submitted_since=Min("submitted_at", filter=Q(status=S.SUBMITTED)),
        screening=Count("pk", filter=Q(status=S.SCREENING)),
        screening_since=Min("submitted_at", filter=Q(status=S.SCREENING)),
        changes=Count("pk", filter=Q(status=S.CHANGES_REQUESTED)),
        evaluating=Count("pk", filter=in_evaluation & Q(score__isnull=True)),
        evaluating_since=Min("submitted_at", filter=in_evaluation & Q(score__isnull=True)),
        to_decide=Count("pk", filter=in_evaluation & Q(score__isnull=False)),
        to_decide_since=Min("submitted_at", filter=in_evaluation & Q(score__isnull=False)),
        funded=Count("pk", filter=Q(status__in=SPONSOR_VISIBLE)),
    )
    queues = [
        _queue(_("요건검토 대기"), figures["submitted"], figures["submitted_since"], status=S.SUBMITTED),
        _queue(_("요건검토 중"), figures["screening"], figures["screening_since"], status=S.SCREENING),
        _queue(_("보완 답변 대기"), figures["changes"], None, status=S.CHANGES_REQUESTED),
        _queue(_("평가 진행 중"), figures["evaluating"], figures["evaluating_since"], status=S.EVALUATION),
        _queue(
            _("선정 결정 대기"),
            figures["to_decide"],
            figures["to_decide_since"],
            status=S.EVALUATION,
            ordering="-score",
        ),
    ]
    today = timezone.localdate()
    programs = [
        {"program": program, "received": program.received, "days_left": (program.closes_on - today).days}
        for program in program_list(user=user)
        .filter(status=Program.Status.OPEN, closes_on__gte=today)
        .annotate(received=Count("applications", filter=~Q(applications__status=S.DRAFT)))
        .order_by("closes_on", "title")[:HOME_ROWS]
    ]
    return HomeSection(
        name="staff-queues",
        title=_("처리할 신청서"),
        template="applicants/home/staff_queues.html",
        order=10,
        context={"queues": queues, "programs": programs, "funded": figures["funded"]},
    )


def _queue(label: str, count: int, since: datetime.datetime | None, **query: str) -> dict[str, Any]:
    """One work queue: its count, its oldest waiting application's date, the query of its list."""
    return {"label": label, "count": count, "since": since, "query": urlencode(query)}


def applicant_applications(request) -> HomeSection | None:
    """An SME: its applications, each with its status, next step, deadline and where to continue;
    the programs it may still apply to. Two queries (one before the company is registered: none)."""
    user = request.user
    if not is_applicant(user):
        return None
    if not user.company_id:
        return HomeSection(
            name="my-applications",
            title=_("내 신청서"),
            template="applicants/home/applicant.html",
            order=10,
            context={"no_company": True},
        )
    today = timezone.localdate()
    rows = []
    for application in application_list(user=user).order_by("-created_at", "-id")[: HOME_ROWS * 2]:
        editable = can_edit_application(user, application)
        deadline = application.program.closes_on
        rows.append({
            "application": application,
            "next_step": NEXT_STEP.get(S(application.status), ""),
            "to_act": application.status in SME_TO_ACT,
            "editable": editable,
            "deadline": deadline if editable and deadline >= today else None,
        })  # fmt: skip
    open_programs = [
        p for p in program_list_open_for(company_id=user.company_id) if not p.live_application_id
    ]
    return HomeSection(
        name="my-applications",
        title=_("내 신청서"),
        template="applicants/home/applicant.html",
        order=10,
        context={"rows": rows, "open_programs": open_programs},
    )


def evaluator_todo(request) -> HomeSection | None:
    """An evaluator: the applications still to score (oldest submission first) and how many it has
    scored. Two queries."""
    user = request.user
    if not is_evaluator(user):
        return None
    assignments = evaluator_assignment_list(user=user)
    counts = evaluator_assignment_counts(assignments)
    todo = list(assignments.filter(my_state="todo")[:HOME_ROWS])
    return HomeSection(
        name="evaluations",
        title=_("평가할 신청서"),
        template="applicants/home/evaluator.html",
        order=10,
        context={"todo": todo, "counts": counts},
    )


def ministry_overview(request) -> HomeSection | None:
    """The ministry: per agency, the applications by stage (read-only). Two queries: the agencies,
    the counts grouped by agency and status."""
    user = request.user
    if not is_ministry(user):
        return None
    counts: dict[int, dict[str, int]] = {}
    rows = (
        application_list(user=user).values("program__agency_id", "status").annotate(n=Count("pk")).order_by()
    )
    for row in rows:
        counts.setdefault(row["program__agency_id"], {})[row["status"]] = row["n"]
    stages: dict[str, set[str]] = {
        "received": set(S.values) - {S.DRAFT},
        "reviewing": {S.SUBMITTED, S.SCREENING, S.CHANGES_REQUESTED, S.EVALUATION},
        "selected": {*SPONSOR_VISIBLE},
        "rejected": {S.REJECTED},
    }
    agencies: list[dict[str, Any]] = []
    for agency in Agency.objects.order_by("name"):
        by_status = counts.get(agency.pk, {})
        figures = {stage: sum(by_status.get(s, 0) for s in statuses) for stage, statuses in stages.items()}
        agencies.append({"agency": agency, **figures})
    totals = {stage: sum(int(a[stage]) for a in agencies) for stage in stages}
    # Each national total links to the queue narrowed to its stage's states.
    links = {
        stage: urlencode([("status", s) for s in S.values if s in statuses])
        for stage, statuses in stages.items()
    }
    return HomeSection(
        name="national",
        title=_("전국 신청 현황"),
        template="applicants/home/ministry.html",
        order=10,
        context={"agencies": agencies, "totals": totals, "links": links},
    )
