"""Bans of one company recorded at the same instant (SPEC §15.2), on PostgreSQL with real row locks:
exactly one of them is its first strike (three years), every other one a second strike (permanent).
Without the lock on the company's row every thread finds no earlier ban and all are first strikes
(checked by hand when the test was written: the assertion fails with six False)."""

import threading
import time

import pytest
from django.db import connection

import applicants.services.bans as bans
from applicants.models import ParticipationBan
from tests.factories import CompanyFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 6


def test_only_one_of_simultaneous_bans_is_the_first_strike(monkeypatch):
    company, staff = CompanyFactory(), UserFactory(role="staff")
    barrier = threading.Barrier(THREADS, timeout=60)
    errors: list[Exception] = []
    real = bans._lock_subject

    def locked_then_slow(subject_type, business_number):
        real(subject_type, business_number)
        time.sleep(0.05)  # widen the window between the lock and the look for an earlier ban

    monkeypatch.setattr(bans, "_lock_subject", locked_then_slow)

    def run():
        try:
            barrier.wait()
            bans.ban_record(
                actor=staff, subject_type="company", business_number=company.business_number, reason="담합"
            )
        except Exception as error:  # inspected below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    strikes = list(ParticipationBan.objects.values_list("second_strike", flat=True))
    assert sorted(strikes) == [False] + [True] * (THREADS - 1)
