"""Mentoring pages: the mentor portal (`/mentor/`), staff's mentor pool and overview, and assigning a
suggested mentor from an application's staff page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import mentor_required, staff_required
from applicants.panels import application_page, is_htmx, panel_redirect, panel_response
from applicants.selectors import get_application_or_404
from config.errors import DomainError
from config.forms import add_validation_errors, validation_message
from mentoring import services
from mentoring.forms import AssignForm, MentorForm, SessionForm
from mentoring.models import Mentor
from mentoring.selectors import assignment_list, mentor_for_user, mentoring_overview

# --- the mentor's portal ----------------------------------------------------------------------------


@require_GET
@mentor_required
def portal(request):
    mentor = mentor_for_user(request.user)
    assignments = assignment_list(user=request.user).order_by("status", "-starts_on") if mentor else []
    return render(request, "mentoring/portal.html", {"mentor": mentor, "assignments": assignments})


@require_http_methods(["GET", "POST"])
@mentor_required
def assignment_detail(request, pk):
    assignment = assignment_list(user=request.user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_log(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("멘토링 일지를 저장했습니다."))
            return redirect("mentoring:assignment", assignment.pk)
    context = {
        "assignment": assignment,
        "application": assignment.application,
        "company": assignment.application.company,
        "sessions": assignment.sessions.order_by("-held_on", "-id"),
        "form": form,
    }
    return render(request, "mentoring/assignment.html", context, status=400 if form.errors else 200)


# --- staff: the pool and the overview ---------------------------------------------------------------


@require_GET
@staff_required
def staff_overview(request):
    context = {"overview": mentoring_overview(user=request.user)}
    return render(request, "mentoring/staff_overview.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def staff_mentor_edit(request, pk=None):
    mentor = get_object_or_404(Mentor, pk=pk) if pk else None
    form = MentorForm(request.POST or None, instance=mentor)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.mentor_save(actor=request.user, mentor=mentor, **fields)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("멘토 정보를 저장했습니다."))
            return redirect("mentoring:staff-overview")
    status = 400 if form.errors else 200
    return render(
        request, "mentoring/staff_mentor_edit.html", {"form": form, "mentor": mentor}, status=status
    )


@require_POST
@staff_required
def staff_assign(request, pk):
    """One click on a suggestion in the mentors panel: the mentor, with the dates shown beside it."""
    application = get_application_or_404(request, pk)
    form = AssignForm(request.POST)
    status = 400
    if form.is_valid():
        mentor = Mentor.objects.filter(pk=form.cleaned_data["mentor"]).first()
        if mentor is None:
            raise Http404
        try:
            services.assignment_create(
                actor=request.user,
                application=application,
                mentor=mentor,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as error:
            message = validation_message(error)
        except DomainError as error:
            message, status = str(error.message), error.status_code
        else:
            messages.success(request, _("멘토를 배정했습니다: %s") % mentor.name)
            return panel_redirect(request, reverse("applicants:staff-detail", args=[pk]) + "#mentoring")
    else:
        message = " ".join(str(m) for ms in form.errors.values() for m in ms)
    if is_htmx(request):  # the panel alone, its error in it
        return panel_response(request, application, name="mentors", status=status, mentor_error=message)
    messages.error(request, message)
    return application_page(request, application, status=status)


@require_GET
@staff_required
def mentors_panel(request, pk):
    return panel_response(request, get_application_or_404(request, pk, detail=False), name="mentors")
