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
from program.forms import ProgramForm
from program.models import AuditEvent, Program
from program.services import program_save


@require_GET
@staff_required
def program_list(request):
    programs = Program.objects.select_related("sponsor", "agency").order_by("-year", "title")
    return render(request, "program/staff/list.html", {"programs": programs})


@require_http_methods(["GET", "POST"])
@staff_required
def program_edit(request, pk=None):
    program = get_object_or_404(Program, pk=pk) if pk else None
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            program_save(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("사업을 저장했습니다."))
            return redirect("program:staff-programs")
    status = 400 if request.method == "POST" else 200
    return render(request, "program/staff/edit.html", {"form": form, "program": program}, status=status)


@require_GET
@staff_required
def audit_events(request):
    """Every status change and money movement, newest first, filtered by action, actor, target and date."""
    events = AuditEvent.objects.select_related("actor", "content_type").order_by("-created_at", "-id")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    target = request.GET.get("target", "").strip()
    since, until = request.GET.get("since", ""), request.GET.get("until", "")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor__username=actor)
    if target:
        app_label, _dot, model = target.partition(".")
        events = events.filter(content_type__app_label=app_label, content_type__model=model)
        if (object_id := parse_whole_number(request.GET.get("object", ""))) is not None:
            events = events.filter(object_id=object_id)
    for value, lookup in ((since, "created_at__date__gte"), (until, "created_at__date__lte")):
        try:
            day = datetime.date.fromisoformat(value) if value else None
        except ValueError:
            day = None
        if day:
            events = events.filter(**{lookup: day})
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
