"""The evaluator's pages: its assignments only; declare a conflict or none, then score the rubric."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from applicants import services
from applicants.models import Evaluation
from applicants.selectors import application_list, evaluation_list
from applicants.views.common import get_application_or_404
from config.errors import DomainError
from config.numbers import parse_whole_number

evaluator_required = role_required("evaluator")


@require_GET
@evaluator_required
def assignments(request):
    applications = application_list(user=request.user).order_by("submitted_at", "id")
    mine = {e.application_id: e for e in evaluation_list(user=request.user)}
    rows = [(application, mine.get(application.pk)) for application in applications]
    return render(request, "applicants/evaluator/list.html", {"rows": rows})


def _scores_from(post, rubric) -> tuple[dict, dict]:
    scores, errors = {}, {}
    for item in rubric:
        raw = post.get(f"score_{item['key']}", "").strip()
        if (points := parse_whole_number(raw, signed=True)) is not None:
            scores[item["key"]] = points
        elif raw:
            errors["scores"] = _("'%s'은(는) 숫자로 입력해 주세요.") % item["label"]
    return scores, errors


@require_http_methods(["GET", "POST"])
@evaluator_required
def evaluate(request, pk):
    application = get_application_or_404(request, pk)
    evaluation = Evaluation.objects.filter(application=application, evaluator=request.user).first()
    errors, status = {}, 200
    if request.method == "POST":
        conflict = request.POST.get("conflict_of_interest") == "yes"
        scores, errors = _scores_from(request.POST, application.program.rubric)
        bonus = parse_whole_number(request.POST.get("bonus", "0"))
        bonus = -1 if bonus is None else bonus  # not a number: refused by the service like any bad bonus
        if not errors:
            try:
                services.evaluation_submit(
                    application=application,
                    evaluator=request.user,
                    conflict_of_interest=conflict,
                    scores={} if conflict else scores,
                    bonus=bonus,
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("평가를 저장했습니다."))
                return redirect(f"/evaluations/{pk}/")
            except ValidationError as error:
                errors = {key: " ".join(value) for key, value in error.message_dict.items()}
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status_code
        status = status if status != 200 else 400
    context = {
        "application": application,
        "evaluation": evaluation,
        "errors": errors,
        "bonus_choices": range(0, Evaluation.BONUS_MAX + 1, Evaluation.BONUS_STEP),
    }
    return render(request, "applicants/evaluator/evaluate.html", context, status=status)
