"""`/staff/programs/`: staff create and edit programs with their cost-share policy."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_required
from config.forms import add_validation_errors
from config.numbers import parse_whole_number
from program import selectors
from program.forms import ProgramForm
from program.permissions import can_change_program
from program.services import program_save


@require_GET
@staff_required
def program_list(request):
    """The programs of the user's scope (docs/domain.md §1): staff their agency's, the ministry all."""
    context = {
        "programs": selectors.program_list(user=request.user),
        "can_change": can_change_program(request.user),
    }
    return render(request, "program/staff/list.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def program_edit(request, pk=None):
    program = get_object_or_404(selectors.program_list(user=request.user), pk=pk) if pk else None
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            program_save(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("사업을 저장했습니다."))
            return redirect("program:staff-programs")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "program": program, "can_change": can_change_program(request.user, program)}
    return render(request, "program/staff/edit.html", context, status=status)


@require_GET
@staff_required
def audit_events(request):
    """Every status change and money movement the user may read (docs/domain.md §1), newest first, filtered by
    action, actor, target and date."""
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    target = request.GET.get("target", "").strip()
    since, until = request.GET.get("since", ""), request.GET.get("until", "")
    filters = selectors.AuditFilters(
        action=action,
        actor=actor,
        target=target,
        object_id=parse_whole_number(request.GET.get("object", "")),
        since=_day(since),
        until=_day(until),
    )
    events = selectors.audit_event_list(user=request.user, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "values": {"action": action, "actor": actor, "target": target, "since": since, "until": until},
        "targets": [
            ("applicants.application", _("신청서")),
            ("funds.ledgerentry", _("기금 원장")),
            ("program.program", _("사업")),
            ("applicants.company", _("도입기업")),
            ("mentoring.mentor", _("멘토")),
        ],
    }
    return render(request, "program/staff/audit.html", context)


def _day(value: str) -> datetime.date | None:
    """A date from the query string, or None when it is blank or not a date (the filter is ignored)."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
