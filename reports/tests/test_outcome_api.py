"""`/api/v1/outcomes/` for each role (docs/domain.md §10): who reads which outcomes, who writes, and how a
refusal answers."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from applicants.models import Application
from program.models import AuditEvent
from reports.models import Outcome
from reports.tests.report_data import outcome_for
from tests.factories import (
    ApplicationFactory,
    EvaluatorAssignmentFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status
URL = "/api/v1/outcomes/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def world():
    """Sponsor A's program: a completed project of company A (the owner's), a rejected applicant, and
    company B's completed project in sponsor B's program."""
    program = ProgramFactory(sponsor=SponsorFactory())
    owner = UserFactory(applicant=True)
    mine = ApplicationFactory(program=program, company=owner.company, status=S.COMPLETED)
    rejected = ApplicationFactory(program=program, status=S.REJECTED)
    theirs = ApplicationFactory(status=S.COMPLETED)
    return {
        "program": program,
        "owner": owner,
        "mine": mine,
        "rejected": rejected,
        "theirs": theirs,
        "o_mine": outcome_for(mine),
        "o_mine_defects": outcome_for(mine, "defect_rate", "4", "3"),
        "o_rejected": outcome_for(rejected),
        "o_theirs": outcome_for(theirs),
    }


def body(application, **overrides) -> dict:
    return {
        "application": application.pk,
        "kpi": "revenue",
        "baseline": 1_200_000_000,
        "result": "1500000000",
        "measured_on": "2025-12-31",
        "baseline_on": "2024-12-31",
        **overrides,
    }


# --- reading ----------------------------------------------------------------------------------------


def test_staff_read_every_outcome(world):
    staff = UserFactory(role=Role.STAFF)
    assert ids(client_for(staff).get(URL)) == {
        world[k].pk for k in ("o_mine", "o_mine_defects", "o_rejected", "o_theirs")
    }


def test_an_sme_reads_its_own_companys_outcomes(world):
    client = client_for(world["owner"])
    assert ids(client.get(URL)) == {world["o_mine"].pk, world["o_mine_defects"].pk}
    assert client.get(f"{URL}{world['o_theirs'].pk}/").status_code == 404


def test_a_sponsor_reads_the_outcomes_of_the_projects_it_funds_only(world):
    sponsor = UserFactory(sponsor_user=True, sponsor=world["program"].sponsor)
    client = client_for(sponsor)
    # Not the comparison group's (it sees those in aggregate only), nor another sponsor's.
    assert ids(client.get(URL)) == {world["o_mine"].pk, world["o_mine_defects"].pk}
    assert client.get(f"{URL}{world['o_rejected'].pk}/").status_code == 404
    assert ids(client_for(UserFactory(sponsor_user=True)).get(URL)) == set()


def test_mentors_and_evaluators_read_none(world):
    evaluator = EvaluatorAssignmentFactory(application=world["mine"]).evaluator
    mentor = MentoringAssignmentFactory(application=world["mine"]).mentor.user
    for user in (evaluator, mentor):
        client = client_for(user)
        assert ids(client.get(URL)) == set()
        assert client.get(f"{URL}{world['o_mine'].pk}/").status_code == 404


def test_anonymous_requests_are_refused(world):
    assert client_for().get(URL).status_code == 403
    assert client_for().post(URL, body(world["mine"]), format="json").status_code == 403


def test_a_row_reads_as_numbers_with_its_oriented_change(world):
    staff = client_for(UserFactory(role=Role.STAFF))
    row = staff.get(f"{URL}{world['o_mine_defects'].pk}/").json()
    assert row["application"] == world["mine"].pk and row["kpi"] == "defect_rate"
    assert (row["baseline"], row["result"], row["change_percent"]) == (4, 3, 25.0)
    assert row["kpi_label"] == "불량률(%)" and row["measured_on"] == "2025-06-30"


def test_the_list_filters_by_application_and_kpi(world):
    client = client_for(UserFactory(role=Role.STAFF))
    assert ids(client.get(URL, {"application": world["mine"].pk})) == {
        world["o_mine"].pk,
        world["o_mine_defects"].pk,
    }
    assert ids(client.get(URL, {"application": world["mine"].pk, "kpi": "defect_rate"})) == {
        world["o_mine_defects"].pk
    }
    assert client.get(URL, {"kpi": "happiness"}).status_code == 400


@pytest.mark.parametrize("value", ["1e30", "99999999999999999999", "1.5", "0", "-3"])
def test_an_application_filter_that_is_no_id_is_refused(value):
    """Found by the API fuzzer (tests/test_api_fuzz.py): a number beyond the database's integer
    range answered 500."""
    response = client_for(UserFactory(role=Role.STAFF)).get(URL, {"application": value})
    assert response.status_code == 400
    assert "application" in response.json()


def test_the_list_takes_the_same_queries_however_long(world, django_assert_num_queries):
    client = client_for(UserFactory(role=Role.STAFF))
    with django_assert_num_queries(2):  # the count for the pagination, then the page
        client.get(URL)
    for _ in range(15):
        outcome_for(ApplicationFactory(status=S.COMPLETED))
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()["results"]) == 19


# --- writing ----------------------------------------------------------------------------------------


def test_the_owner_enters_then_corrects_an_outcome(world):
    client = client_for(world["owner"])
    created = client.post(URL, body(world["mine"]), format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["kpi"], row["baseline"], row["result"], row["change_percent"]) == (
        "revenue",
        1_200_000_000,
        1_500_000_000,
        25.0,
    )
    corrected = client.post(URL, body(world["mine"], result=1_320_000_000), format="json")
    assert corrected.status_code == 200 and corrected.json()["id"] == row["id"]
    assert corrected.json()["change_percent"] == 10.0
    assert Outcome.objects.filter(application=world["mine"], kpi="revenue").count() == 1
    assert AuditEvent.objects.filter(action__in=["outcome.create", "outcome.update"]).count() == 2


def test_staff_enter_for_any_company(world):
    staff = UserFactory(role=Role.STAFF)
    response = client_for(staff).post(URL, body(world["theirs"], baseline_on=None), format="json")
    assert response.status_code == 201
    assert Outcome.objects.get(pk=response.json()["id"]).entered_by == staff


def test_the_comparison_group_enters_its_own(world):
    rejected = world["rejected"]
    user = UserFactory(role=Role.APPLICANT, company=rejected.company)
    assert client_for(user).post(URL, body(rejected), format="json").status_code == 201


def test_an_application_out_of_scope_answers_404_and_changes_nothing(world):
    before = Outcome.objects.count()
    assert client_for(world["owner"]).post(URL, body(world["theirs"]), format="json").status_code == 404
    evaluator = UserFactory(role=Role.EVALUATOR)
    assert client_for(evaluator).post(URL, body(world["mine"]), format="json").status_code == 404
    unknown = {**body(world["mine"]), "application": 999999}
    assert client_for(world["owner"]).post(URL, unknown, format="json").status_code == 404
    assert Outcome.objects.count() == before


def test_roles_that_see_the_application_but_may_not_write_get_403(world):
    sponsor = UserFactory(sponsor_user=True, sponsor=world["program"].sponsor)
    mentor = MentoringAssignmentFactory(application=world["mine"]).mentor.user
    before = Outcome.objects.count()
    for user in (sponsor, mentor):
        response = client_for(user).post(URL, body(world["mine"]), format="json")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert Outcome.objects.count() == before


def test_an_application_under_way_answers_409(world):
    selected = ApplicationFactory(company=world["owner"].company, status=S.SELECTED)
    response = client_for(world["owner"]).post(URL, body(selected), format="json")
    assert response.status_code == 409 and response.json()["code"] == "outcome_not_allowed"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kpi": "defect_rate", "baseline": 4, "result": 101}, "result"),
        ({"kpi": "employees", "baseline": -1, "result": 3}, "baseline"),
        ({"kpi": "employees", "baseline": 3, "result": 3.5}, "result"),
        ({"measured_on": "2024-12-30"}, "measured_on"),  # before the baseline date
        ({"measured_on": "2999-01-01"}, "measured_on"),
        ({"kpi": "happiness"}, "kpi"),
        ({"baseline": "many"}, "baseline"),
        ({"measured_on": None}, "measured_on"),
    ],
)
def test_impossible_values_answer_400_on_their_field(world, overrides, field):
    before = Outcome.objects.count()
    response = client_for(world["owner"]).post(URL, body(world["mine"], **overrides), format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Outcome.objects.count() == before


def test_the_schema_lists_the_endpoint(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/outcomes/" in schema
