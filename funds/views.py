"""Money pages: each program's fund (staff), payments on the application page. The sponsor dashboard
is reports' (reports/dashboard_views.py): it shows outcomes too, and reports sits above funds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_required
from applicants.models import Application
from applicants.panels import application_page, panel_redirect, panel_response
from applicants.selectors import get_application_or_404
from config.errors import DomainError
from config.forms import add_validation_errors
from funds.forms import ContributionForm, DisbursementForm
from funds.models import LedgerEntry, Pot
from funds.permissions import can_record_contribution
from funds.selectors import fund_balances, program_commitments, program_ledger
from funds.services import contribution_record, disbursement_record
from program.choices import labels
from program.selectors import program_list


@require_http_methods(["GET", "POST"])
@staff_required
def program_fund(request, pk):
    """A program's two pots, its commitments, payments and ledger; staff record contributions here.
    A program outside the user's agency answers 404 (docs/domain.md §1)."""
    program = get_object_or_404(program_list(user=request.user), pk=pk)
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contribution_record(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("출연금을 기록했습니다."))
            return redirect("funds:program-fund", program.pk)
    ledger = Paginator(program_ledger(program_id=program.pk), 50).get_page(request.GET.get("page"))
    commitments = list(program_commitments(program_id=program.pk))
    # Labels resolved once per page, not per row (get_FOO_display() dominated the page at a few
    # hundred funded applications, docs/performance.md).
    statuses, pots, kinds = labels(Application.Status), labels(Pot), labels(LedgerEntry.Kind)
    for application in commitments:
        application.status_label = statuses[application.status]
    for entry in ledger:
        entry.pot_label, entry.kind_label = pots[entry.pot], kinds[entry.kind]
    context = {
        "program": program,
        "balances": fund_balances(program_id=program.pk),
        "commitments": commitments,
        "ledger": ledger,
        "form": form,
        "can_record": can_record_contribution(request.user, program),
    }
    return render(request, "funds/program_fund.html", context, status=400 if form.errors else 200)


@require_POST
@staff_required
def record_disbursement(request, pk):
    """A payment to an application, from the payments panel of its staff page."""
    application = get_application_or_404(request, pk)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        try:
            disbursement_record(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            form.add_error("amount", error.message)
        else:
            messages.success(request, _("지급을 기록했습니다."))
            return panel_redirect(request, reverse("applicants:staff-detail", args=[pk]))
    application = get_application_or_404(request, pk)
    return application_page(request, application, status=400, panel="payments", payment_form=form)


@require_GET
@staff_required
def payments_panel(request, pk):
    return panel_response(request, get_application_or_404(request, pk, detail=False), name="payments")
