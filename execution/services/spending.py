"""Spending lines (집행, SPEC §18.1): recorded by the SME's owner while `building`, with evidence and
flags computed when recorded; reviewed by staff. PART A1 fills this module."""

from execution.models import SpendingLine


def spending_record(
    *,
    actor,
    application,
    spent_on,
    supplier_business_number: str,
    item: str,
    amount: int,
    evidence: str,
    invoice_number: str | None,
    document,
) -> SpendingLine:
    """Record one line; 409 `duplicate_invoice` for an invoice number recorded anywhere."""
    raise NotImplementedError


def spending_review(*, actor, line: SpendingLine, decision: str, reason: str = "") -> SpendingLine:
    """Staff approve or disallow (reason required) one line."""
    raise NotImplementedError
