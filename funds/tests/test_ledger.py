"""One writer of the ledger (docs/domain.md §3.3): `funds.services.ledger_entry_record` appends an
entry and its `ledger.<kind>` audit event together; no other module of the product writes one."""

import ast
from pathlib import Path

import pytest

from funds.models import LedgerEntry, Pot
from funds.services import fund_budget_sync, ledger_entry_record
from program.models import AuditEvent
from tests.factories import ApplicationFactory, ProgramFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["accounts", "program", "applicants", "funds", "mentoring", "projects", "reports", "ops", "config"]
K = LedgerEntry.Kind


def ledger_writes(path: Path) -> list[int]:
    """Lines that build a LedgerEntry or call a writing manager method on it."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "LedgerEntry":
            lines.append(node.lineno)
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("create", "bulk_create", "get_or_create", "update_or_create")
            and "LedgerEntry" in ast.unparse(func.value)
        ):
            lines.append(node.lineno)
    return lines


def product_modules():
    for app in PRODUCT:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield path


def test_only_ledger_entry_record_writes_the_ledger():
    writers = {str(p.relative_to(ROOT)): ledger_writes(p) for p in product_modules() if ledger_writes(p)}
    assert list(writers) == ["funds/services.py"]
    assert len(writers["funds/services.py"]) == 1


@pytest.mark.django_db
def test_an_entry_and_its_audit_event_are_written_together(staff):
    application = ApplicationFactory()
    entry = ledger_entry_record(
        program_id=application.program_id,
        pot=Pot.SPONSOR,
        kind=K.COMMITMENT,
        amount=1_000,
        actor=staff,
        application=application,
    )
    event = AuditEvent.objects.get(object_id=entry.pk, action="ledger.commitment")
    assert event.actor == staff
    assert event.after == {"pot": Pot.SPONSOR, "amount": 1_000, "application": application.pk}


@pytest.mark.django_db
def test_the_budget_entry_keeps_its_note(staff):
    program = ProgramFactory(gov_budget=5_000_000)
    entry = fund_budget_sync(program=program, actor=staff, note="데모 예산")
    assert (entry.pot, entry.kind, entry.amount) == (Pot.GOVERNMENT, K.CONTRIBUTION, 5_000_000)
    assert entry.note == "데모 예산"
    assert AuditEvent.objects.get(object_id=entry.pk).after == {"pot": Pot.GOVERNMENT, "amount": 5_000_000}
    program.gov_budget = 6_000_000
    assert fund_budget_sync(program=program, actor=staff).note == "정부 매칭 예산"  # the default
