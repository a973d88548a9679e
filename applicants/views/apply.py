"""`/apply/`: an SME signs up, registers its company and writes its application step by step.

Every step saves the draft through the application services; a refused value comes back on its
field with everything else the user typed still in the form (and the browser keeps a copy too, see
static/js/apply.js), so nothing typed is lost.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import applicant_required
from accounts.security import SignupThrottle
from applicants import services
from applicants.forms import AttachmentForm, BasicsForm, CompanyForm, DeclarationsForm, PlanForm, SignupForm
from applicants.models import Attachment
from applicants.permissions import can_edit_application
from applicants.selectors import (
    application_list,
    application_split,
    get_application_or_404,
    program_list_open_for,
)
from applicants.services.signup import activation_path_args, pending_user_for, signup_confirm, signup_request
from applicants.views.common import missing_document_labels, submit_with_declarations
from applicants.workflow import OWNER, actions_for
from config.errors import DomainError
from config.files import stored_file_response
from config.forms import add_validation_errors
from config.numbers import is_ascii_digits
from program.choices import APPLICATION_DOCUMENT_KINDS

STEPS = (
    ("basics", gettext_lazy("기본 정보")),
    ("plan", gettext_lazy("사업계획·사업비")),
    ("documents", gettext_lazy("첨부서류")),
    ("review", gettext_lazy("검토·제출")),
)
STEP_KEYS = [key for key, _label in STEPS]


def _step_url(application, step: str) -> str:
    return reverse("applicants:apply-step", args=[application.pk, step])


def _next_step(step: str) -> str:
    return STEP_KEYS[min(STEP_KEYS.index(step) + 1, len(STEP_KEYS) - 1)]


@require_http_methods(["GET", "POST"])
def signup(request):
    """A new SME user; anyone already signed in goes on to `/apply/`. A well-formed sign-up is always
    answered alike, "we sent you mail", and the mail says the rest (applicants/services/signup.py):
    this page never tells whether a username or an address has an account."""
    if request.user.is_authenticated:
        return redirect("applicants:apply")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not SignupThrottle.allows(request):
            context = {"form": form, "throttled": _("가입 요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.")}
            return render(request, "applicants/apply/signup.html", context, status=429)
        if form.is_valid():
            data = form.cleaned_data
            signup_request(
                username=data["username"],
                first_name=data["first_name"],
                email=data["email"],
                password=data["password1"],
                marketing=data["marketing"],
                activation_link=lambda user: request.build_absolute_uri(
                    reverse("applicants:apply-signup-activate", args=activation_path_args(user))
                ),
            )
            return redirect("applicants:apply-signup-sent")
    return render(request, "applicants/apply/signup.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def signup_sent(request):
    if request.user.is_authenticated:
        return redirect("applicants:apply")
    return render(request, "applicants/apply/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_activate(request, uidb64, token):
    """The link of the sign-up mail: a button (a mail scanner's GET must not use the link up), then
    the account is active and signed in, and goes on to register its company."""
    user = pending_user_for(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "applicants/apply/signup_activate.html", {"pending": None}, status=400)
    if request.method == "POST":
        signup_confirm(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("가입했습니다. 이제 기업 정보를 등록해 주세요."))
        return redirect("applicants:apply-company")
    return render(request, "applicants/apply/signup_activate.html", {"pending": user})


@require_GET
def start(request):
    """The way in: sign up, register the company, then pick an open program or go on with a draft."""
    if not request.user.is_authenticated:
        return redirect("applicants:apply-signup")
    return _start(request)


@applicant_required
def _start(request):
    if not request.user.company_id:
        return redirect("applicants:apply-company")
    editable = [
        a
        for a in application_list(user=request.user).order_by("-updated_at")
        if can_edit_application(request.user, a)
    ]
    programs = list(program_list_open_for(company_id=request.user.company_id))
    context = {
        "programs": programs,
        "available": [program for program in programs if program.live_application_id is None],
        "drafts": editable,
        "company": request.user.company,
    }
    return render(request, "applicants/apply/start.html", context)


@require_http_methods(["GET", "POST"])
@applicant_required
def company(request):
    """Register the company once; the business number is checked on its field (docs/domain.md §6)."""
    if request.user.company_id:
        messages.info(request, _("이미 기업이 등록되어 있습니다."))
        return redirect("applicants:apply")
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("기업을 등록했습니다."))
            return redirect("applicants:apply")
    status = 400 if form.errors else 200
    return render(request, "applicants/apply/company.html", {"form": form}, status=status)


def _render_step(request, application, step: str, context: dict, *, status: int = 200):
    context = {
        "application": application,
        "steps": STEPS,
        "step": step,
        "step_index": STEP_KEYS.index(step) + 1,
        **context,
    }
    return render(request, f"applicants/apply/step_{step}.html", context, status=status)


@require_http_methods(["GET", "POST"])
@applicant_required
def new(request):
    """Step 1 for a new application: the draft exists once it has a program, a level and a title."""
    if not request.user.company_id:
        return redirect("applicants:apply-company")
    initial = {"program": request.GET["program"]} if is_ascii_digits(request.GET.get("program", "")) else {}
    if request.method == "GET":
        taken = _live_application_in(request, initial.get("program"))
        if taken is not None:
            messages.info(request, _("이 사업에 진행 중인 신청서가 이미 있습니다."))
            return redirect("applicants:my-detail", taken)
    form = BasicsForm(request.POST or None, initial=initial, company=request.user.company)
    programs = cast(ModelChoiceField, form.fields["program"]).queryset
    if request.method == "GET" and programs is not None and not programs.exists():
        messages.info(request, _("지금 새로 신청할 수 있는 사업이 없습니다."))
        return redirect("applicants:apply")
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, company=request.user.company, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("임시저장했습니다."))
            step = "plan" if request.POST.get("go") == "next" else "basics"
            return redirect(_step_url(application, step))
    context = {"form": form, "steps": STEPS, "step": "basics", "step_index": 1, "application": None}
    return render(request, "applicants/apply/step_basics.html", context, status=400 if form.errors else 200)


def _live_application_in(request, program_id) -> int | None:
    """The id of the company's live application in the open program `program_id`, if it has one."""
    if not program_id:
        return None
    program = program_list_open_for(company_id=request.user.company_id).filter(pk=program_id).first()
    return program.live_application_id if program else None


def _editable_or_redirect(request, pk):
    application = get_application_or_404(request, pk)
    if not can_edit_application(request.user, application):
        messages.info(request, _("제출한 신청서는 고칠 수 없습니다. 진행 상황은 여기에서 확인하세요."))
        return application, redirect("applicants:my-detail", application.pk)
    return application, None


def _save_form_step(request, application, step: str, form_class):
    form = form_class(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("임시저장했습니다."))
            target = _next_step(step) if request.POST.get("go") == "next" else step
            return redirect(_step_url(application, target))
    context = {"form": form}
    if step == "plan":
        context["preview"] = _preview(application)
    return _render_step(request, application, step, context, status=400 if form.errors else 200)


def _preview(application):
    if not application.total_cost:
        return None
    try:
        return application_split(application)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@applicant_required
def step(request, pk, step):
    application, gone = _editable_or_redirect(request, pk)
    if gone:
        return gone
    if step == "basics":
        return _save_form_step(request, application, step, BasicsForm)
    if step == "plan":
        return _save_form_step(request, application, step, PlanForm)
    if step == "documents":
        return _documents(request, application)
    return _review(request, application)


def _documents(request, application):
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("서류를 올렸습니다."))
            return redirect(_step_url(application, "documents"))
    attachments = list(application.attachments.all())
    context = {
        "form": form,
        "attachments": attachments,
        "documents": _documents_by_kind(application, attachments),
        "missing": missing_document_labels(application, attachments),
        "limits": {
            "size": Attachment.MAX_SIZE,
            "per_kind": Attachment.MAX_PER_KIND,
            "per_application": Attachment.MAX_PER_APPLICATION,
        },
    }
    return _render_step(request, application, "documents", context, status=400 if form.errors else 200)


def _documents_by_kind(application, attachments) -> list[dict]:
    """Every kind of document with the files uploaded for it, the program's required kinds first."""
    required = list(application.program.required_documents)
    files: dict[str, list] = {}
    for attachment in attachments:
        files.setdefault(attachment.kind, []).append(attachment)
    kinds = sorted(
        ((k.value, k.label) for k in APPLICATION_DOCUMENT_KINDS), key=lambda choice: choice[0] not in required
    )
    return [
        {"kind": kind, "label": label, "required": kind in required, "files": files.get(kind, [])}
        for kind, label in kinds
    ]


def _review(request, application):
    error, declarations_form = None, DeclarationsForm()
    if request.method == "POST":
        submitted, declarations_form, error = submit_with_declarations(request, application)
        if submitted is not None:
            done = _(
                "신청서를 제출했습니다. 접수번호는 %(number)s입니다. 접수증은 이 화면에서 인쇄할 수 있습니다."
            )
            messages.success(request, done % {"number": submitted.receipt_number})
            return redirect("applicants:my-detail", application.pk)
    context = {
        "error": error,
        "declarations_form": declarations_form,
        "preview": _preview(application),
        "missing_documents": missing_document_labels(application, application.attachments.all()),
        "can_submit": any(t.action == "submit" for t in actions_for(application.status, OWNER)),
    }
    return _render_step(request, application, "review", context, status=error.status_code if error else 200)


@require_POST
@applicant_required
def attachment_delete(request, pk, attachment_pk):
    application, gone = _editable_or_redirect(request, pk)
    if gone:
        return gone
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("서류를 삭제했습니다."))
    return redirect(_step_url(application, "documents"))


@require_GET
@login_required
def attachment_download(request, pk, attachment_pk):
    """A document, only to users who may see its application (404 for anyone else); shown in the
    page (`?inline=1`, the staff page's preview) only when it is a PDF or an image (config/files.py)."""
    application = get_application_or_404(request, pk)
    attachment = next((a for a in application.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    return stored_file_response(
        attachment.file.name,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=request.GET.get("inline") == "1",
    )
