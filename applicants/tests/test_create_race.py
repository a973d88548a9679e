"""One live application per company and program, also when two requests create it at once (issue 13
item 10a): the loser gets the same 400 on `program` as a sequential duplicate, never a 500."""

import threading
import time

import pytest
from rest_framework.test import APIClient

from applicants.models import Application
from applicants.services import application_create
from applicants.services import applications as application_services
from program.models import AuditEvent
from tests.factories import ProgramFactory, UserFactory

DUPLICATE = "이 사업에 진행 중인 신청서가 이미 있습니다."


@pytest.fixture
def rival_arrives_between_check_and_save(monkeypatch):
    """The other request's row appears after this request's check passed, before its insert: only
    the database's unique constraint can refuse it now, as in a real race. (Here the rival is written
    in this request's transaction, so it is rolled back with it; the PostgreSQL test below races two
    real transactions.)"""
    real = application_services._check_live_unique
    calls = []

    def check_then_rival(application):
        real(application)
        if not calls:
            calls.append(application)
            Application.objects.create(
                program=application.program, company=application.company, level="basic", title="먼저 온 신청"
            )

    monkeypatch.setattr(application_services, "_check_live_unique", check_then_rival)


@pytest.mark.django_db
def test_api_answers_400_when_the_constraint_refuses_a_simultaneous_duplicate(
    rival_arrives_between_check_and_save,
):
    owner, program = UserFactory(applicant=True), ProgramFactory()
    client = APIClient()
    client.force_authenticate(owner)
    body = {"program": program.pk, "company": owner.company_id, "level": "basic", "title": "MES 도입"}

    response = client.post("/api/v1/applications/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["program"] == [DUPLICATE]
    assert not Application.objects.filter(title="MES 도입").exists()
    assert not AuditEvent.objects.filter(action="application.create").exists()


@pytest.mark.django_db
def test_the_form_shows_the_duplicate_at_program_when_the_constraint_refuses(
    client, rival_arrives_between_check_and_save
):
    owner, program = UserFactory(applicant=True), ProgramFactory()
    client.force_login(owner)

    response = client.post("/apply/new/", {"program": program.pk, "level": "basic", "title": "MES 도입"})

    assert response.status_code == 400
    assert response.context["form"].errors["program"] == [DUPLICATE]
    assert not Application.objects.filter(title="MES 도입").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creations_give_one_application_and_one_400(monkeypatch):
    from django.db import connection

    owner, program = UserFactory(applicant=True), ProgramFactory()
    real = application_services._check_live_unique

    def slow_check(application):
        real(application)
        time.sleep(0.2)  # both requests pass the check before either inserts

    monkeypatch.setattr(application_services, "_check_live_unique", slow_check)
    barrier = threading.Barrier(2, timeout=30)
    outcomes = []

    def create(title):
        try:
            actor = type(owner).objects.select_related("company").get(pk=owner.pk)
            barrier.wait()
            application_create(
                actor=actor, company=actor.company, program=program, level="basic", title=title
            )
            outcomes.append("created")
        except Exception as error:  # the test inspects every outcome
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(title,)) for title in ("첫째", "둘째")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("created") == 1, outcomes
    refused = next(o for o in outcomes if o != "created")
    assert refused.message_dict == {"program": [DUPLICATE]}
    assert Application.objects.filter(program=program).count() == 1
    assert AuditEvent.objects.filter(action="application.create").count() == 1
