"""The project actions of the audit trail in words (the `audit_labels` extension point)."""

from django.utils.translation import gettext_lazy as _


def audit_labels() -> dict:
    return {
        "agreement.update": _("협약 작성"),
        "agreement.send": _("협약서 발송"),
        "agreement.sign": _("협약서 기업 서명"),
        "agreement.countersign": _("협약 체결"),
        "agreement.recall": _("협약서 회수"),
        "agreement_change.request": _("협약변경 신청"),
        "agreement_change.approve": _("협약변경 승인"),
        "agreement_change.reject": _("협약변경 반려"),
        "inspection.record": _("완료점검"),
    }
