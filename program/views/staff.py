"""`/staff/programs/`: staff create and edit programs with their cost-share policy."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_required
from config.forms import add_validation_errors
from config.numbers import parse_whole_number
from program import announcements, selectors
from program.audit import audit_action_choices, audit_rows
from program.exports import audit_export_response
from program.forms import ProgramFileForm, ProgramForm, faq_formset, rubric_formset
from program.markdown import markdown_html
from program.models import Program
from program.permissions import can_change_program
from program.services import PROGRAM_COPIED_FIELDS, program_save


@require_GET
@staff_required
def program_list(request):
    """The programs of the user's scope (docs/domain.md §1): staff their agency's, the ministry all."""
    context = {
        "programs": selectors.program_list(user=request.user),
        "can_change": can_change_program(request.user),
    }
    return render(request, "program/staff/list.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def program_edit(request, pk=None):
    """The program form: its policy and window, the rubric builder, and the public 공고 page's text
    (Markdown, with a server-rendered 미리보기), FAQ rows and files (SPEC §19)."""
    program = get_object_or_404(selectors.program_list(user=request.user), pk=pk) if pk else None
    data = request.POST if request.method == "POST" else None
    form = ProgramForm(data, instance=program, user=request.user)
    rubric = rubric_formset(data, program=program)
    faqs = faq_formset(data, program=program)
    new_file = ProgramFileForm(data, request.FILES or None, prefix="newfile")
    preview = None
    if data is not None and "preview" in data:
        # 미리보기: the text as the page will show it, nothing saved, the form kept as typed.
        preview = markdown_html(data.get("announcement", ""))
    elif data is not None and all(
        [form.is_valid(), rubric.is_valid(), not faqs.is_bound or faqs.is_valid(), new_file.is_valid()]
    ):
        try:
            _program_edit_save(
                request, form=form, rubric=rubric, faqs=faqs, new_file=new_file, program=program
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("사업을 저장했습니다."))
            return redirect("program:staff-programs")
    status = 400 if request.method == "POST" and preview is None else 200
    context = {
        "form": form,
        "rubric": rubric,
        "faqs": faqs,
        "new_file": new_file,
        "files": program.files.all() if program else [],
        "preview": preview,
        "program": program,
        "can_change": can_change_program(request.user, program),
    }
    return render(request, "program/staff/edit.html", context, status=status)


@transaction.atomic
def _program_edit_save(request, *, form, rubric, faqs, new_file, program) -> None:
    """The program, its FAQ, the files marked for removal and a new file: all saved, or none."""
    saved = program_save(actor=request.user, program=program, rubric=rubric.rubric(), **form.cleaned_data)
    if faqs.is_bound:
        announcements.program_faqs_save(actor=request.user, program=saved, faqs=faqs.faqs())
    removed = [int(v) for v in request.POST.getlist("delete_file") if v.isdigit()]
    for program_file in saved.files.filter(pk__in=removed):
        announcements.program_file_delete(actor=request.user, program_file=program_file)
    if new_file.has_upload():
        try:
            announcements.program_file_add(
                actor=request.user,
                program=saved,
                upload=new_file.cleaned_data["file"],
                kind=new_file.cleaned_data["kind"],
                title=new_file.cleaned_data["title"],
            )
        except ValidationError as error:
            new_file.add_error("file", error.message_dict.get("file", error.messages))
            raise ValidationError(_("파일을 확인해 주세요.")) from error


@require_http_methods(["GET", "POST"])
@staff_required
def program_copy(request, pk):
    """이전 사업 복사: the new-program form filled from `pk` for next year, its window left empty;
    nothing is saved until staff submit it with valid dates, and then as any new program is."""
    source = get_object_or_404(selectors.program_list(user=request.user), pk=pk)
    if not can_change_program(request.user, source):
        raise PermissionDenied  # the ministry reads programs but makes none (docs/domain.md §1)
    if request.method == "POST" and "title" not in request.POST:
        # The list's one-button form (it used to create the copy at once) now opens this form.
        return redirect("program:staff-program-copy", source.pk)
    data = request.POST if request.method == "POST" else None
    form = ProgramForm(data, initial=_copy_initial(source), user=request.user)
    rubric = rubric_formset(data, program=source)
    if data is not None and all([form.is_valid(), rubric.is_valid()]):
        try:
            with transaction.atomic():
                copy = program_save(actor=request.user, rubric=rubric.rubric(), **form.cleaned_data)
                announcements.program_announcement_copy(actor=request.user, source=source, program=copy)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("사업을 저장했습니다."))
            return redirect("program:staff-programs")
    context = {
        "form": form,
        "rubric": rubric,
        "program": None,
        "source": source,
        "source_faqs": source.faqs.count(),
        "source_files": source.files.count(),
        "can_change": True,
    }
    return render(request, "program/staff/edit.html", context, status=400 if data is not None else 200)


def _copy_initial(source) -> dict:
    """What the copy carries over (PROGRAM_COPIED_FIELDS), for the year after `source`, as a draft
    whose title names the new year; the window is not carried: staff set it anew."""
    year = source.year + 1
    initial = {name: getattr(source, name) for name in PROGRAM_COPIED_FIELDS if name != "rubric"}
    initial.update(
        sponsor=source.sponsor_id,
        agency=source.agency_id,
        required_documents=list(source.required_documents),
        year=year,
        title=source.title.replace(str(source.year), str(year)),
        status=Program.Status.DRAFT,
    )
    return initial


@require_GET
@staff_required
def audit_events(request):
    """Every status change and money movement the user may read (docs/domain.md §1), newest first,
    in words, filtered by object, company, actor, action and date."""
    filters, values = _audit_filters(request)
    events = selectors.audit_event_list(user=request.user, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": audit_rows(page.object_list),
        "query": query.urlencode(),
        "values": values,
        "actions": audit_action_choices(),
        "targets": AUDIT_TARGETS,
    }
    return render(request, "program/staff/audit.html", context)


@require_GET
@staff_required
def audit_export(request):
    """The filtered audit trail as a workbook, in the same words as the page."""
    filters, _values = _audit_filters(request)
    events = selectors.audit_event_list(user=request.user, filters=filters)[:AUDIT_EXPORT_MAX]
    return audit_export_response(audit_rows(events))


# What one export holds at most: the newest rows of the filter (the page says to narrow it).
AUDIT_EXPORT_MAX = 10_000
# A company search longer than any name or number is cut (a name is at most 100 characters).
COMPANY_SEARCH_MAX = 100
AUDIT_TARGETS = [
    ("applicants.application", gettext_lazy("신청서")),
    ("funds.ledgerentry", gettext_lazy("기금 원장")),
    ("program.program", gettext_lazy("사업")),
    ("applicants.company", gettext_lazy("도입기업")),
    ("mentoring.mentor", gettext_lazy("멘토")),
]


def _audit_filters(request) -> tuple[selectors.AuditFilters, dict[str, str]]:
    values = {
        name: request.GET.get(name, "").strip()
        for name in ("action", "actor", "target", "object", "company", "since", "until")
    }
    filters = selectors.AuditFilters(
        action=values["action"],
        actor=values["actor"],
        target=values["target"],
        object_id=parse_whole_number(values["object"].lstrip("#")),
        company=values["company"][:COMPANY_SEARCH_MAX],
        since=_day(values["since"]),
        until=_day(values["until"]),
    )
    return filters, values


def _day(value: str) -> datetime.date | None:
    """A date from the query string, or None when it is blank or not a date (the filter is ignored)."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
