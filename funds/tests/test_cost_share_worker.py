"""A real worker SIGKILLed in the middle of the cost-share task: the message is redelivered (late
acknowledgement) and the work is done exactly once in effect — one split, the pots committed once.

Killed inside the task's transaction, PostgreSQL rolls the half-done work back with the dead
connection; killed after the commit but before the acknowledgement, the redelivered run finds the
same split and leaves it as it is.
"""

import functools
import time
import uuid

import pytest
from django.db import DatabaseError, transaction

from applicants.models import Application
from funds.models import CostShare, LedgerEntry
from funds.selectors import fund_balances
from funds.tasks import compute_cost_share
from program.cost_share import split_cost
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, fund_program
from tests.workers import forget_queue, kill, start_worker, stop, wait_for

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REDELIVER = {"CELERY_VISIBILITY_TIMEOUT": "2"}  # Redis hands an unacknowledged message on after 2 s


def _locked_by_a_worker(application_id: int) -> bool:
    """True while another connection holds the application row (the task is inside its transaction)."""
    try:
        with transaction.atomic():
            list(Application.objects.select_for_update(nowait=True).filter(pk=application_id))
    except DatabaseError:
        return True
    return False


def _succeeded(log) -> int:
    return sum(
        "funds.compute_cost_share" in line and "succeeded" in line for line in log.read_text().splitlines()
    )


@pytest.fixture
def queue(request, monkeypatch):
    name = f"test-cost-share-{uuid.uuid4().hex[:10]}"
    request.addfinalizer(lambda: forget_queue(name))
    monkeypatch.setattr(
        compute_cost_share, "apply_async", functools.partial(compute_cost_share.apply_async, queue=name)
    )
    return name


def _selected(client) -> Application:
    """Staff select an application through the page: the pots are committed in the request and the
    cost-share task waits in the test's queue (no worker reads it yet). The split the selection
    stored is taken away, so that only the task can bring it back."""
    program = ProgramFactory()
    fund_program(program, sponsor=10**9, government=10**9)
    application = ApplicationFactory(program=program, total_cost=300_000_000, evaluation=True)
    client.force_login(UserFactory(username="officer"))
    response = client.post(f"/staff/applications/{application.pk}/transition/", {"action": "select"})
    assert response.status_code == 302
    CostShare.objects.filter(application=application).delete()
    return application


def _money(application) -> tuple:
    balances = fund_balances(program_id=application.program_id)
    entries = LedgerEntry.objects.filter(program_id=application.program_id).order_by("pk")
    return list(entries.values_list("pot", "kind", "amount")), {
        pot: b.available for pot, b in balances.items()
    }


def _kill_a_worker_once(queue, log, predicate, **pause) -> None:
    """Start a worker that pauses where `pause` says, SIGKILL it as soon as `predicate` holds."""
    worker = start_worker(queue, log, **pause, **REDELIVER)
    try:
        assert wait_for(predicate, timeout=60), log.read_text()
        kill(worker)
    finally:
        if worker.poll() is None:
            worker.kill()


def _redelivered_to_a_new_worker(queue, log) -> None:
    time.sleep(2.5)  # past the visibility timeout
    worker = start_worker(queue, log, **REDELIVER)
    try:
        assert wait_for(lambda: _succeeded(log) == 1, timeout=90), log.read_text()
    finally:
        stop(worker)


def test_killed_inside_its_transaction_the_task_leaves_nothing_and_runs_again_once(client, queue, tmp_path):
    log = tmp_path / "worker.log"
    application = _selected(client)
    money = _money(application)
    _kill_a_worker_once(queue, log, lambda: _locked_by_a_worker(application.pk), COST_SHARE_PAUSE_INSIDE="60")
    assert wait_for(lambda: not _locked_by_a_worker(application.pk), timeout=10)
    assert not CostShare.objects.filter(application=application).exists()  # its insert rolled back
    assert _succeeded(log) == 0

    _redelivered_to_a_new_worker(queue, log)
    share = CostShare.objects.get(application=application)
    expected = split_cost(300_000_000, application.level, application.program.cost_share_policy())
    assert (share.total, share.government, share.sponsor, share.sme) == (
        300_000_000,
        expected.government,
        expected.sponsor,
        expected.sme,
    )
    assert _money(application) == money  # the task moves no money: committed once, at selection


def test_killed_after_its_commit_the_redelivered_task_keeps_the_same_split(client, queue, tmp_path):
    log = tmp_path / "worker.log"
    application = _selected(client)
    money = _money(application)
    stored = CostShare.objects.filter(application=application)
    _kill_a_worker_once(queue, log, stored.exists, COST_SHARE_PAUSE_AFTER="60")  # committed, not acked
    first = stored.get()
    assert _succeeded(log) == 0

    _redelivered_to_a_new_worker(queue, log)
    assert stored.count() == 1
    again = stored.get()
    assert (again.pk, again.computed_at, again.government) == (first.pk, first.computed_at, first.government)
    assert _money(application) == money
