"""The evaluator's pages: its assignments only; declare a conflict or none, then score the rubric."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import evaluator_required
from applicants import services
from applicants.forms import EvaluationForm
from applicants.models import Evaluation
from applicants.selectors import (
    EVALUATOR_TABS,
    evaluator_assignment_counts,
    evaluator_assignment_list,
    get_application_or_404,
)
from config.errors import DomainError

PAGE_SIZE = 20
TAB_LABELS = {
    "todo": gettext_lazy("평가할 신청서"),
    "done": gettext_lazy("평가 완료"),
    "conflicted": gettext_lazy("이해충돌 신고"),
    "all": gettext_lazy("전체"),
}


@require_GET
@evaluator_required
def assignments(request):
    applications = evaluator_assignment_list(user=request.user)
    counts = evaluator_assignment_counts(applications)
    tab = request.GET.get("tab")
    if tab not in EVALUATOR_TABS:
        tab = "todo"
    if tab != "all":
        applications = applications.filter(my_state=tab)
    paginator = Paginator(applications, PAGE_SIZE)
    paginator.count = counts[tab]  # already counted with the tabs: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    tabs = [(name, TAB_LABELS[name], counts[name]) for name in EVALUATOR_TABS]
    context = {"rows": page, "page": page, "tab": tab, "tabs": tabs}
    return render(request, "applicants/evaluator/list.html", context)


@require_http_methods(["GET", "POST"])
@evaluator_required
def evaluate(request, pk):
    application = get_application_or_404(request, pk)
    evaluation = Evaluation.objects.filter(application=application, evaluator=request.user).first()
    rubric = application.program.rubric
    form, status = EvaluationForm(rubric=rubric, evaluation=evaluation), 200
    if request.method == "POST":
        form = EvaluationForm(request.POST, rubric=rubric, evaluation=evaluation)
        status = 400
        if form.is_valid():
            try:
                services.evaluation_submit(
                    application=application,
                    evaluator=request.user,
                    conflict_of_interest=form.cleaned_data["conflict"],
                    scores=form.cleaned_data["scores"],
                    bonus=form.cleaned_data["bonus"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("평가를 저장했습니다."))
                return redirect("applicants:evaluate", pk)
            except ValidationError as error:
                form.add_service_error(error)
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status_code
    context = {"application": application, "evaluation": evaluation, "form": form}
    return render(request, "applicants/evaluator/evaluate.html", context, status=status)
