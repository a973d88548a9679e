"""One invoice number, two projects, the same instant (SPEC §18.1), on PostgreSQL with real
transactions: exactly one line is recorded and the other request answers 409 `duplicate_invoice`,
also when both got past the service's look-up and the unique constraint has to decide."""

import threading

import pytest
from django.db import connection

import execution.services.spending as spending
from config.errors import Conflict
from execution.models import SpendingLine
from execution.tests.test_spending import make_building, pdf, supplier_number
from tests.factories import invoice_number

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def record_at_once(projects, number) -> list[object]:
    """Each thread records a line with `number` on its own project and connection, all starting
    together. Returns each outcome: the line, or the error."""
    barrier = threading.Barrier(len(projects), timeout=60)
    outcomes: list[object] = []

    def run(application, owner):
        try:
            application.refresh_from_db()  # connect before the start
            barrier.wait()
            outcomes.append(
                spending.spending_record(
                    actor=owner,
                    application=application,
                    spent_on=application.agreement.starts_on,
                    supplier_business_number=supplier_number(application),
                    item="MES 라이선스",
                    amount=5_000_000,
                    evidence="tax_invoice",
                    invoice_number=number,
                    document=pdf(),
                )
            )
        except Exception as error:  # every outcome is inspected by the test
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(application, owner)) for application, owner, _ in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return outcomes


def one_line_and_one_duplicate(outcomes) -> bool:
    lines = [o for o in outcomes if isinstance(o, SpendingLine)]
    refused = [o for o in outcomes if isinstance(o, Conflict) and o.code == "duplicate_invoice"]
    return len(lines) == 1 and len(refused) == len(outcomes) - 1


@pytest.fixture
def projects(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return [make_building(), make_building()]


def test_two_requests_with_one_invoice_record_one_line(projects):
    number = invoice_number()

    outcomes = record_at_once(projects, number)

    assert one_line_and_one_duplicate(outcomes), outcomes
    assert SpendingLine.objects.filter(invoice_number=number).count() == 1


@pytest.fixture
def both_past_the_lookup(monkeypatch):
    """Each thread's first look-up (the check before inserting) waits for the other's, so both find
    the number free and both insert: only the unique constraint stands between them."""
    real = spending.invoice_taken
    barrier = threading.Barrier(2, timeout=60)
    seen = threading.local()
    calls: list[bool] = []

    def in_step(number):
        taken = real(number)
        if not getattr(seen, "looked", False):
            seen.looked = True
            calls.append(taken)
            barrier.wait()
        return taken

    monkeypatch.setattr(spending, "invoice_taken", in_step)
    return calls


def test_the_unique_constraint_decides_when_both_pass_the_lookup(projects, both_past_the_lookup, tmp_path):
    number = invoice_number()

    outcomes = record_at_once(projects, number)

    assert both_past_the_lookup == [False, False]  # both found the number free
    assert one_line_and_one_duplicate(outcomes), outcomes
    line = SpendingLine.objects.get(invoice_number=number)
    # The refused request's evidence file went with its rolled-back row: only the recorded one is left.
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert [path.relative_to(tmp_path).as_posix() for path in stored] == [line.document.name]
