"""Staff pages: the review queue (filters, search, sort, pagination, bulk actions, export) and detail."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_required
from applicants import services
from applicants.bans_selectors import supplier_banned
from applicants.exports import csv_chunks, export_rows, xlsx_file
from applicants.filters import ApplicationFilter
from applicants.models import Application
from applicants.panels import application_page, panel_redirect, panel_response
from applicants.selectors import application_list, get_application_or_404
from applicants.services.applications import DUE_ACTIONS
from applicants.services.bans import ban_in_force
from config.errors import DomainError
from config.forms import validation_message
from config.numbers import parse_whole_number
from program.choices import Region, SupportLevel, labels
from program.selectors import program_list

PAGE_SIZES = (20, 50, 100)
# What a queue row shows: fewer joins and columns than the shared list queryset, which halves the
# query's planning time at national scale (docs/performance.md).
QUEUE_COLUMNS = (
    "title",
    "level",
    "total_cost",
    "score",
    "status",
    "submitted_at",
    "company__name",
    "company__business_number",
    "company__region",
    "program__title",
)
SORTS = {
    "-submitted_at": gettext_lazy("최근 제출순"),
    "submitted_at": gettext_lazy("오래된 제출순"),
    "-score": gettext_lazy("점수 높은순"),
    "score": gettext_lazy("점수 낮은순"),
    "-total_cost": gettext_lazy("사업비 큰순"),
    "total_cost": gettext_lazy("사업비 작은순"),
}


def _filtered(request):
    data = request.GET.copy()
    if data.get("ordering") not in SORTS:
        data["ordering"] = "-submitted_at"
    queryset = application_list(user=request.user)
    return ApplicationFilter(data, queryset=queryset, request=request)


@require_GET
@staff_required
def queue(request):
    filterset = _filtered(request)
    requested = request.GET.get("page_size", "")
    page_size = int(requested) if requested in {str(size) for size in PAGE_SIZES} else PAGE_SIZES[0]
    queryset = filterset.qs if filterset.is_valid() else application_list(user=request.user).none()
    # 참여제한 (SPEC §15.2): whether the chosen supplier is banned today, a subquery of the page's query.
    queryset = queryset.select_related(None).select_related("company", "program").only(*QUEUE_COLUMNS)
    paginator = Paginator(queryset.annotate(supplier_banned=supplier_banned()), page_size)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    choices = _choice_labels()
    select_label = _("%(n)s번 선택")
    for application in page:
        # Labels resolved once per page, not per row: get_FOO_display() rebuilds the choices dict
        # and translates it on every call, which was a third of the page's time at 50 rows.
        application.status_label = choices["status"].get(application.status, application.status)
        application.level_label = choices["level"].get(application.level, application.level)
        application.region_label = choices["region"].get(
            application.company.region, application.company.region
        )
        application.select_label = select_label % {"n": application.pk}
        application.supplier_flag = application.supplier_banned and application.is_live
    return render(
        request,
        "applicants/staff/queue.html",
        {
            "filter": filterset,
            "page": page,
            "options": _filter_options(request, choices),
            "query": query.urlencode(),
            "page_size": page_size,
        },
    )


def _choice_labels() -> dict[str, dict[str, str]]:
    """The queue's choice columns and filters, labelled in the active language."""
    return {"status": labels(Application.Status), "level": labels(SupportLevel), "region": labels(Region)}


def _filter_options(request, choices) -> dict[str, list[tuple[str, str, bool]]]:
    """(value, label, selected) for each select of the filter form, worked out here once rather
    than by template lookups per option (a missing GET key costs the template a dir() each time).
    The programs offered are those of the user's scope: staff their agency's (docs/domain.md §1)."""
    params = request.GET

    def options(pairs, selected) -> list[tuple[str, str, bool]]:
        chosen = set(selected)
        return [(str(value), str(label), str(value) in chosen) for value, label in pairs]

    programs = program_list(user=request.user).values_list("id", "title", "year")
    requested_size = params.get("page_size") or str(PAGE_SIZES[0])
    return {
        "status": options(choices["status"].items(), params.getlist("status")),
        "program": options(
            ((pk, f"{title} ({year})") for pk, title, year in programs), params.getlist("program")
        ),
        "level": options(choices["level"].items(), params.getlist("level")),
        "region": options(choices["region"].items(), params.getlist("region")),
        "ordering": options(SORTS.items(), params.getlist("ordering")),
        "page_size": options(((size, size) for size in PAGE_SIZES), [requested_size]),
    }


@require_POST
@staff_required
def bulk(request):
    """Bulk action on the selected rows: start screening. Each row goes through the workflow service."""
    action = request.POST.get("action")
    ids = _application_ids(request.POST.getlist("ids"))
    if ids is None:
        messages.error(request, _("선택한 신청서 번호가 올바르지 않습니다."))
        return redirect(_back(request))
    if action != "start_screening" or not ids:
        messages.error(request, _("처리할 신청서와 작업을 선택해 주세요."))
        return redirect(_back(request))
    done, failed = 0, []
    for application in application_list(user=request.user).filter(pk__in=ids):
        try:
            services.application_transition(application=application, action=action, actor=request.user)
            done += 1
        except DomainError as error:
            failed.append(f"#{application.pk} {error.message}")
    if done:
        messages.success(
            request,
            ngettext("%(count)d건의 요건검토를 시작했습니다.", "%(count)d건의 요건검토를 시작했습니다.", done)
            % {"count": done},
        )
    for failure in failed:
        messages.error(request, failure)
    return redirect(_back(request))


def _application_ids(values: list[str]) -> list[int] | None:
    """The selected rows' ids, or None if any is not a whole number an id can be (ASCII digits only:
    `str.isdigit()` also takes "²", which int() refuses; at most 64 bits, the database's range)."""
    ids = [parse_whole_number(value) for value in values]
    whole = [pk for pk in ids if pk is not None]
    if len(whole) != len(ids) or not all(0 < pk < 2**63 for pk in whole):
        return None
    return whole


def _back(request) -> str:
    queue = reverse("applicants:staff-queue")
    url = request.POST.get("next") or queue
    return url if url.startswith(queue) else queue


@require_GET
@staff_required
def export(request, fmt):
    filterset = _filtered(request)
    if not filterset.is_valid():
        raise Http404
    rows = export_rows(filterset.qs)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="applications-{stamp}.csv"'
        return response
    return FileResponse(
        xlsx_file(rows),
        as_attachment=True,
        filename=f"applications-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _page_application(request, pk) -> Application:
    """The application for its page, with `supplier_ban`: the ban on its supplier while it is live
    (SPEC §15.2, a warning box on the page), one query when it has a supplier."""
    application = get_application_or_404(request, pk)
    supplier = application.supplier
    application.supplier_ban = (  # type: ignore[attr-defined]
        ban_in_force(subject_type="supplier", business_number=supplier.business_number)
        if supplier is not None and application.is_live
        else None
    )
    return application


@require_GET
@staff_required
def detail(request, pk):
    return application_page(request, _page_application(request, pk))


@require_GET
@staff_required
def documents_panel(request, pk):
    return panel_response(request, get_application_or_404(request, pk, detail=False), name="documents")


@require_GET
@staff_required
def evaluations_panel(request, pk):
    return panel_response(request, get_application_or_404(request, pk, detail=False), name="evaluations")


@require_POST
@staff_required
def assign_evaluator(request, pk):
    """Put an evaluator on the application's committee (docs/domain.md §5) from its panel."""
    application = get_application_or_404(request, pk)
    try:
        services.evaluator_assign(
            application=application, evaluator_username=request.POST.get("evaluator", ""), actor=request.user
        )
    except ValidationError as error:
        return _evaluations_again(request, pk, status=400, assign_error=validation_message(error))
    except DomainError as error:
        return _evaluations_again(request, pk, status=error.status_code, assign_error=error.message)
    messages.success(request, _("평가위원을 배정했습니다."))
    return panel_redirect(request, reverse("applicants:staff-detail", args=[pk]))


def _evaluations_again(request, pk, *, status, assign_error):
    application = _page_application(request, pk)
    return application_page(
        request, application, status=status, panel="evaluations", assign_error=assign_error
    )


@require_POST
@staff_required
def transition(request, pk):
    """A 처리 button: the action goes through the workflow service. Refused (a note it needs, a state
    it does not start from, money not there, a 보완 기한 out of range), the page again with the reason
    under its field and the fields as typed (400/403/409), and nothing changed."""
    application = get_application_or_404(request, pk)
    action, note, due_text = (
        request.POST.get("action", ""),
        request.POST.get("note", ""),
        request.POST.get("due_on", ""),
    )
    try:
        services.application_transition(
            application=application,
            action=action,
            actor=request.user,
            note=note,
            due_on=_due_on(due_text) if action in DUE_ACTIONS else None,
        )
    except DomainError as error:
        field = "due_error" if error.code in ("due_on_invalid", "due_on_required") else "note_error"
        page = _page_application(request, pk)
        return application_page(
            request, page, status=error.status_code, note=note, due_on=due_text, **{field: str(error.message)}
        )
    messages.success(request, _("처리했습니다."))
    return redirect("applicants:staff-detail", pk)


def _due_on(text: str) -> datetime.date | None:
    """The 보완 기한 as typed (YYYY-MM-DD, the date input's value); blank for the default."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise DomainError(
            _("보완 기한을 YYYY-MM-DD 형식의 날짜로 입력해 주세요."), code="due_on_invalid"
        ) from None
