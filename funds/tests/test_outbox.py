"""Broker outage: SMEs save and submit, staff select; the cost-share work waits in the outbox and
runs once the broker is back (funds/outbox.py)."""

import datetime

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from applicants.models import Application
from funds.models import CostShare, CostShareRequest
from funds.outbox import cost_share_sweep
from funds.tasks import compute_cost_share, sweep_cost_share_requests
from tests.factories import DECLARATIONS_FORM, ApplicationFactory, ProgramFactory, UserFactory, fund_program

# Tasks run in-process once the broker is "back", even where a real Redis is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
S = Application.Status
LATER = datetime.timedelta(minutes=2)  # past the sweeper's grace period


def test_an_sme_saves_and_submits_and_staff_select_while_the_broker_is_down(
    client, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    program = ProgramFactory()
    fund_program(program, sponsor=10**9, government=10**9)
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, program=program, total_cost=None, documents=True)
    url = f"/staff/applications/{application.pk}/transition/"
    with monkeypatch.context() as patch:
        patch.setattr(compute_cost_share, "apply_async", _refuse)  # Redis stopped
        client.force_login(owner)
        with django_capture_on_commit_callbacks(execute=True):
            saved = client.post(
                f"/apply/{application.pk}/plan/", {"plan": "MES 도입", "total_cost": "100,000,000"}
            )
        assert saved.status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            submitted = client.post(f"/apply/{application.pk}/review/", DECLARATIONS_FORM)
        assert submitted.status_code == 302
        application.refresh_from_db()
        assert application.status == S.SUBMITTED and application.total_cost == 100_000_000
        assert "unreachable" in caplog.text
        assert not CostShare.objects.filter(application=application).exists()  # the task never ran

        client.force_login(UserFactory(username="officer"))
        for action in ("start_screening", "start_evaluation", "select"):
            with django_capture_on_commit_callbacks(execute=True):
                assert client.post(url, {"action": action}).status_code == 302, action
        application.refresh_from_db()
        assert application.status == S.SELECTED
        assert CostShareRequest.objects.filter(application=application).count() == 2  # save, select

        # Still down: the sweeper sends nothing and loses nothing.
        assert cost_share_sweep(now=timezone.now() + LATER)["broker"] == "down"
        assert CostShareRequest.objects.filter(application=application).count() == 2
    CostShare.objects.filter(application=application).delete()  # only the task may make it now

    # Redis is back (eager here): one task per application, and the split is there.
    assert cost_share_sweep(now=timezone.now() + LATER) == {"sent": 1, "left": 0, "broker": "up"}
    assert CostShare.objects.get(application=application).total == 100_000_000
    assert not CostShareRequest.objects.exists()


def test_the_sweeper_runs_the_work_once_the_broker_is_back(monkeypatch, django_capture_on_commit_callbacks):
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, total_cost=None)
    from applicants.services.applications import application_update

    with monkeypatch.context() as patch:
        patch.setattr(compute_cost_share, "apply_async", _refuse)
        with django_capture_on_commit_callbacks(execute=True):
            application_update(application=application, actor=owner, total_cost=150_000_000, plan="계획")
    assert not CostShare.objects.filter(application=application).exists()
    assert CostShareRequest.objects.filter(application=application).count() == 1

    # Too fresh: its own transaction may still be sending it.
    assert cost_share_sweep()["sent"] == 0
    # Redis is back (tasks run eagerly here): the sweep sends it, the split exists, the row is gone.
    result = cost_share_sweep(now=timezone.now() + LATER)
    assert result == {"sent": 1, "left": 0, "broker": "up"}
    share = CostShare.objects.get(application=application)
    assert share.total == 150_000_000 and share.government + share.sponsor + share.sme == 150_000_000
    assert not CostShareRequest.objects.exists()
    assert cost_share_sweep(now=timezone.now() + LATER)["sent"] == 0


def test_a_sent_request_leaves_no_row_and_the_beat_task_is_scheduled(
    settings, django_capture_on_commit_callbacks
):
    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, total_cost=None)
    from applicants.services.applications import application_update

    with django_capture_on_commit_callbacks(execute=True):
        application_update(application=application, actor=owner, total_cost=90_000_000)
    assert CostShare.objects.get(application=application).total == 90_000_000
    assert not CostShareRequest.objects.exists()
    assert sweep_cost_share_requests() == {"sent": 0, "left": 0, "broker": "up"}
    schedule = settings.CELERY_BEAT_SCHEDULE["funds-cost-share-sweep"]
    assert schedule["task"] == "funds.sweep_cost_share_requests"


def test_a_rolled_back_change_leaves_no_request():
    from django.db import transaction

    owner = UserFactory(applicant=True)
    application = ApplicationFactory(company=owner.company, total_cost=None)
    from applicants.services.applications import application_update

    with pytest.raises(RuntimeError), transaction.atomic():
        application_update(application=application, actor=owner, total_cost=90_000_000)
        raise RuntimeError("the request failed after the save")
    assert not CostShareRequest.objects.exists()


def _refuse(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
