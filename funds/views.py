"""Money pages: each program's fund (staff), payments on the application page, the sponsor dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_required
from accounts.roles import is_sponsor_user, is_staff
from applicants.models import Application
from applicants.views.common import get_application_or_404
from config.errors import DomainError
from config.forms import add_validation_errors
from funds.dashboard import sponsor_dashboard
from funds.forms import ContributionForm, DisbursementForm
from funds.models import LedgerEntry, Pot
from funds.selectors import fund_balances, program_commitments, program_ledger
from funds.services import contribution_record, disbursement_record
from program.choices import labels
from program.models import Program, Sponsor
from program.permissions import can_view_sponsor


@require_http_methods(["GET", "POST"])
@staff_required
def program_fund(request, pk):
    """A program's two pots, its commitments, payments and ledger; staff record contributions here."""
    program = get_object_or_404(Program.objects.select_related("sponsor"), pk=pk)
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
    }
    return render(request, "funds/program_fund.html", context, status=400 if form.errors else 200)


@require_POST
@staff_required
def record_disbursement(request, pk):
    """A payment to an application, from its staff detail page."""
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
            return redirect("applicants:staff-detail", pk)
    from applicants.views.staff import _render_detail

    return _render_detail(request, get_application_or_404(request, pk), status=400, payment_form=form)


@require_GET
@login_required
def sponsor_home(request):
    """`/sponsor/`: a sponsor user's own dashboard; staff pick a sponsor."""
    if is_sponsor_user(request.user):
        return _render_dashboard(request, request.user.sponsor)
    if is_staff(request.user):
        return render(request, "funds/sponsor_list.html", {"sponsors": Sponsor.objects.order_by("name")})
    raise Http404


@require_GET
@login_required
def sponsor_dashboard_page(request, pk):
    """One sponsor's dashboard: staff see any; a sponsor user only its own (404 for any other id)."""
    if not can_view_sponsor(request.user, pk):
        raise Http404
    return _render_dashboard(request, get_object_or_404(Sponsor, pk=pk))


def _render_dashboard(request, sponsor):
    data = sponsor_dashboard(sponsor_id=sponsor.pk)
    charts = {
        "by_year": {
            "labels": [str(row["year"]) for row in data["by_year"]],
            "contributed": [row["contributed"] for row in data["by_year"]],
            "committed": [row["committed"] for row in data["by_year"]],
            "disbursed": [row["disbursed"] for row in data["by_year"]],
        },
        "by_region": {
            "labels": [row["label"] for row in data["by_region"]],
            "projects": [row["projects"] for row in data["by_region"]],
        },
        "by_level": {
            "labels": [row["label"] for row in data["by_level"]],
            "projects": [row["projects"] for row in data["by_level"]],
        },
        "partners": {
            "labels": [_("협력사"), _("일반 기업")],
            "smes": [data["partners"]["partner"], data["partners"]["general"]],
        },
        "labels": {
            "contributed": _("출연"),
            "committed": _("약정"),
            "disbursed": _("지급"),
            "projects": _("지원 과제 수"),
            "smes": _("기업 수"),
        },
    }
    context = {"sponsor": sponsor, "data": data, "charts": charts}
    return render(request, "funds/sponsor_dashboard.html", context)
