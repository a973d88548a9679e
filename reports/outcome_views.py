"""Outcome pages (docs/domain.md §8): the SME's form on `/my/`, the same form for staff, and a program's
adopters-vs-comparison figures for staff. An application outside the user's scope answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import applicant_required, staff_required
from applicants.panels import panel_response
from applicants.selectors import get_application_or_404
from config.errors import DomainError
from config.forms import add_validation_errors
from program.permissions import user_agency_id
from program.selectors import program_list
from reports.models import Outcome
from reports.outcome_forms import OutcomeRowForm
from reports.outcomes import (
    REPORTABLE,
    outcome_aggregates,
    outcome_aggregates_by_year,
    outcome_list,
    outcome_save,
)


def _save_rows(actor, application, rows) -> bool:
    """Save every filled row, or none: one refused value (here or already in the form) keeps the
    others unsaved too, so that the page shows all the errors at once and what was typed stays."""
    with transaction.atomic():
        for form in rows:
            if form.errors or not form.filled():
                continue
            try:
                outcome_save(actor=actor, application=application, kpi=form.kpi, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
        if any(form.errors for form in rows):
            transaction.set_rollback(True)
            return False
    return True


def _outcomes_form(request, application, *, back: str, staff: bool):
    if application.status not in REPORTABLE:
        messages.info(request, _("성과는 구축·완료점검·완료·탈락·포기 상태의 신청서에만 입력할 수 있습니다."))
        return redirect(back)
    existing = {outcome.kpi: outcome for outcome in outcome_list(application_id=application.pk)}
    data = request.POST if request.method == "POST" else None
    rows = [OutcomeRowForm(data, kpi=kpi, outcome=existing.get(kpi)) for kpi in Outcome.Kpi.values]
    nothing = False
    if request.method == "POST":
        valid = [form.is_valid() for form in rows]
        nothing = all(valid) and not any(form.filled() for form in rows)
        try:
            saved = not nothing and _save_rows(request.user, application, rows)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(back)
        if saved:
            messages.success(request, _("성과를 저장했습니다."))
            return redirect(back)
    context = {
        "application": application,
        "rows": rows,
        "back": back,
        "staff": staff,
        "nothing": nothing,
        "has_errors": any(form.errors for form in rows),
    }
    status = 400 if context["has_errors"] or nothing else 200
    return render(request, "reports/outcomes/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@applicant_required
def my_outcomes(request, pk):
    """`/my/applications/<pk>/outcomes/`: the SME reports its KPIs, before and after."""
    application = get_application_or_404(request, pk, detail=False)
    return _outcomes_form(request, application, back=reverse("applicants:my-detail", args=[pk]), staff=False)


@require_http_methods(["GET", "POST"])
@staff_required
def staff_outcomes(request, pk):
    """`/staff/applications/<pk>/outcomes/`: staff enter or correct their agency's applications' KPIs
    (audited); the ministry reads the form."""
    application = get_application_or_404(request, pk, detail=False)
    return _outcomes_form(
        request, application, back=reverse("applicants:staff-detail", args=[pk]), staff=True
    )


@require_GET
@staff_required
def program_outcomes(request, pk):
    """A program's outcomes, adopters against the comparison group, and its sponsor's by year (for
    staff, of their agency's programs). Another agency's program answers 404."""
    program = get_object_or_404(program_list(user=request.user), pk=pk)
    context = {
        "program": program,
        "aggregates": list(outcome_aggregates(program_id=program.pk).values()),
        "by_year": outcome_aggregates_by_year(
            sponsor_id=program.sponsor_id, agency_id=user_agency_id(request.user)
        ),
    }
    return render(request, "reports/outcomes/program.html", context)


@require_GET
@staff_required
def outcomes_panel(request, pk):
    """The outcomes panel of the staff application page alone (applicants/panels.py)."""
    return panel_response(request, get_application_or_404(request, pk, detail=False), name="outcomes")
