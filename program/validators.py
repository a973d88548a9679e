from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from program.choices import DocumentKind


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
    """A program's required documents: a list of distinct document kinds (SPEC §10), possibly empty."""
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        raise ValidationError(_("필수 서류는 서류 종류의 목록이어야 합니다."), code="documents_shape")
    unknown = [kind for kind in kinds if kind not in DocumentKind.values]
    if unknown:
        raise ValidationError(
            _("알 수 없는 서류 종류입니다: %s") % ", ".join(unknown[:5]), code="documents_unknown"
        )
    if len(kinds) != len(set(kinds)):
        raise ValidationError(_("필수 서류가 중복되었습니다."), code="documents_duplicate")


def validate_program_policy(*, gov_ratio, sponsor_ratio, sme_ratio, opens_on, closes_on) -> None:
    """The rules a program's fields obey together (SPEC §3.1, §2); a field left None is not judged."""
    errors = {}
    ratios = (gov_ratio, sponsor_ratio, sme_ratio)
    if None not in ratios and sum(ratios) != 100:
        errors["gov_ratio"] = _("분담 비율(정부·주관기관·기업)의 합은 100이어야 합니다.")
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("접수 마감일은 시작일보다 빠를 수 없습니다.")
    if errors:
        raise ValidationError(errors)
