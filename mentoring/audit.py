"""mentoring's audit actions in words (asked through `audit_labels`, program/audit.py): the mentor
register and the assignments and visits on an application (docs/domain.md §6)."""

from django.utils.translation import gettext_lazy as _

from mentoring.models import MentoringAssignment
from program.audit import Labels

LABELS: Labels = {
    "mentor.create": _("멘토 등록"),
    "mentor.update": _("멘토 정보 변경"),
    "mentoring.assign": _("멘토 배정"),
    "mentoring.end": _("멘토링 종료"),
    "mentoring.cancel": _("멘토링 취소"),
    "mentoring.session": _("멘토링 일지 기록"),
}


def audit_labels() -> Labels:
    return LABELS


def audit_values():
    """An assignment's status as it ends or is cancelled."""
    statuses = {"status": dict(MentoringAssignment.Status.choices)}
    return {"mentoring.end": statuses, "mentoring.cancel": statuses}
