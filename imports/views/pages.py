"""The import pages (SPEC §15.5; issue 21 part C): `/staff/imports/` lists the agency's runs with the
upload form and the templates; `/staff/imports/<id>/` follows one run — its progress, refreshed with
htmx every 2 s while the task works (a 새로 고침 link without JavaScript), the dry run's errors, and
가져오기 확정. The rules are the services' (imports.services); these only show and pass on."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_required
from accounts.roles import is_staff
from config.errors import DomainError
from config.forms import add_validation_errors
from imports import reading, selectors, services
from imports.forms import ImportUploadForm
from imports.models import ImportRun
from imports.selectors import can_confirm, in_progress

PAGE_SIZE = 20
ERRORS_SHOWN = 100  # the run page lists the first errors; the rest are counted ("외 N건")
FORMATS = (("xlsx", "XLSX"), ("csv", "CSV"))


@require_http_methods(["GET", "POST"])
@staff_required
def import_list(request):
    """The agency's runs, newest first, and the form that starts one."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_start(
                request.user, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied from error
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _uploaded_message(run))
            return redirect("imports:run", run.pk)
    page = Paginator(selectors.import_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_upload": is_staff(request.user),
        "templates": _templates(),
        "max_bytes": reading.MAX_BYTES,
    }
    return render(request, "imports/list.html", context, status=400 if form.errors else 200)


def _uploaded_message(run: ImportRun) -> str:
    # Without a worker (tests, the demo) the dry run has already run inside the request.
    run.refresh_from_db(fields=["status"])
    if run.status == ImportRun.Status.CHECKING:
        return _("파일을 올렸습니다. 검사가 끝나면 결과를 확인하고 확정하세요.")
    return _("파일을 올리고 검사했습니다. 결과를 확인하세요.")


def _templates() -> list[dict]:
    return [{"kind": kind, "label": label, "formats": FORMATS} for kind, label in ImportRun.Kind.choices]


def _run_or_404(request, pk: int) -> ImportRun:
    run = selectors.import_visible(user=request.user, run_id=pk)
    if run is None:
        raise Http404
    return run


def _run_context(request, run: ImportRun) -> dict:
    shown = run.errors[:ERRORS_SHOWN]
    return {
        "run": run,
        "errors": shown,
        "more_errors": max(run.error_count - len(shown), 0),
        "working": in_progress(run),
        "can_confirm": can_confirm(request.user, run),
        "skipped": run.rows - run.valid,
    }


@require_GET
@staff_required
def import_run(request, pk):
    """One run: where its task stands, what the dry run found, and 가져오기 확정."""
    run = _run_or_404(request, pk)
    return render(request, "imports/run.html", _run_context(request, run))


@require_GET
@staff_required
def import_run_status(request, pk):
    """The run page's status part alone, which htmx swaps in every 2 s while the task works; once the
    run is checked, done or failed the part comes back without its trigger and the polling stops."""
    run = _run_or_404(request, pk)
    return render(request, "imports/_run.html", _run_context(request, run))


@require_POST
@staff_required
def import_confirm(request, pk):
    """가져오기 확정: the valid rows are written by the task; refused, the run page with the reason."""
    run = _run_or_404(request, pk)
    try:
        run = services.import_confirm(request.user, run)
    except DomainError as error:
        if error.status_code == 403:
            raise PermissionDenied from error
        context = {**_run_context(request, run), "confirm_error": str(error.message)}
        return render(request, "imports/run.html", context, status=error.status_code)
    run.refresh_from_db(fields=["status"])  # written already when the task ran inside the request
    if run.status == ImportRun.Status.IMPORTING:
        messages.success(request, _("가져오기를 확정했습니다. 유효한 행을 쓰고 있습니다."))
    else:
        messages.success(request, _("가져오기를 확정했습니다."))
    return redirect("imports:run", run.pk)


@require_GET
@staff_required
def import_template(request, kind, fmt):
    """The kind's empty template with its Korean headers and an example row (services.template_file)."""
    content, filename, content_type = services.template_file(kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


urlpatterns = [
    path("staff/imports/", import_list, name="list"),
    path("staff/imports/<int:pk>/", import_run, name="run"),
    path("staff/imports/<int:pk>/status/", import_run_status, name="run-status"),
    path("staff/imports/<int:pk>/confirm/", import_confirm, name="confirm"),
    re_path(
        r"^staff/imports/template/(?P<kind>support_records|bans)\.(?P<fmt>xlsx|csv)$",
        import_template,
        name="template",
    ),
]
