"""Audit actions of spending, deposits, settlement and clawbacks, in words (program/audit.py)."""

from django.utils.translation import gettext_lazy as _


def audit_labels() -> dict:
    return {
        "spending.record": _("집행 내역 등록"),
        "spending.review": _("집행 내역 검토"),
        "deposit.record": _("기업부담금 입금 기록"),
        "settlement.confirm": _("정산 확정"),
        "clawback.open": _("환수 결정"),
        "clawback.collect": _("환수금 회수"),
        "clawback.uncollectable": _("환수 불능 처리"),
    }
