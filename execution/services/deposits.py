"""The SME's deposits (기업부담금, SPEC §18.2) and the rules they put on payments and on `start_build`.
PART A1 fills this module."""

from execution.models import Deposit


def deposit_record(*, actor, application, amount: int, deposited_on, document=None) -> Deposit:
    """Staff record a deposit of the SME's share."""
    raise NotImplementedError


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """`start_build` needs a deposit recorded (409 `deposit_required`)."""
    return None


def payment_rule(*, application, amount: int, kind: str, paid: dict, parts: tuple[int, int]):
    """409 `sme_share_unpaid` unless deposits ≥ floor(sme × (paid + amount) / (government + sponsor))."""
    return None
