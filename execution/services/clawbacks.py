"""Clawbacks (환수, SPEC §18.4): opened by staff (or by a settlement refund, or a termination),
collected in instalments appended to the ledger as `recovery`, or closed uncollectable.
PART A2 fills this module."""

from execution.models import Clawback, ClawbackCollection


def clawback_open(
    *,
    actor,
    application,
    reason: str,
    government: int,
    sponsor: int,
    due_on,
    ban: bool = False,
    note: str = "",
) -> Clawback:
    raise NotImplementedError


def clawback_collect(*, actor, clawback: Clawback, amount: int, collected_on) -> ClawbackCollection:
    raise NotImplementedError


def clawback_uncollectable(*, actor, clawback: Clawback, note: str) -> Clawback:
    raise NotImplementedError


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """`terminate` after payments: what was paid goes to a clawback (SPEC §4)."""
    return None
