import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from program.choices import APPLICATION_DOCUMENT_KINDS, SolutionArea
from program.cost_share import MAX_TOTAL

# Dates a program's money, outcomes and reports can carry: from before the program's first year (2018)
# to five years ahead (agreement, build and follow-up of this year's projects). 0001-01-01 or
# 9999-12-31 are typing errors, and a report over such a period fails.
EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 5


def validate_rubric(rubric) -> None:
    """A rubric is a list of {"key", "label", "max_points"} with distinct keys, points summing to 100."""
    if not isinstance(rubric, list) or not rubric:
        raise ValidationError(_("평가 기준을 하나 이상 입력해 주세요."), code="rubric_empty")
    keys = []
    for item in rubric:
        if not (isinstance(item, dict) and set(item) == {"key", "label", "max_points"}):
            raise ValidationError(
                _("평가 기준마다 key, label, max_points가 있어야 합니다."), code="rubric_shape"
            )
        points = item["max_points"]
        if not (isinstance(points, int) and not isinstance(points, bool) and 1 <= points <= 100):
            raise ValidationError(_("배점은 1~100 사이의 정수여야 합니다."), code="rubric_points")
        if not (isinstance(item["key"], str) and item["key"].strip() and isinstance(item["label"], str)):
            raise ValidationError(_("평가 기준의 key와 label은 글자여야 합니다."), code="rubric_shape")
        keys.append(item["key"])
    if len(keys) != len(set(keys)):
        raise ValidationError(_("평가 기준의 key가 중복되었습니다."), code="rubric_duplicate")
    if sum(item["max_points"] for item in rubric) != 100:
        raise ValidationError(_("평가 기준 배점의 합은 100점이어야 합니다."), code="rubric_total")


def validate_document_kinds(kinds) -> None:
    """A program's required documents: a list of distinct document kinds (docs/domain.md §10), possibly
    empty."""
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        raise ValidationError(_("필수 서류는 서류 종류의 목록이어야 합니다."), code="documents_shape")
    unknown = [kind for kind in kinds if kind not in APPLICATION_DOCUMENT_KINDS]
    if unknown:
        raise ValidationError(
            _("알 수 없는 서류 종류입니다: %s") % ", ".join(unknown[:5]), code="documents_unknown"
        )
    if len(kinds) != len(set(kinds)):
        raise ValidationError(_("필수 서류가 중복되었습니다."), code="documents_duplicate")


def validate_program_policy(*, gov_ratio, sponsor_ratio, sme_ratio, opens_on, closes_on) -> None:
    """The rules a program's fields obey together (docs/domain.md §3.1, §2); a field left None is not
    judged."""
    errors = {}
    ratios = (gov_ratio, sponsor_ratio, sme_ratio)
    if None not in ratios and sum(ratios) != 100:
        errors["gov_ratio"] = _("분담 비율(정부·주관기관·기업)의 합은 100이어야 합니다.")
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("접수 마감일은 시작일보다 빠를 수 없습니다.")
    if errors:
        raise ValidationError(errors)


def validate_gov_cap(value) -> None:
    """A government cap per application: a whole number of won from 0 to the project maximum
    (docs/domain.md §3.2, 100억 원); a larger cap could never apply, and one past 64 bits fails the
    database."""
    if value is not None and not 0 <= value <= MAX_TOTAL:
        raise ValidationError(
            _("정부지원 한도는 0원 이상 %(max)s원 이하여야 합니다.") % {"max": f"{MAX_TOTAL:,}"},
            code="gov_cap_range",
        )


def latest_plausible_date(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    if (today.month, today.day) == (2, 29):
        today -= datetime.timedelta(days=1)
    return today.replace(year=today.year + YEARS_AHEAD)


def validate_plausible_date(value) -> None:
    """The one window for payment, contribution, outcome and report dates (see EARLIEST_DATE)."""
    if value is None:
        return
    latest = latest_plausible_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            _("날짜는 %(earliest)s부터 %(latest)s까지 입력할 수 있습니다.")
            % {"earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()},
            code="date_out_of_range",
        )


def validate_solution_areas(value) -> None:
    """A supplier's solution areas: a list of distinct known areas (program.choices.SolutionArea)."""
    if not (
        isinstance(value, list)
        and all(isinstance(area, str) and area in SolutionArea.values for area in value)
        and len(set(value)) == len(value)
    ):
        raise ValidationError(
            _("솔루션 분야는 %s 중에서 겹치지 않게 고르세요.") % ", ".join(SolutionArea.values),
            code="solution_areas",
        )


def check_field(model, name: str, value) -> None:
    """`value` judged by the validators of `model`'s field `name` (its length, its window…), for a
    service that writes without full_clean(): the model's own rule, refused at `name`. The value is
    read as the field reads it first ("2026-05-01" is a date to a DateField, as on save)."""
    field = model._meta.get_field(name)
    try:
        field.run_validators(field.to_python(value))
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None
