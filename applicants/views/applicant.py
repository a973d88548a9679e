"""The SME's own pages: `/my/` lists its applications; each shows its timeline and owner actions."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import applicant_required
from applicants.forms import DeclarationsForm
from applicants.messages import thread_context
from applicants.permissions import can_edit_application
from applicants.selectors import (
    application_history,
    application_list,
    application_split,
    get_application_or_404,
)
from applicants.views.common import missing_document_labels, submit_with_declarations, transition_from_button
from applicants.workflow import OWNER, actions_for


@require_GET
@applicant_required
def my_applications(request):
    applications = application_list(user=request.user).order_by("-created_at", "-id")
    return render(
        request, "applicants/my/list.html", {"applications": applications, "company": request.user.company}
    )


def _render_detail(
    request, application, *, status=200, message_form: dict | None = None, declarations_form=None
):
    actions = actions_for(application.status, OWNER)
    missing = []
    if any(t.action == "submit" for t in actions):
        # Submitting needs the program's required documents: say which are missing instead.
        missing = missing_document_labels(application, application.attachments.all())
        actions = [t for t in actions if t.action != "submit" or not missing]
    history = application_history(user=request.user, application=application)
    change_requests = [event for event in history if event.action == "application.request_changes"]
    context = {
        "application": application,
        "actions": actions,
        "history": history,
        "change_request": change_requests[-1] if change_requests else None,
        "editable": can_edit_application(request.user, application),
        "missing_documents": missing,
        "declarations_form": declarations_form or DeclarationsForm(),
        # 문의·답변 (SPEC §19): the applicant-visible messages and the post form, as typed on an error.
        **thread_context(request, application, form=message_form),
    }
    return render(request, "applicants/my/detail.html", context, status=status)


@require_GET
@applicant_required
def my_detail(request, pk):
    return _render_detail(request, get_application_or_404(request, pk))


@require_POST
@applicant_required
def my_transition(request, pk):
    if request.POST.get("action") == "submit":
        return _submit(request, pk)
    return transition_from_button(
        request, pk, render_detail=_render_detail, done_url=reverse("applicants:my-detail", args=[pk])
    )


def _submit(request, pk):
    """제출 with the four declarations (SPEC §15.1); a refusal shows the page again, boxes as ticked."""
    _submitted, form, error = submit_with_declarations(request, get_application_or_404(request, pk))
    if error is not None:
        messages.error(request, error.message)
        return _render_detail(
            request, get_application_or_404(request, pk), status=error.status_code, declarations_form=form
        )
    messages.success(request, _("처리했습니다."))
    return redirect("applicants:my-detail", pk)


def _split(application):
    """The split as computed at selection, or before that the one the program's policy gives now."""
    try:
        return application.cost_share
    except ObjectDoesNotExist:
        pass
    try:
        return application_split(application)
    except (TypeError, ValueError):
        return None


@require_GET
@applicant_required
def my_receipt(request, pk):
    """접수증: the printable receipt of a submitted application (docs/domain.md §4); a draft has none."""
    application = get_application_or_404(request, pk)
    if not application.receipt_number:
        raise Http404
    context = {
        "application": application,
        "company": application.company,
        "program": application.program,
        "agency": application.program.agency,
        "split": _split(application),
        "attachments": application.attachments.all(),
    }
    return render(request, "applicants/my/receipt.html", context)
