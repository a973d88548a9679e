"""Concurrent assignments never exceed an application's three mentors nor a mentor's capacity
(docs/domain.md §7),
on PostgreSQL with real row locks.

Each assignment is held for a moment after its checks pass and before it is written, so that without the
locks the threads would certainly all pass the checks: the last test shows the race then over-assigns,
which is what makes the others meaningful.
"""

import datetime
import threading
import time

import pytest
from django.db import connection

from applicants.models import Application
from config.errors import Conflict
from mentoring import services
from mentoring.models import Mentor, MentoringAssignment
from tests.factories import ApplicationFactory, MentorFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
MARCH_2 = datetime.date(2026, 3, 2)
THREADS = 6


@pytest.fixture
def slow_checks(monkeypatch):
    real = services._check_mentor

    def slowly(mentor, application):
        real(mentor, application)
        time.sleep(0.2)

    monkeypatch.setattr(services, "_check_mentor", slowly)


def assign_all_at_once(pairs, actor) -> list[object]:
    """Each thread assigns one (application id, mentor id); all start together. Returns the outcomes."""
    barrier = threading.Barrier(len(pairs), timeout=60)
    outcomes: list[object] = [None] * len(pairs)

    def run(index, application_id, mentor_id):
        try:
            application = Application.objects.get(pk=application_id)  # connect before the start
            mentor = Mentor.objects.get(pk=mentor_id)
            barrier.wait()
            services.assignment_create(
                actor=actor,
                application=application,
                mentor=mentor,
                starts_on=MARCH_2,
                ends_on=MARCH_2 + datetime.timedelta(days=60),
            )
            outcomes[index] = "assigned"
        except Exception as error:  # every outcome is inspected by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *pair)) for i, pair in enumerate(pairs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an assignment hung"
    return outcomes


def codes(outcomes) -> list[str]:
    unexpected = [o for o in outcomes if o != "assigned" and not isinstance(o, Conflict)]
    assert not unexpected, unexpected
    return sorted(o.code for o in outcomes if isinstance(o, Conflict))


def test_concurrent_assignments_to_one_application_stop_at_three_mentors(slow_checks):
    application = ApplicationFactory(selected=True)
    mentors = [MentorFactory() for _ in range(THREADS)]
    outcomes = assign_all_at_once([(application.pk, m.pk) for m in mentors], UserFactory())
    assert outcomes.count("assigned") == 3
    assert codes(outcomes) == ["too_many_mentors"] * (THREADS - 3)
    assert MentoringAssignment.objects.filter(application=application, status="active").count() == 3


def test_concurrent_assignments_of_one_mentor_stop_at_its_capacity(slow_checks):
    mentor = MentorFactory(capacity=2)
    applications = [ApplicationFactory(selected=True) for _ in range(THREADS)]
    outcomes = assign_all_at_once([(a.pk, mentor.pk) for a in applications], UserFactory())
    assert outcomes.count("assigned") == 2
    assert codes(outcomes) == ["mentor_at_capacity"] * (THREADS - 2)
    assert MentoringAssignment.objects.filter(mentor=mentor, status="active").count() == 2


def test_without_the_locks_the_same_race_over_assigns(slow_checks, monkeypatch):
    """A check of the tests above: with the row locks gone, they would fail."""
    monkeypatch.setattr(
        services, "application_lock", lambda *, application_id: Application.objects.get(pk=application_id)
    )
    monkeypatch.setattr(services, "mentor_lock", lambda *, mentor_id: Mentor.objects.get(pk=mentor_id))
    application = ApplicationFactory(selected=True)
    mentors = [MentorFactory() for _ in range(THREADS)]
    outcomes = assign_all_at_once([(application.pk, m.pk) for m in mentors], UserFactory())
    assert outcomes.count("assigned") > 3
