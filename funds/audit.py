"""funds' audit actions in words: each ledger entry kind (docs/domain.md §3.3) as `ledger.<kind>`."""

from funds.models import LedgerEntry
from program.audit import Labels

LABELS: Labels = {f"ledger.{kind}": label for kind, label in LedgerEntry.Kind.choices}


def audit_labels() -> Labels:
    return LABELS
