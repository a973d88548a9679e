from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from applicants import services
from applicants.forms import DeclarationsForm
from applicants.models import Attachment
from applicants.selectors import application_missing_documents, get_application_or_404
from config.errors import DomainError


def transition_from_button(request, pk, *, render_detail, done_url: str, note: str = ""):
    """A detail page's action button: the action goes through the workflow service; a refusal
    answers with its status (400/403/409) and the page again, and changes nothing."""
    application = get_application_or_404(request, pk)
    try:
        services.application_transition(
            application=application, action=request.POST.get("action", ""), actor=request.user, note=note
        )
    except DomainError as error:
        messages.error(request, error.message)
        return render_detail(request, get_application_or_404(request, pk), status=error.status_code)
    messages.success(request, _("처리했습니다."))
    return redirect(done_url)


def submit_with_declarations(request, application):
    """The owner's submit from a page: the four declarations (SPEC §15.1) from the posted boxes,
    through the workflow service. Answers (submitted application or None, the bound form, refusal);
    a refusal leaves the boxes as ticked and marks the unticked ones."""
    form = DeclarationsForm(request.POST)
    try:
        submitted = services.application_transition(
            application=application, action="submit", actor=request.user, declarations=form.declarations()
        )
    except DomainError as error:
        if error.code == "declarations_required":
            form.add_refusal(error)
        return None, form, error
    return submitted, form, None


def missing_document_labels(application, attachments=None) -> list[str]:
    """The labels of the documents the program requires before `submit` that are not uploaded yet."""
    labels = dict(Attachment.Kind.choices)
    missing = application_missing_documents(application=application, attachments=attachments)
    return [str(labels[kind]) for kind in missing]
