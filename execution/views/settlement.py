"""SPEC §18.2-§18.3 pages: the settlement sheet of one application (printable, with the confirm button
for staff), the deposit form of the settlement panel, and the panels' own GET views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_required
from applicants.panels import application_page, panel_redirect
from applicants.selectors import get_application_or_404
from config.errors import DomainError
from config.forms import add_validation_errors, validation_message
from execution.clawback_selectors import clawbacks_of
from execution.forms import DepositForm
from execution.models import SpendingLine
from execution.permissions import can_manage_execution, can_view_execution
from execution.register import REGISTER_SHOWN
from execution.selectors import deposit_list, deposit_total, spending_list
from execution.services.deposits import deposit_record
from execution.services.settlement import settlement_confirm
from execution.settlement import settlement_figures

STATUS_ORDER = (SpendingLine.Status.PENDING, SpendingLine.Status.DISALLOWED, SpendingLine.Status.APPROVED)


def _application(request, pk):
    application = get_application_or_404(request, pk, detail=False)
    if not can_view_execution(request.user, application) or application.status not in REGISTER_SHOWN:
        raise Http404
    return application


@require_GET
@staff_required
def sheet(request, pk):
    """정산서: the figures of SPEC §18.3, the lines grouped by review status, the deposits."""
    return _sheet(request, _application(request, pk))


def _sheet(request, application, *, status: int = 200, error: str = ""):
    figures = settlement_figures(application=application)
    lines = list(spending_list(application_id=application.pk))
    labels = dict(SpendingLine.Status.choices)
    groups = [
        {
            "status": value,
            "label": labels[value],
            "lines": [line for line in lines if line.status == value],
            "total": sum(line.amount for line in lines if line.status == value),
        }
        for value in STATUS_ORDER
    ]
    context = {
        "application": application,
        "figures": figures,
        "groups": groups,
        "deposits": deposit_list(application_id=application.pk),
        "deposited": deposit_total(application_id=application.pk),
        "clawbacks": clawbacks_of(application_id=application.pk),
        "can_confirm": figures.status == "open" and can_manage_execution(request.user, application),
        "error": error,
    }
    return render(request, "execution/settlement/sheet.html", context, status=status)


@require_POST
@staff_required
def confirm(request, pk):
    """정산 확정 (staff, when nothing is pending); a refusal (409) is shown on the sheet."""
    application = _application(request, pk)
    if not can_manage_execution(request.user, application):
        raise PermissionDenied
    try:
        settlement_confirm(actor=request.user, application=application)
    except ValidationError as error:
        return _sheet(request, application, status=400, error=validation_message(error))
    except DomainError as error:
        if error.status_code == 403:
            raise PermissionDenied from error
        return _sheet(request, application, status=error.status_code, error=str(error.message))
    messages.success(request, _("정산을 확정했습니다."))
    return redirect("execution:settlement-sheet", pk)


@require_POST
@staff_required
def record_deposit(request, pk):
    """기업부담금 입금 기록, from the settlement panel of the staff application page."""
    application = _application(request, pk)
    if not can_manage_execution(request.user, application):
        raise PermissionDenied
    form = DepositForm(request.POST, request.FILES, auto_id="deposit-%s")
    if form.is_valid():
        try:
            deposit_record(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied from error
            form.add_error("amount", str(error.message))
        else:
            messages.success(request, _("기업부담금 입금을 기록했습니다."))
            return panel_redirect(request, reverse("applicants:staff-detail", args=[pk]) + "#tab-funds")
    application = get_application_or_404(request, pk)
    return application_page(request, application, status=400, panel="settlement", deposit_form=form)


urlpatterns = [
    path("staff/applications/<int:pk>/settlement/", sheet, name="settlement-sheet"),
    path("staff/applications/<int:pk>/settlement/confirm/", confirm, name="settlement-confirm"),
    path("staff/applications/<int:pk>/deposits/", record_deposit, name="deposit-record"),
]
