"""SPEC §18.4 pages: the clawbacks of staff's agency (open first, overdue highlighted) with the forms
to collect an instalment or close one as uncollectable, and the form that opens a clawback on an
application. The ministry reads the list and changes nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_required
from applicants.selectors import get_application_or_404
from config.errors import DomainError
from config.forms import add_validation_errors
from execution.clawback_selectors import clawback_list, clawback_visible
from execution.forms import ClawbackFilterForm, ClawbackForm, CollectForm, UncollectableForm
from execution.models import Clawback
from execution.permissions import can_manage_execution
from execution.register import REGISTER_SHOWN
from execution.services.clawbacks import clawable, clawback_collect, clawback_open, clawback_uncollectable

PAGE_SIZE = 20
ST = Clawback.Status


@require_GET
@staff_required
def clawbacks(request):
    """환수 관리: open first (by due date), the overdue highlighted, each with what remains and its
    collections, filtered by status and overdue."""
    return _list(request)


def _list(request, *, status: int = 200, forms: dict | None = None):
    form = ClawbackFilterForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    # Open first: what still needs chasing comes before what is closed.
    listed = clawback_list(user=request.user, filters=chosen).annotate(
        open_first=Case(When(status=ST.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    page = Paginator(
        listed.prefetch_related("collections").order_by("open_first", "due_on", "id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    today = timezone.localdate()
    forms = forms or {}
    rows = [_row(request, clawback, today, forms.get(clawback.pk, {})) for clawback in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "chosen": {"status": chosen.get("status") or "", "overdue": bool(chosen.get("overdue"))},
        "statuses": ST.choices,
        "query": query.urlencode(),
        "next": request.get_full_path(),
    }
    return render(request, "execution/clawbacks/list.html", context, status=status)


def _row(request, clawback: Clawback, today, forms: dict) -> dict:
    can_act = clawback.status == ST.OPEN and can_manage_execution(request.user, clawback.application)
    prefix = f"clawback-{clawback.pk}"
    collect = forms.get("collect") or CollectForm(auto_id=f"{prefix}-collect-%s")
    close = forms.get("close") or UncollectableForm(auto_id=f"{prefix}-close-%s")
    return {
        "clawback": clawback,
        "overdue": clawback.status == ST.OPEN and clawback.due_on < today,
        "collect_form": collect if can_act else None,
        "close_form": close if can_act else None,
    }


def _clawback(request, clawback_id: int) -> Clawback:
    clawback = clawback_visible(user=request.user, clawback_id=clawback_id)
    if clawback is None:
        raise Http404
    if not can_manage_execution(request.user, clawback.application):
        raise PermissionDenied
    return clawback


def _act(request, clawback: Clawback, form, act, *, key: str, done: str):
    """Run a clawback service from one row's form; its refusal is shown on that row (400/409)."""
    if form.is_valid():
        try:
            act(actor=request.user, clawback=clawback, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied from error
            form.add_error(None, str(error.message))
        else:
            messages.success(request, done)
            return redirect(reverse("execution:clawbacks") + f"#clawback-{clawback.pk}")
    return _list(request, status=400, forms={clawback.pk: {key: form}})


@require_POST
@staff_required
def collect(request, clawback_id):
    clawback = _clawback(request, clawback_id)
    form = CollectForm(request.POST, auto_id=f"clawback-{clawback.pk}-collect-%s")
    done = _("환수금 회수를 기록했습니다.")
    return _act(request, clawback, form, clawback_collect, key="collect", done=done)


@require_POST
@staff_required
def uncollectable(request, clawback_id):
    clawback = _clawback(request, clawback_id)
    form = UncollectableForm(request.POST, auto_id=f"clawback-{clawback.pk}-close-%s")
    return _act(
        request, clawback, form, clawback_uncollectable, key="close", done=_("환수 불능으로 처리했습니다.")
    )


@require_http_methods(["GET", "POST"])
@staff_required
def open_clawback(request, pk):
    """환수 결정: a form on one application, with what each pot paid it (the most a clawback takes)."""
    application = get_application_or_404(request, pk, detail=False)
    if application.status not in REGISTER_SHOWN:
        raise Http404
    can_open = can_manage_execution(request.user, application)
    form = ClawbackForm(request.POST or None)
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied
        if form.is_valid():
            try:
                clawback_open(actor=request.user, application=application, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("환수를 결정했습니다. 기업에 통지했습니다."))
                return redirect("execution:clawbacks")
    limits = clawable(application_id=application.pk)
    context = {"application": application, "form": form, "limits": limits, "can_open": can_open}
    return render(request, "execution/clawbacks/new.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("staff/clawbacks/", clawbacks, name="clawbacks"),
    path("staff/clawbacks/<int:clawback_id>/collect/", collect, name="clawback-collect"),
    path("staff/clawbacks/<int:clawback_id>/uncollectable/", uncollectable, name="clawback-uncollectable"),
    path("staff/applications/<int:pk>/clawbacks/new/", open_clawback, name="clawback-open"),
]
