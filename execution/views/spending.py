"""SPEC §18.1 pages: the SME's spending register with its upload form (`/my/applications/<pk>/spending/`),
staff's review queue across their agency's programs (`/staff/spending/`) with approve/disallow on each
row, and a line's evidence file for whoever may see the line."""

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import applicant_required, staff_required
from applicants.models import Application
from applicants.panels import is_htmx
from applicants.selectors import application_visible, get_application_or_404
from config.errors import DomainError
from config.files import stored_file_response
from config.forms import add_validation_errors
from execution.forms import QueueFilterForm, ReviewForm, SpendingForm
from execution.models import SpendingLine
from execution.permissions import (
    can_manage_execution,
    can_record_spending,
    can_view_execution,
    execution_scope,
)
from execution.register import REGISTER_SHOWN, register_context
from execution.selectors import SpendingQueueFilters, spending_queue
from execution.services.spending import spending_record, spending_review
from program.selectors import program_list

S = Application.Status
QUEUE_PAGE_SIZE = 20


# --- the SME's register --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@applicant_required
def my_spending(request, pk):
    """The register of the owner's project: its lines with status and reasons (flags are for staff),
    the running total against the agreed total, the deposits, and while `building` the upload form.
    A refused upload keeps everything typed (the bound form is drawn again)."""
    application = get_application_or_404(request, pk, detail=False)
    if not can_record_spending(request.user, application) or application.status not in REGISTER_SHOWN:
        raise Http404
    building = application.status == S.BUILDING
    form = SpendingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and building and form.is_valid():
        try:
            spending_record(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            form.add_error(_error_field(error, form), str(error.message))
        else:
            messages.success(request, _("집행 내역을 등록했습니다. 담당자가 증빙을 검토합니다."))
            return redirect("execution:my-spending", pk)
    status = 400 if form.errors else 200
    if request.method == "POST" and not building:
        status = 409
    context = {**register_context(application), "form": form, "building": building}
    return render(request, "execution/spending/my.html", context, status=status)


def _error_field(error: DomainError, form) -> str | None:
    """The field a refusal is about: the one it names, a duplicate invoice's number, else the form."""
    field = error.data.get("field") or ("invoice_number" if error.code == "duplicate_invoice" else None)
    return field if field in form.fields else None


# --- staff's review queue ------------------------------------------------------------------------------


@require_GET
@staff_required
def queue(request):
    """검토 대기 집행: pending lines of the user's scope, flagged first, filtered and paginated."""
    return _queue_page(request)


def _queue_page(request, *, status: int = 200, review_forms: dict | None = None):
    filters, chosen = _queue_filters(request)
    lines = _queue_lines(request.user, filters, chosen)
    page = Paginator(lines, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    forms = review_forms or {}
    rows = [_queue_row(request, line, forms.get(line.pk)) for line in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "chosen": chosen,
        "programs": program_list(user=request.user).values_list("id", "title", "year"),
        "flags": _flag_labels(),
        "statuses": SpendingLine.Status.choices,
        "next": request.get_full_path(),
        "query": query.urlencode(),
    }
    return render(request, "execution/spending/queue.html", context, status=status)


def _queue_filters(request) -> tuple[SpendingQueueFilters, dict]:
    """The queue's filters from the query string; unknown values are left out, not refused."""
    form = QueueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    program, flag = data.get("program"), data.get("flag") or ""
    chosen = {"program": program, "flag": flag, "status": data.get("status") or ""}
    return SpendingQueueFilters(program_id=program, flagged=True if flag else None), chosen


def _queue_lines(user, filters: SpendingQueueFilters, chosen: dict):
    """Pending lines by default (the selector's queue, flagged first); reviewed ones when the status
    filter asks for them, the latest decisions first. A particular flag narrows either."""
    if chosen["status"] in ("", SpendingLine.Status.PENDING):
        lines = spending_queue(user=user, filters=filters)
    else:
        lines = (
            SpendingLine.objects.filter(execution_scope(user), status=chosen["status"])
            .select_related("application", "application__company", "application__program")
            .order_by("-reviewed_at", "-id")
        )
        if filters.program_id is not None:
            lines = lines.filter(application__program_id=filters.program_id)
    return lines.filter(**{chosen["flag"]: True}) if chosen["flag"] else lines


def _queue_row(request, line: SpendingLine, form: ReviewForm | None) -> dict:
    # The ministry reads the queue and acts on nothing: no forms drawn for it.
    can_review = can_manage_execution(request.user, line.application)
    return {
        "line": line,
        "form": form or ReviewForm(auto_id=f"review-{line.pk}-%s") if can_review else None,
    }


def _flag_labels() -> list[tuple[str, str]]:
    fields = {field.name: field for field in SpendingLine._meta.fields}
    return [(name, str(fields[name].verbose_name)) for name in SpendingLine.FLAGS]


@require_POST
@staff_required
def review(request, line_id):
    """Approve or disallow one line from the queue (a normal POST, or htmx swapping the row)."""
    line = _line_in_scope(request.user, line_id)
    if not can_manage_execution(request.user, line.application):
        raise PermissionDenied
    form = ReviewForm(request.POST, auto_id=f"review-{line.pk}-%s")
    if form.is_valid():
        try:
            line = spending_review(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied from error
            form.add_error(None, str(error.message))
        else:
            return _reviewed(request, line)
    if is_htmx(request):
        row = {"line": line, "form": form}
        return render(request, "execution/spending/_queue_row.html", {"row": row}, status=400)
    return _queue_page(request, status=400, review_forms={line.pk: form})


def _reviewed(request, line: SpendingLine):
    done = (
        _("집행 내역을 인정했습니다.")
        if line.status == SpendingLine.Status.APPROVED
        else _("집행 내역을 불인정했습니다.")
    )
    if is_htmx(request):
        return render(request, "execution/spending/_queue_row.html", {"row": {"line": line}, "done": done})
    messages.success(request, done)
    return redirect(_safe_next(request) or reverse("execution:spending-queue"))


def _safe_next(request) -> str | None:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and allowed else None


def _line_in_scope(user, line_id: int) -> SpendingLine:
    scope = execution_scope(user)
    if scope is None:
        raise Http404
    line = SpendingLine.objects.filter(scope, pk=line_id).select_related(
        "application__program", "application__company"
    )
    found = line.first()
    if found is None:
        raise Http404
    return found


# --- a line's evidence file ----------------------------------------------------------------------------


@require_GET
@login_required
def document(request, line_id):
    """A line's evidence, to whoever may see the line's application's spending (404 for anyone else)."""
    line = SpendingLine.objects.filter(pk=line_id).only("id", "application_id", "document").first()
    application = application_visible(user=request.user, application_id=line.application_id) if line else None
    if line is None or application is None or not can_view_execution(request.user, application):
        raise Http404
    filename = PurePath(line.document.name or "").name
    kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    inline = request.GET.get("inline") == "1"
    return stored_file_response(line.document.name, filename=filename, content_type=kind, inline=inline)


urlpatterns = [
    path("my/applications/<int:pk>/spending/", my_spending, name="my-spending"),
    path("staff/spending/", queue, name="spending-queue"),
    path("staff/spending/<int:line_id>/review/", review, name="spending-review"),
    path("spending/<int:line_id>/document/", document, name="spending-document"),
]
