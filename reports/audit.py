"""reports' audit actions in words: outcomes entered and corrected (docs/domain.md §8)."""

from django.utils.translation import gettext_lazy as _

from program.audit import Labels

LABELS: Labels = {
    "outcome.create": _("성과 입력"),
    "outcome.update": _("성과 수정"),
}


def audit_labels() -> Labels:
    return LABELS
