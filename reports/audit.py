"""reports' audit actions in words: outcomes entered and corrected (docs/domain.md §8)."""

from django.utils.translation import gettext_lazy as _

from program.audit import Labels
from reports.models import Report

LABELS: Labels = {
    "outcome.create": _("성과 입력"),
    "outcome.update": _("성과 수정"),
    "report.request": _("보고서 요청"),
}


def audit_labels() -> Labels:
    return LABELS


def audit_values():
    """A report request's kind and format."""
    return {"report.request": {"kind": dict(Report.Kind.choices), "format": dict(Report.Format.choices)}}
