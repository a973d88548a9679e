"""Pages for agreements (SPEC §16): staff draft, send and countersign in the staff page's panel; the
SME's owner reads and signs on its own page; the document goes to staff, the owner and the sponsor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import applicant_required, staff_required
from accounts.security import client_ip
from applicants.models import Application
from applicants.panels import application_page, panel_redirect, panel_response
from applicants.selectors import get_application_or_404
from config.errors import DomainError
from config.files import stored_file_response
from config.forms import add_validation_errors
from projects.forms import AgreementForm, AgreementSignForm
from projects.models import Agreement
from projects.permissions import can_sign_agreement, can_view_agreement
from projects.selectors import agreement_get, agreement_split, kpi_target_rows
from projects.services.agreements import (
    AGREEMENT_SIGN_DAYS,
    agreement_countersign,
    agreement_recall,
    agreement_send,
    agreement_sign,
    agreement_update,
)


def _staff_page(pk: int) -> str:
    return reverse("applicants:staff-detail", args=[pk]) + "#tab-agreement"


@require_POST
@staff_required
def update(request, pk):
    """The draft's form in the agreement panel."""
    application = get_application_or_404(request, pk, detail=False)
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            agreement_update(
                actor=request.user,
                application=application,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                kpi_targets=form.targets(),
                supplier=form.cleaned_data["supplier"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            return _refused(request, pk, error, form=form)
        else:
            messages.success(request, _("협약 내용을 저장했습니다."))
            return panel_redirect(request, _staff_page(pk))
    application = get_application_or_404(request, pk)
    return application_page(request, application, status=400, panel="agreement", agreement_form=form)


def _refused(request, pk, error: DomainError, *, form=None):
    application = get_application_or_404(request, pk)
    overrides = {"agreement_error": str(error.message)}
    if form is not None:
        overrides["agreement_form"] = form
    return application_page(request, application, status=error.status_code, panel="agreement", **overrides)


def _act(request, pk, action, done: str):
    application = get_application_or_404(request, pk, detail=False)
    try:
        action(application)
    except ValidationError as error:
        return _refused(request, pk, DomainError(" ".join(error.messages), code="agreement_incomplete"))
    except DomainError as error:
        return _refused(request, pk, error)
    messages.success(request, done)
    return panel_redirect(request, _staff_page(pk))


@require_POST
@staff_required
def send(request, pk):
    return _act(
        request,
        pk,
        lambda app: agreement_send(actor=request.user, application=app),
        _("협약서를 발송했습니다."),
    )


@require_POST
@staff_required
def recall(request, pk):
    return _act(
        request,
        pk,
        lambda app: agreement_recall(actor=request.user, application=app),
        _("협약서를 회수했습니다."),
    )


@require_POST
@staff_required
def countersign(request, pk):
    def act(application):
        agreement_countersign(actor=request.user, application=application, ip=client_ip(request) or None)

    return _act(request, pk, act, _("협약을 체결했습니다."))


@require_GET
@staff_required
def panel(request, pk):
    return panel_response(request, get_application_or_404(request, pk, detail=False), name="agreement")


# --- the document and the SME's page ----------------------------------------------------------------


def _agreement_or_404(request, pk):
    application = get_application_or_404(request, pk, detail=False)
    if not can_view_agreement(request.user, application):
        raise Http404
    return application, agreement_get(application_id=application.pk)


@require_GET
@login_required
def document(request, pk):
    """The sent PDF: staff, the SME's owner and the program's sponsor; 404 for anyone else."""
    application, agreement = _agreement_or_404(request, pk)
    if agreement is None or not agreement.document:
        raise Http404
    return stored_file_response(
        agreement.document.name,
        filename=f"협약서-{application.pk}.pdf",
        content_type="application/pdf",
        inline=request.GET.get("inline") == "1",
    )


@require_http_methods(["GET", "POST"])
@applicant_required
def my_agreement(request, pk):
    """The SME's agreement: its terms, the PDF, and the owner's signature while it is asked for."""
    application, agreement = _agreement_or_404(request, pk)
    if not can_sign_agreement(request.user, application):
        raise Http404
    if agreement is None and application.status != Application.Status.SELECTED:
        raise Http404  # no agreement before selection
    form = AgreementSignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agreement_sign(
                    actor=request.user,
                    application=application,
                    password=form.cleaned_data["password"],
                    ip=client_ip(request) or None,
                )
            except DomainError as error:
                field = "password" if error.code == "password_invalid" else None
                form.add_error(field, error.message)
                status = error.status_code
            else:
                messages.success(request, _("협약서에 서명했습니다. 전담기관이 확인하면 협약이 체결됩니다."))
                return redirect("projects:my-agreement", pk)
        else:
            status = 400
        agreement = agreement_get(application_id=application.pk)
    context = {
        "application": application,
        "agreement": agreement,
        "split": agreement_split(application),
        "targets": kpi_target_rows(agreement.kpi_targets) if agreement else [],
        "signatures": list(agreement.signatures.all()) if agreement else [],
        "form": form,
        "can_sign": agreement is not None and agreement.status == Agreement.Status.SENT,
        "sign_days": AGREEMENT_SIGN_DAYS,
    }
    return render(request, "projects/agreements/my.html", context, status=status)


urlpatterns = [
    path("staff/applications/<int:pk>/agreement/", update, name="staff-agreement-update"),
    path("staff/applications/<int:pk>/agreement/send/", send, name="staff-agreement-send"),
    path("staff/applications/<int:pk>/agreement/recall/", recall, name="staff-agreement-recall"),
    path(
        "staff/applications/<int:pk>/agreement/countersign/", countersign, name="staff-agreement-countersign"
    ),
    path("staff/applications/<int:pk>/panels/agreement/", panel, name="agreement-panel"),
    path("applications/<int:pk>/agreement/document/", document, name="agreement-document"),
    path("my/applications/<int:pk>/agreement/", my_agreement, name="my-agreement"),
]
