"""An import checked and written by a real Celery worker through Redis, on PostgreSQL (SPEC §15.5)."""

import uuid

import pytest

from applicants.models import SupportRecord
from imports import services, tasks
from imports.models import ImportRun
from imports.tests.helpers import csv_bytes, support_row, upload
from tests.factories import UserFactory
from tests.workers import start_worker, stop, wait_for


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_and_writes_an_import(tmp_path):
    staff = UserFactory(role="staff")
    rows = [support_row() for _ in range(30)] + [support_row(지원수준="고급")]
    run = services.import_start(staff, upload=upload(csv_bytes(rows)), kind="support_records", queue=False)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, log)
    try:
        tasks.check_import.apply_async(args=[run.pk], queue=queue)
        checked = wait_for(lambda: ImportRun.objects.get(pk=run.pk).status == "checked", timeout=90)
        assert checked, log.read_text()
        services.import_confirm(staff, ImportRun.objects.get(pk=run.pk), queue=False)
        tasks.write_import.apply_async(args=[run.pk], queue=queue)
        done = wait_for(lambda: ImportRun.objects.get(pk=run.pk).status == "done", timeout=90)
    finally:
        stop(worker)
    assert done, log.read_text()
    run.refresh_from_db()
    assert (run.rows, run.valid, run.error_count, run.created, run.unchanged) == (31, 30, 1, 30, 0)
    assert SupportRecord.objects.count() == 30
