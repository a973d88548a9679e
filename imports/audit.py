"""Audit actions of imports, in words (program/audit.py)."""

from django.utils.translation import gettext_lazy as _


def audit_labels() -> dict:
    return {
        "import.start": _("가져오기 파일 올림"),
        "import.confirm": _("가져오기 확정"),
        "import.finish": _("가져오기 완료"),
        "import.fail": _("가져오기 실패"),
    }
