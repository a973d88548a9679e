"""Pages of completion and the inspection (SPEC §17): staff record an inspection from the panel of
the application page; the SME's `/my/applications/<id>/completion/` is its checklist for asking for
inspection (the report, each KPI target's result), the request itself, and the results after."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import applicant_required, staff_required
from applicants.models import Application
from applicants.panels import application_page, panel_redirect
from applicants.selectors import get_application_or_404
from applicants.services import application_transition, attachment_add
from config.errors import DomainError
from config.forms import add_validation_errors
from program.choices import DocumentKind
from projects.inspection_forms import ERROR_FIELDS, CompletionReportForm, InspectionForm
from projects.inspection_selectors import completion_missing, inspections_shown, kpi_rows_with_results
from projects.services.inspections import inspection_record

S = Application.Status


@require_POST
@staff_required
def record(request, pk):
    """An inspection from the panel; refused, the panel again with the reason at its field."""
    application = get_application_or_404(request, pk, detail=False)
    form = InspectionForm(
        request.POST, application=application, targets=kpi_rows_with_results(application=application)
    )
    status = 400
    if form.is_valid():
        try:
            inspection = inspection_record(
                actor=request.user, application=application, **form.service_arguments()
            )
        except DomainError as error:
            form.add_error(ERROR_FIELDS.get(error.code), error.message)
            status = error.status_code
        else:
            messages.success(
                request, _("완료점검 결과(%s)를 기록했습니다.") % inspection.get_result_display()
            )
            return panel_redirect(request, reverse("applicants:staff-detail", args=[pk]) + "#tab-agreement")
    application = get_application_or_404(request, pk)
    return application_page(request, application, status=status, panel="inspection", inspection_form=form)


def _completion_page(request, application, *, status=200, error=None, report_form=None):
    missing = completion_missing(application=application)
    context = {
        "application": application,
        "kpi_rows": kpi_rows_with_results(application=application),
        "reports": application.attachments.filter(kind=DocumentKind.COMPLETION_REPORT),
        "missing": missing,
        "ready": not missing["report"] and not missing["kpis"],
        "building": application.status == S.BUILDING,
        "inspections": inspections_shown(application_id=application.pk),
        "error": error,
        "report_form": report_form or CompletionReportForm(),
    }
    return render(request, "projects/completion/my.html", context, status=status)


@require_http_methods(["GET", "POST"])
@applicant_required
def my_completion(request, pk):
    """The checklist; POST asks for inspection (`submit_completion`), refused with what is missing."""
    application = get_application_or_404(request, pk, detail=False)
    if request.method == "POST":
        try:
            application_transition(application=application, action="submit_completion", actor=request.user)
        except DomainError as error:
            application = get_application_or_404(request, pk, detail=False)
            return _completion_page(request, application, status=error.status_code, error=error.message)
        messages.success(request, _("완료점검을 요청했습니다."))
        return redirect("projects:my-completion", pk)
    return _completion_page(request, application)


@require_POST
@applicant_required
def my_completion_report(request, pk):
    """Upload the completion report (while building)."""
    application = get_application_or_404(request, pk, detail=False)
    form = CompletionReportForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            attachment_add(
                actor=request.user,
                application=application,
                kind=DocumentKind.COMPLETION_REPORT,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
            status = error.status_code
        else:
            messages.success(request, _("완료보고서를 올렸습니다."))
            return redirect("projects:my-completion", pk)
    return _completion_page(request, application, status=status, report_form=form)


urlpatterns: list = [
    path("staff/applications/<int:pk>/inspection/", record, name="staff-inspection"),
    path("my/applications/<int:pk>/completion/", my_completion, name="my-completion"),
    path("my/applications/<int:pk>/completion/report/", my_completion_report, name="my-completion-report"),
]
