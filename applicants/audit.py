"""applicants' audit actions in words (asked through `audit_labels`, program/audit.py)."""

from django.utils.translation import gettext_lazy as _

from applicants.workflow import TRANSITIONS
from program.audit import Labels

LABELS: Labels = {
    # A workflow action is named as on its button (docs/domain.md §4).
    **{f"application.{name}": transition.label for name, transition in TRANSITIONS.items()},
    "application.create": _("신청서 작성"),
    "application.update": _("신청서 수정"),
    "application.attachment_add": _("서류 등록"),
    "application.attachment_delete": _("서류 삭제"),
    "evaluation.assign": _("평가위원 배정"),
    "evaluation.submit": _("평가 제출"),
    "company.register": _("기업 등록"),
    "company.update": _("기업정보 변경"),
}


def audit_labels() -> Labels:
    return LABELS
