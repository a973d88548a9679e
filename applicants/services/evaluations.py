"""Evaluation (docs/domain.md §5): staff assign evaluators; each declares a conflict or none, then scores."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from applicants.models import Application, Evaluation, EvaluatorAssignment
from applicants.permissions import can_assign_evaluator
from applicants.scoring import trimmed_mean_score
from applicants.selectors import application_lock
from applicants.services.applications import require_in_agency
from config.errors import Conflict, DomainError, NotAllowed
from program.services import audit_event_record
from program.validators import check_field


@transaction.atomic
def evaluator_assign(*, application: Application, evaluator_username: str, actor) -> EvaluatorAssignment:
    """Staff of the application's agency put an evaluator on its committee (docs/domain.md §5):
    another agency's application answers 404, the ministry 403."""
    application = application_lock(application_id=application.pk)
    require_in_agency(actor, application)
    if not can_assign_evaluator(actor, application):
        raise NotAllowed()
    if application.status != Application.Status.EVALUATION:
        raise Conflict(
            _("선정평가 단계의 신청서에만 평가위원을 배정할 수 있습니다."), code="not_in_evaluation"
        )
    evaluator = (
        get_user_model()
        .objects.filter(username=evaluator_username, role=Role.EVALUATOR, is_active=True)
        .first()
    )
    if evaluator is None:
        raise ValidationError({"evaluator": _("평가위원을 찾을 수 없습니다: %s") % evaluator_username})
    assignment, created = EvaluatorAssignment.objects.get_or_create(
        application=application, evaluator=evaluator, defaults={"assigned_by": actor}
    )
    if not created:
        raise ValidationError({"evaluator": _("이미 배정된 평가위원입니다.")})
    audit_event_record(
        actor=actor, action="evaluation.assign", target=application, after={"evaluator": evaluator.username}
    )
    return assignment


def _check_scores(rubric: list[dict], scores: dict, bonus: int) -> int:
    keys = {item["key"]: item for item in rubric}
    errors = {}
    if set(scores) != set(keys):
        errors["scores"] = _("평가 항목을 모두 채점해 주세요: %s") % ", ".join(
            item["label"] for item in rubric
        )
    for key, value in scores.items():
        item = keys.get(key)
        if item and not (
            isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= item["max_points"]
        ):
            errors["scores"] = _("'%(label)s'은(는) 0~%(max)s점 사이의 정수여야 합니다.") % {
                "label": item["label"],
                "max": item["max_points"],
            }
    if bonus not in range(0, Evaluation.BONUS_MAX + 1, Evaluation.BONUS_STEP):
        errors["bonus"] = _("가점은 0, 3, 6, 9, 12점 중 하나여야 합니다.")
    if errors:
        raise ValidationError(errors)
    return sum(scores.values()) + bonus


@transaction.atomic
def evaluation_submit(
    *,
    application: Application,
    evaluator,
    conflict_of_interest: bool,
    scores: dict,
    bonus: int = 0,
    comment: str = "",
) -> Evaluation:
    """An assigned evaluator's conflict declaration and scores; the application's score follows."""
    application = application_lock(application_id=application.pk)
    if not EvaluatorAssignment.objects.filter(application=application, evaluator=evaluator).exists():
        raise NotAllowed()
    if application.status != Application.Status.EVALUATION:
        raise Conflict(_("선정평가 단계에서만 평가할 수 있습니다."), code="not_in_evaluation")
    existing = Evaluation.objects.filter(application=application, evaluator=evaluator).first()
    if existing and existing.conflict_of_interest:
        raise Conflict(_("이해충돌을 신고한 평가위원은 채점할 수 없습니다."), code="conflicted")
    check_field(Evaluation, "comment", comment)
    total = None
    if conflict_of_interest:
        scores, bonus = {}, 0
    elif scores or bonus:
        total = _check_scores(application.program.rubric, scores, bonus)
    # else: "no conflict" declared, scores to follow
    evaluation, _created = Evaluation.objects.update_or_create(
        application=application,
        evaluator=evaluator,
        defaults={
            "conflict_of_interest": conflict_of_interest,
            "scores": scores,
            "bonus": bonus,
            "total": total,
            "comment": comment,
        },
    )
    _rescore(application)
    audit_event_record(
        actor=evaluator,
        action="evaluation.submit",
        target=application,
        after={"conflict_of_interest": conflict_of_interest, "total": total},
    )
    return evaluation


def _rescore(application: Application) -> None:
    rows = Evaluation.objects.filter(
        application=application, conflict_of_interest=False, total__isnull=False
    ).values_list("total", flat=True)
    totals = [total for total in rows if total is not None]  # the filter already drops them; mypy can't tell
    application.score = trimmed_mean_score(totals)
    application.save(update_fields=["score", "updated_at"])


@dataclass
class CommitteeResult:
    """What a bulk committee assignment did, pair by pair (application, evaluator username)."""

    assigned: list[tuple[Application, str]] = field(default_factory=list)
    existing: list[tuple[Application, str]] = field(default_factory=list)
    refused: list[tuple[Application, str, str]] = field(default_factory=list)  # … and why


def committee_assign(
    *, applications: list[Application], evaluator_usernames: list[str], actor
) -> CommitteeResult:
    """Every chosen evaluator on every chosen application's committee (the ranking page's bulk form):
    each pair through `evaluator_assign`, with its rules and audit; pairs already on the committee are
    skipped, and a refused pair (application past evaluation, evaluator gone) is reported and changes
    nothing, while the other pairs still go through."""
    result = CommitteeResult()
    existing = set(
        EvaluatorAssignment.objects.filter(
            application__in=applications, evaluator__username__in=evaluator_usernames
        ).values_list("application_id", "evaluator__username")
    )
    for application in applications:
        for username in evaluator_usernames:
            if (application.pk, username) in existing:
                result.existing.append((application, username))
                continue
            try:
                evaluator_assign(application=application, evaluator_username=username, actor=actor)
            except ValidationError as error:
                result.refused.append((application, username, " ".join(_messages(error))))
            except DomainError as error:
                result.refused.append((application, username, str(error.message)))
            else:
                result.assigned.append((application, username))
    return result


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]
