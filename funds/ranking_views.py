"""The ranking page (docs/domain.md §5): a program's applications in evaluation against its pots, and
what staff do from it: select or reject a row (the workflow service, as on the application page) and
put a committee of evaluators on many applications at once."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_required
from applicants import services
from applicants.models import Application
from applicants.selectors import evaluator_choices
from config.errors import DomainError
from config.numbers import parse_whole_number
from funds.permissions import can_view_ranking
from funds.ranking import RankedApplication, program_ranking
from funds.selectors import fund_balances
from program.permissions import can_act_in_agency
from program.selectors import program_list

DECISIONS = ("select", "reject")


@dataclass(frozen=True)
class Decision:
    """A select/reject the service refused: shown at its row, with the note as typed."""

    application_id: int
    action: str
    note: str
    error: str


@dataclass(frozen=True)
class Row:
    ranked: RankedApplication
    decision: Decision | None  # the refused decision on this row, if any
    chosen: bool  # ticked for the committee form (kept when that form is refused)


@require_GET
@staff_required
def ranking(request, program_pk):
    """A program's applications in evaluation, best first, with the line where the money runs out."""
    return _ranking_page(request, _program_or_404(request, program_pk))


@require_POST
@staff_required
def decide(request, program_pk, pk):
    """선정 or 탈락 of one row, through the same workflow service as the application page: a refusal
    (no note for 탈락, a pot that no longer covers 선정) answers with the ranking again, the error at
    the row and the note kept; nothing changes then."""
    program = _program_or_404(request, program_pk)
    application = get_object_or_404(Application.objects.filter(program=program), pk=pk)
    action, note = request.POST.get("action", ""), request.POST.get("note", "")
    try:
        if action not in DECISIONS:
            raise DomainError(_("알 수 없는 작업입니다: %s") % action, code="unknown_action")
        services.application_transition(application=application, action=action, actor=request.user, note=note)
    except DomainError as error:
        decision = Decision(application.pk, action, note, str(error.message))
        return _ranking_page(request, program, status=error.status_code, decision=decision)
    done = _("'%s'을(를) 선정했습니다.") if action == "select" else _("'%s'을(를) 탈락 처리했습니다.")
    messages.success(request, done % application.title)
    return redirect("funds:ranking", program_pk=program.pk)


@require_POST
@staff_required
def committee(request, program_pk):
    """Every chosen evaluator on every chosen application's committee, pair by pair through the
    assignment service (its rules, its audit); pairs already assigned are skipped and counted."""
    program = _program_or_404(request, program_pk)
    values = [parse_whole_number(value) for value in request.POST.getlist("applications")]
    ids = [pk for pk in values if pk is not None]
    usernames = [name for name in request.POST.getlist("evaluators") if name]
    errors = {}
    if not ids or len(ids) != len(values):
        errors["applications"] = _("평가위원을 배정할 신청서를 하나 이상 선택해 주세요.")
    if not usernames:
        errors["evaluators"] = _("배정할 평가위원을 한 명 이상 선택해 주세요.")
    if errors:
        return _ranking_page(
            request,
            program,
            status=400,
            committee_errors=errors,
            chosen=set(ids),
            chosen_evaluators=usernames,
        )
    applications = list(
        Application.objects.filter(program=program, pk__in=ids, status=Application.Status.EVALUATION)
        .select_related("program")
        .order_by("pk")
    )
    result = services.committee_assign(
        applications=applications, evaluator_usernames=usernames, actor=request.user
    )
    messages.success(
        request,
        _("평가위원 %(assigned)d건 배정, %(existing)d건 이미 배정")
        % {"assigned": len(result.assigned), "existing": len(result.existing)},
    )
    skipped = len(set(ids) - {application.pk for application in applications})
    if skipped:
        messages.error(request, _("선정평가 중이 아닌 신청서 %d건은 건너뛰었습니다.") % skipped)
    for application, username, reason in result.refused:
        messages.error(request, f"{application.title} · {username}: {reason}")
    return redirect("funds:ranking", program_pk=program.pk)


def _program_or_404(request, program_pk):
    program = get_object_or_404(program_list(user=request.user), pk=program_pk)
    if not can_view_ranking(request.user, program):
        raise Http404
    return program


def _ranking_page(
    request,
    program,
    *,
    status: int = 200,
    decision: Decision | None = None,
    committee_errors: dict[str, str] | None = None,
    chosen: set[int] | frozenset[int] = frozenset(),
    chosen_evaluators: list[str] | None = None,
):
    balances = fund_balances(program_id=program.pk)
    ranked = program_ranking(program=program, balances=balances)
    rows = [
        Row(
            row,
            decision if decision and decision.application_id == row.application.pk else None,
            row.application.pk in chosen,
        )
        for row in ranked
    ]
    can_act = can_act_in_agency(request.user, program.agency_id)  # the ministry reads only
    shown = decision and any(row.decision for row in rows)
    context = {
        "program": program,
        "ranked": ranked,
        "rows": rows,
        "balances": balances,
        "can_act": can_act,
        # a refusal for a row no longer in the ranking (decided meanwhile) shows above the table
        "decision_error": decision.error if decision and not shown else "",
        "evaluators": evaluator_choices() if can_act and ranked else [],
        "chosen_evaluators": chosen_evaluators or [],
        "committee_errors": committee_errors or {},
    }
    return render(request, "funds/ranking.html", context, status=status)
