"""Confirming the settlement (SPEC §18.3) and its rules on payments and on `complete`.
PART A2 fills this module."""

from execution.models import Settlement


def settlement_confirm(*, actor, application) -> Settlement:
    """409 `spending_pending` while any line awaits review; releases excess commitments and opens a
    clawback (reason `settlement`) for a refund."""
    raise NotImplementedError


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """`complete` answers 409 `settlement_open` until the settlement is confirmed."""
    return None


def payment_rule(*, application, amount: int, kind: str, paid: dict, parts: tuple[int, int]):
    """After confirmation the final payment equals the positive balances (400 `final_amount`)."""
    return None
