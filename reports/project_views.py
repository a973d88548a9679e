"""`/sponsor/projects/<id>/`: one funded project as its sponsor sees it (issue 19 item 5): the
agreement's period and supplier, its KPI targets against the results reported, the approved
changes and the inspections. The program's sponsor users, and officials within their agency scope,
may read it; every other role, and any application not funded, answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import is_official, is_sponsor_user
from applicants.permissions import SPONSOR_VISIBLE
from applicants.selectors import application_list
from projects.selectors import kpi_target_rows
from projects.selectors_sponsor import (
    approved_changes,
    inspection_history,
    is_extended,
    project_agreement,
)
from reports.models import Outcome


def _project_for(user, pk):
    """The funded application if `user` may read it as a sponsor project, else 404."""
    if not (is_sponsor_user(user) or is_official(user)):
        raise Http404
    application = application_list(user=user).filter(pk=pk, status__in=SPONSOR_VISIBLE).first()
    if application is None:
        raise Http404
    return application


@require_GET
@login_required
def sponsor_project(request, pk):
    """Six queries whatever the project holds: the application, its agreement, outcomes, changes,
    inspections (and the session's user)."""
    application = _project_for(request.user, pk)
    agreement = project_agreement(application)
    results = dict(Outcome.objects.filter(application=application).values_list("kpi", "result"))
    kpis = kpi_target_rows(agreement.kpi_targets if agreement else [], results)
    context = {
        "application": application,
        "sponsor": application.program.sponsor,
        "agreement": agreement,
        "extended": agreement is not None
        and is_extended(agreement.starts_on, agreement.ends_on, agreement.original_ends_on),
        "kpis": kpis,
        "kpis_met": sum(1 for row in kpis if row["met"]),
        "kpis_measured": sum(1 for row in kpis if row["met"] is not None),
        "changes": approved_changes(application),
        "inspections": inspection_history(application),
    }
    return render(request, "reports/sponsor_project.html", context)
