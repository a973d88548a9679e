"""문의·답변 (SPEC §19): posting to an application's thread from the staff page and the SME's page,
and a message's file. With htmx the thread is drawn again in place; without JavaScript the page
(POST-redirect-GET), or on bad input the page again with the error at its field and the text kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import applicant_required, staff_required
from applicants import services
from applicants.messages import message_list, thread_context
from applicants.models import MessageAttachment
from applicants.panels import application_page, is_htmx, panel_response
from applicants.selectors import get_application_or_404
from applicants.views.applicant import _render_detail
from config.files import stored_file_response


def _post(request, application) -> dict | None:
    """Post the request's message; None when done, else the form as typed with its errors."""
    body = request.POST.get("body", "")
    visibility = request.POST.get("visibility", "applicant")
    try:
        services.message_post(
            actor=request.user,
            application=application,
            body=body,
            visibility=visibility,
            upload=request.FILES.get("file"),
        )
    except ValidationError as error:
        errors = {field: " ".join(texts) for field, texts in error.message_dict.items()}
        return {"body": body, "visibility": visibility, "errors": errors}
    return None


@require_POST
@staff_required
def staff_post(request, pk):
    application = get_application_or_404(request, pk, detail=False)
    form = _post(request, application)
    if form is None:
        if is_htmx(request):
            return panel_response(request, application, name="messages")
        messages.success(request, _("메시지를 보냈습니다."))
        return redirect(reverse("applicants:staff-detail", args=[pk]) + "#tab-messages")
    if is_htmx(request):
        return panel_response(request, application, name="messages", status=400, message_form=form)
    page = get_application_or_404(request, pk)
    return application_page(request, page, status=400, panel="messages", message_form=form)


@require_POST
@applicant_required
def my_post(request, pk):
    application = get_application_or_404(request, pk, detail=False)
    form = _post(request, application)
    status = 200 if form is None else 400
    if is_htmx(request):
        context = {"application": application, **thread_context(request, application, form=form)}
        html = render_to_string("applicants/messages/_section.html", context, request=request)
        return HttpResponse(html, status=status)
    if form is None:
        messages.success(request, _("메시지를 보냈습니다."))
        return redirect(reverse("applicants:my-detail", args=[pk]) + "#messages")
    return _render_detail(request, get_application_or_404(request, pk), status=400, message_form=form)


@require_GET
@login_required
def attachment_download(request, pk, attachment_pk):
    """A message's file, to those who may read the message (404 for anyone else)."""
    application = get_application_or_404(request, pk, detail=False)
    visible = message_list(user=request.user, application=application)
    found = MessageAttachment.objects.filter(pk=attachment_pk, message__in=visible.values("pk")).first()
    if found is None:
        raise Http404
    return stored_file_response(
        found.file.name, filename=found.original_name, content_type=found.content_type
    )
