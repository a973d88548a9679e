"""A real Celery worker, connected to Redis and PostgreSQL, runs a task end to end."""

import uuid

import pytest

from funds.models import CostShare
from funds.tasks import compute_cost_share
from tests.factories import ApplicationFactory
from tests.workers import start_worker, stop, wait_for


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_through_redis_runs_in_a_real_worker(tmp_path):
    application = ApplicationFactory(total_cost=100_000_001, selected=True)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, log)
    try:
        result = compute_cost_share.apply_async(args=[application.pk], queue=queue)
        assert result.id
        done = wait_for(lambda: CostShare.objects.filter(application=application).exists(), timeout=60)
    finally:
        stop(worker)
    output = log.read_text()
    assert done, f"the worker never stored the cost share; worker log:\n{output}"
    share = CostShare.objects.get(application=application)
    assert (share.government, share.sponsor, share.sme) == (30_000_000, 30_000_000, 40_000_001)
    assert "funds.compute_cost_share" in output and "succeeded" in output
