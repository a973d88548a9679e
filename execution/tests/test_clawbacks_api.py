"""The API of SPEC §18.3-18.4: the settlement and clawbacks, who reads and writes them, and what a
list costs in queries."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from execution.models import Clawback, ClawbackCollection, Settlement
from execution.services.clawbacks import clawback_open
from execution.tests.money_scenes import funded, line, other_agency_staff, pay
from tests.factories import UserFactory, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(staff):
    application = funded(staff)
    pay(staff, application, 20_000_000)
    return application


def a_clawback(staff, application, due_on=datetime.date(2026, 12, 31), **fields) -> Clawback:
    fields.setdefault("government", 1_000_000)
    fields.setdefault("sponsor", 1_000_000)
    return clawback_open(actor=staff, application=application, reason="non_use", due_on=due_on, **fields)


def readers(paid):
    sponsor_user = UserFactory(role="sponsor", sponsor=paid.program.sponsor)
    return {"ministry": UserFactory(role="ministry"), "owner": paid.owner, "sponsor": sponsor_user}


def outsiders():
    return {
        "staff-other": other_agency_staff(),
        "applicant-outsider": UserFactory(applicant=True),
        "sponsor-outsider": UserFactory(sponsor_user=True),
        "evaluator": UserFactory(role="evaluator"),
        "mentor": UserFactory(role="mentor"),
    }


def test_the_settlement_is_read_by_officials_the_sme_and_the_sponsor(staff, paid):
    line(paid, 50_000_000)
    url = reverse("application-settlement", kwargs={"pk": paid.pk})
    for user in [staff, *readers(paid).values()]:
        answer = api_client(user).get(url)
        assert answer.status_code == 200, user
        assert answer.json()["eligible"] == 50_000_000
        assert answer.json()["status"] == "open"
    for name, user in outsiders().items():
        assert api_client(user).get(url).status_code == 404, name
    assert APIClient().get(url).status_code == 403


def test_staff_confirm_the_settlement(staff, paid):
    line(paid, 50_000_000)
    url = reverse("application-settlement-confirm", kwargs={"pk": paid.pk})
    for name, user in readers(paid).items():
        assert api_client(user).post(url).status_code == 403, name
    for name, user in outsiders().items():
        assert api_client(user).post(url).status_code == 404, name
    answer = api_client(staff).post(url)
    assert answer.status_code == 200
    assert answer.json()["status"] == "confirmed"
    assert Settlement.objects.filter(application=paid).exists()
    again = api_client(staff).post(url)
    assert (again.status_code, again.json()["code"]) == (409, "settlement_confirmed")


def test_pending_spending_answers_409(staff, paid):
    line(paid, 5_000_000, status="pending")
    answer = api_client(staff).post(reverse("application-settlement-confirm", kwargs={"pk": paid.pk}))
    assert (answer.status_code, answer.json()["code"]) == (409, "spending_pending")


def test_staff_open_a_clawback(staff, paid):
    body = {
        "application": paid.pk,
        "reason": "collusion",
        "government": 3_000_000,
        "sponsor": 2_000_000,
        "due_on": "2026-11-30",
        "ban": False,
    }
    answer = api_client(staff).post(reverse("clawbacks"), body, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["amount"] == 5_000_000 and answer.json()["remaining"] == 5_000_000
    too_much = api_client(staff).post(reverse("clawbacks"), {**body, "government": 20_000_000}, format="json")
    assert too_much.status_code == 400 and "government" in too_much.json()


def test_an_application_out_of_scope_answers_400_on_application(paid):
    body = {
        "application": paid.pk,
        "reason": "collusion",
        "government": 1,
        "sponsor": 0,
        "due_on": "2026-11-30",
    }
    answer = api_client(other_agency_staff()).post(reverse("clawbacks"), body, format="json")
    assert answer.status_code == 400 and "application" in answer.json()
    assert (
        api_client(UserFactory(role="ministry")).post(reverse("clawbacks"), body, format="json").status_code
        == 403
    )
    assert api_client(paid.owner).post(reverse("clawbacks"), body, format="json").status_code == 404
    assert not Clawback.objects.exists()


def test_the_list_is_the_agencys_with_its_filters(staff, paid, django_assert_num_queries):
    overdue = a_clawback(staff, paid, due_on=datetime.date(2020, 1, 1))
    later = a_clawback(staff, paid)
    other = funded(staff)
    pay(staff, other, 2_000_000)
    a_clawback(staff, other, government=500_000, sponsor=0)
    client = api_client(staff)
    with django_assert_num_queries(2):  # the count, the page with applications and companies joined
        answer = client.get(reverse("clawbacks"))
    assert answer.json()["count"] == 3
    ids = [row["id"] for row in client.get(reverse("clawbacks"), {"overdue": "true"}).json()["results"]]
    assert ids == [overdue.pk]
    ids = [row["id"] for row in client.get(reverse("clawbacks"), {"application": paid.pk}).json()["results"]]
    assert ids == [overdue.pk, later.pk]
    assert client.get(reverse("clawbacks"), {"status": "collected"}).json()["count"] == 0
    assert client.get(reverse("clawbacks"), {"status": "nope"}).status_code == 400
    assert api_client(UserFactory(role="ministry")).get(reverse("clawbacks")).json()["count"] == 3
    assert api_client(other_agency_staff()).get(reverse("clawbacks")).json()["count"] == 0
    for name in ("applicant-outsider", "sponsor-outsider", "evaluator", "mentor"):
        assert api_client(outsiders()[name]).get(reverse("clawbacks")).status_code == 404


def test_one_clawback_its_collections_and_uncollectable(staff, paid):
    clawback = a_clawback(staff, paid)
    detail = reverse("clawback-detail", kwargs={"clawback_id": clawback.pk})
    collections = reverse("clawback-collections", kwargs={"clawback_id": clawback.pk})
    uncollectable = reverse("clawback-uncollectable", kwargs={"clawback_id": clawback.pk})
    for user in [staff, *readers(paid).values()]:
        assert api_client(user).get(detail).status_code == 200
        assert api_client(user).get(collections).status_code == 200
    for name, user in outsiders().items():
        assert api_client(user).get(detail).status_code == 404, name
        assert (
            api_client(user).post(collections, {"amount": 1, "collected_on": "2026-10-01"}).status_code == 404
        )
    for name, user in readers(paid).items():
        assert (
            api_client(user).post(collections, {"amount": 1, "collected_on": "2026-10-01"}).status_code == 403
        )
        assert api_client(user).post(uncollectable, {"note": "x"}).status_code == 403, name
    answer = api_client(staff).post(
        collections, {"amount": 500_001, "collected_on": "2026-10-01"}, format="json"
    )
    assert answer.status_code == 201
    assert (answer.json()["gov_part"], answer.json()["sponsor_part"]) == (250_000, 250_001)
    assert api_client(staff).post(collections, {"amount": 0, "collected_on": "2026-10-01"}).status_code == 400
    assert api_client(staff).post(uncollectable, {"note": ""}).status_code == 400
    answer = api_client(staff).post(uncollectable, {"note": "폐업"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "uncollectable"
    closed = api_client(staff).post(collections, {"amount": 1, "collected_on": "2026-10-01"})
    assert (closed.status_code, closed.json()["code"]) == (409, "clawback_closed")
    assert ClawbackCollection.objects.count() == 1
    assert (
        api_client(staff).get(reverse("clawback-detail", kwargs={"clawback_id": "99999"})).status_code == 404
    )
