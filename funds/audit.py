"""funds' audit actions in words: each ledger entry kind (docs/domain.md §3.3) as `ledger.<kind>`."""

from django.utils.translation import gettext_lazy as _

from funds.models import Contribution, Disbursement, LedgerEntry
from program.audit import Labels

LABELS: Labels = {f"ledger.{kind}": label for kind, label in LedgerEntry.Kind.choices}
LABELS["application.disbursement"] = _("지급 기록")  # the payment, on the application's history


def audit_labels() -> Labels:
    return LABELS


def audit_values():
    """What funds' recorded values mean: a payment's kind, a contribution's kind."""
    return {
        "application.disbursement": {"kind": dict(Disbursement.Kind.choices)},
        "ledger.contribution": {"kind": dict(Contribution.Kind.choices)},
    }
