"""Pages of agreement changes (협약변경, SPEC §16): the SME's list and request form on `/my/`, and
staff's approve/reject from the changes panel of the staff application page (tab 협약·점검)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import applicant_required, staff_required
from applicants.panels import application_page, panel_redirect, panel_response
from applicants.selectors import get_application_or_404
from config.errors import DomainError
from config.forms import add_validation_errors
from projects.change_forms import ChangeRequestForm, DecisionForm
from projects.change_permissions import can_request_change
from projects.change_selectors import change_list
from projects.models import Agreement, AgreementChange
from projects.services.changes import CHANGEABLE, change_approve, change_reject, change_request


@require_http_methods(["GET", "POST"])
@applicant_required
def my_changes(request, pk):
    """`/my/applications/<pk>/changes/`: the SME's changes with their status, and the request form
    while the agreement runs."""
    application = get_application_or_404(request, pk, detail=False)
    if not can_request_change(request.user, application):
        raise Http404
    agreement = Agreement.objects.filter(application=application).first()
    open_for_changes = (
        application.status in CHANGEABLE
        and agreement is not None
        and agreement.status == Agreement.Status.COUNTERSIGNED
    )
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and open_for_changes and form.is_valid():
        try:
            change_request(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            field = error.data.get("field")
            form.add_error(field if field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("협약변경을 신청했습니다. 담당자가 검토합니다."))
            return panel_redirect(request, reverse("projects:my-changes", args=[pk]))
    context = {
        "application": application,
        "agreement": agreement,
        "changes": change_list(application_id=application.pk),
        "form": form,
        "open_for_changes": open_for_changes,
    }
    status = 400 if form.errors else 200
    if request.method == "POST" and not open_for_changes:
        status = 409
    return render(request, "projects/changes/my.html", context, status=status)


def _decide(request, pk, change_id, approve: bool):
    application = get_application_or_404(request, pk, detail=False)
    change = get_object_or_404(AgreementChange, application=application, pk=change_id)
    form = DecisionForm(request.POST, auto_id=f"change-{change.pk}-%s")
    if form.is_valid():
        decide = change_approve if approve else change_reject
        try:
            decide(actor=request.user, change=change, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied from error
            form.add_error(None, str(error.message))
        else:
            done = _("협약변경을 승인했습니다.") if approve else _("협약변경을 반려했습니다.")
            messages.success(request, done)
            return panel_redirect(request, reverse("applicants:staff-detail", args=[pk]) + "#changes")
    application = get_application_or_404(request, pk)
    return application_page(
        request, application, status=400, panel="changes", decision_forms={change.pk: form}
    )


@require_POST
@staff_required
def approve(request, pk, change_id):
    return _decide(request, pk, change_id, approve=True)


@require_POST
@staff_required
def reject(request, pk, change_id):
    return _decide(request, pk, change_id, approve=False)


@require_GET
@staff_required
def changes_panel(request, pk):
    """The changes panel alone (applicants/panels.py)."""
    return panel_response(request, get_application_or_404(request, pk, detail=False), name="changes")


urlpatterns = [
    path("my/applications/<int:pk>/changes/", my_changes, name="my-changes"),
    path(
        "staff/applications/<int:pk>/changes/<int:change_id>/approve/", approve, name="staff-change-approve"
    ),
    path("staff/applications/<int:pk>/changes/<int:change_id>/reject/", reject, name="staff-change-reject"),
    path("staff/applications/<int:pk>/panels/changes/", changes_panel, name="changes-panel"),
]
