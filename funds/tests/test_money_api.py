"""The money rows of the REST API (docs/domain.md §10) for each role: contributions, a program's fund, a
sponsor's dashboard, an application's disbursements, selection on an underfunded program, and the
government budget of a program."""

import pytest
from rest_framework.test import APIClient

from applicants.models import Application
from applicants.services import application_transition
from funds.models import Contribution, CostShare, Disbursement, LedgerEntry, Pot
from funds.selectors import fund_balances
from funds.services import fund_budget_sync
from program.models import AuditEvent
from tests.factories import (
    ApplicationFactory,
    ContributionFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    UserFactory,
    api_client,
    deposit_sme_share,
    fund_program,
)

pytestmark = pytest.mark.django_db
S = Application.Status
GOV, SPON = Pot.GOVERNMENT, Pot.SPONSOR
POT_KEYS = {"total", "committed", "released", "disbursed", "recovered", "available"}
DASHBOARD_KEYS = {
    "contributed", "committed", "disbursed", "available", "smes_supported", "by_year", "by_region",
    "by_level", "outcomes", "capacity_estimate",
}  # fmt: skip


def results(response) -> list:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def counts() -> tuple[int, int, int, int]:
    return (
        Contribution.objects.count(),
        LedgerEntry.objects.count(),
        Disbursement.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def program():
    return ProgramFactory()


@pytest.fixture
def sponsor_user(program):
    return UserFactory(role="sponsor", sponsor=program.sponsor)


@pytest.fixture
def other_sponsor_user():
    return UserFactory(sponsor_user=True)


def contribution_body(program, **overrides):
    body = {
        "program": program.pk,
        "amount": 800_000_000,
        "kind": "cash",
        "purpose": "build",
        "received_on": "2026-01-15",
        "note": "1차 출연",
    }
    body.update(overrides)
    return body


def selected(staff, program, *, owner=None, total_cost=100_000_001) -> Application:
    fund_program(program, sponsor=10**10, government=10**10)
    fields = {"company": owner.company} if owner else {}
    application = ApplicationFactory(program=program, total_cost=total_cost, evaluation=True, **fields)
    application = application_transition(application=application, action="select", actor=staff)
    deposit_sme_share(application, recorded_by=staff)  # payments wait for the SME's share (SPEC §18.2)
    return application


# --- contributions/ -----------------------------------------------------------------------------


def test_staff_record_a_contribution(staff, program):
    response = api_client(staff).post("/api/v1/contributions/", contribution_body(program), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["sponsor"], body["program"], body["amount"], body["kind"]) == (
        program.sponsor_id,
        program.pk,
        800_000_000,
        "cash",
    )
    contribution = Contribution.objects.get(pk=body["id"])
    assert contribution.recorded_by == staff
    entry = LedgerEntry.objects.get(contribution=contribution)
    assert (entry.pot, entry.kind, entry.amount) == (SPON, "contribution", 800_000_000)
    assert fund_balances(program_id=program.pk)[SPON].total == 800_000_000


def test_kind_and_purpose_left_out_are_the_defaults(staff, program):
    """Found by the API fuzzer (tests/test_api_fuzz.py): the schema makes both optional, and leaving
    them out answered 500."""
    body = contribution_body(program)
    del body["kind"], body["purpose"]
    response = api_client(staff).post("/api/v1/contributions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["kind"], response.json()["purpose"]) == ("cash", "build")


def test_in_kind_past_20_percent_answers_400_on_kind(staff, program):
    client = api_client(staff)
    assert client.post("/api/v1/contributions/", contribution_body(program), format="json").status_code == 201
    ok = client.post(
        "/api/v1/contributions/",
        contribution_body(program, amount=200_000_000, kind="in_kind"),
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    before = counts()

    response = client.post(
        "/api/v1/contributions/", contribution_body(program, amount=1, kind="in_kind"), format="json"
    )

    assert response.status_code == 400
    assert "kind" in response.json()
    assert "20%" in response.json()["kind"][0]
    assert counts() == before


@pytest.mark.parametrize("amount", [0, -5, "많이"])
def test_a_bad_amount_answers_400(staff, program, amount):
    response = api_client(staff).post(
        "/api/v1/contributions/", contribution_body(program, amount=amount), format="json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    assert counts() == (0, 0, 0, 0)


def test_the_contribution_filters(staff, program):
    other_program = ProgramFactory()
    same_sponsor_program = ProgramFactory(sponsor=program.sponsor, title="두 번째 사업")
    mine = ContributionFactory(program=program)
    mine_too = ContributionFactory(program=same_sponsor_program)
    theirs = ContributionFactory(program=other_program)
    client = api_client(staff)

    by_sponsor = client.get(f"/api/v1/contributions/?sponsor={program.sponsor_id}")
    by_program = client.get(f"/api/v1/contributions/?program={other_program.pk}")
    everything = client.get("/api/v1/contributions/")

    assert {row["id"] for row in results(by_sponsor)} == {mine.pk, mine_too.pk}
    assert {row["id"] for row in results(by_program)} == {theirs.pk}
    assert {row["id"] for row in results(everything)} == {mine.pk, mine_too.pk, theirs.pk}


def test_a_sponsor_user_lists_only_its_own_contributions(sponsor_user, program):
    mine = ContributionFactory(program=program)
    ContributionFactory()  # another sponsor's
    response = api_client(sponsor_user).get("/api/v1/contributions/")
    assert response.status_code == 200
    assert [row["id"] for row in results(response)] == [mine.pk]
    # Filtering on another sponsor does not widen the scope.
    other = ContributionFactory()
    asked = api_client(sponsor_user).get(f"/api/v1/contributions/?sponsor={other.sponsor_id}")
    assert results(asked) == []


@pytest.mark.parametrize("trait", ["applicant", "evaluator", "mentor"])
def test_other_roles_see_no_contributions(trait):
    ContributionFactory()
    response = api_client(UserFactory(**{trait: True})).get("/api/v1/contributions/")
    assert response.status_code == 200
    assert results(response) == []


@pytest.mark.parametrize("trait", ["sponsor_user", "applicant", "evaluator", "mentor"])
def test_only_staff_post_contributions(trait, program):
    user = UserFactory(**{trait: True})
    if trait == "sponsor_user":
        user.sponsor = program.sponsor
        user.save()
    response = api_client(user).post("/api/v1/contributions/", contribution_body(program), format="json")
    assert response.status_code == 403
    assert counts() == (0, 0, 0, 0)


def test_anonymous_cannot_use_contributions(program):
    assert APIClient().get("/api/v1/contributions/").status_code == 403
    assert APIClient().post("/api/v1/contributions/", contribution_body(program)).status_code == 403


# --- programs/{id}/fund/ ------------------------------------------------------------------------


@pytest.fixture
def funded_program(staff, program):
    fund_budget_sync(program=program, actor=staff)  # 3,000,000,000 government
    api_client(staff).post("/api/v1/contributions/", contribution_body(program), format="json")
    application = selected(staff, program, total_cost=100_000_001)  # adds 10**10 to each pot
    application_transition(application=application, action="withdraw", actor=staff)
    selected(staff, program, total_cost=200_000_000)  # 60M / 60M, also adds 10**10 to each pot
    return program


def test_the_fund_of_a_program(staff, funded_program):
    response = api_client(staff).get(f"/api/v1/programs/{funded_program.pk}/fund/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"sponsor", "government"}
    assert set(body["sponsor"]) == set(body["government"]) == POT_KEYS
    assert body["sponsor"] == {
        "total": 800_000_000 + 2 * 10**10,
        "committed": 90_000_000,
        "released": 30_000_000,
        "disbursed": 0,
        "recovered": 0,
        "available": 800_000_000 + 2 * 10**10 - 60_000_000,
    }
    assert body["government"]["total"] == 3_000_000_000 + 2 * 10**10
    assert body["government"]["available"] == 3_000_000_000 + 2 * 10**10 - 60_000_000
    assert all(isinstance(value, int) for pot in body.values() for value in pot.values())


def test_the_programs_sponsor_sees_its_fund(sponsor_user, funded_program):
    response = api_client(sponsor_user).get(f"/api/v1/programs/{funded_program.pk}/fund/")
    assert response.status_code == 200
    assert set(response.json()) == {"sponsor", "government"}


@pytest.mark.parametrize("trait", ["sponsor_user", "applicant", "evaluator", "mentor"])
def test_nobody_else_sees_a_programs_fund(trait, funded_program):
    response = api_client(UserFactory(**{trait: True})).get(f"/api/v1/programs/{funded_program.pk}/fund/")
    assert response.status_code == 404


# --- sponsors/{id}/dashboard/ -------------------------------------------------------------------


def test_a_sponsor_sees_its_own_dashboard(sponsor_user, funded_program):
    response = api_client(sponsor_user).get(f"/api/v1/sponsors/{funded_program.sponsor_id}/dashboard/")
    assert response.status_code == 200
    body = response.json()
    assert DASHBOARD_KEYS <= set(body)
    assert body["contributed"]["total"] == 800_000_000
    assert (body["committed"], body["disbursed"], body["smes_supported"]) == (60_000_000, 0, 1)
    assert len(body["by_region"]) == 17 and len(body["by_level"]) == 3
    assert body["capacity_estimate"]["projects"] >= 1


def test_another_sponsors_dashboard_is_404(sponsor_user, other_sponsor_user):
    response = api_client(sponsor_user).get(f"/api/v1/sponsors/{other_sponsor_user.sponsor_id}/dashboard/")
    assert response.status_code == 404


def test_staff_see_any_dashboard(staff, sponsor_user, other_sponsor_user):
    client = api_client(staff)
    for sponsor_id in (sponsor_user.sponsor_id, other_sponsor_user.sponsor_id):
        response = client.get(f"/api/v1/sponsors/{sponsor_id}/dashboard/")
        assert response.status_code == 200
        assert DASHBOARD_KEYS <= set(response.json())


@pytest.mark.parametrize("trait", ["applicant", "evaluator", "mentor"])
def test_other_roles_see_no_dashboard(trait, program):
    response = api_client(UserFactory(**{trait: True})).get(
        f"/api/v1/sponsors/{program.sponsor_id}/dashboard/"
    )
    assert response.status_code == 404


# --- applications/{id}/disbursements/ -----------------------------------------------------------


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.fixture
def paid(staff, program, owner):
    """A selected application (30M / 30M committed) of `owner`'s company with one advance."""
    application = selected(staff, program, owner=owner, total_cost=100_000_001)
    response = api_client(staff).post(
        f"/api/v1/applications/{application.pk}/disbursements/",
        {"amount": 10_000_001, "kind": "advance", "paid_on": "2026-03-02"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return application, response.json()


def test_staff_record_a_disbursement(paid):
    application, body = paid
    assert (body["amount"], body["gov_part"], body["sponsor_part"], body["kind"]) == (
        10_000_001,
        5_000_000,
        5_000_001,
        "advance",
    )
    assert body["application"] == application.pk and body["paid_on"] == "2026-03-02"
    assert LedgerEntry.objects.filter(disbursement_id=body["id"]).count() == 2


def test_gov_and_sponsor_parts_cannot_be_dictated(staff, program):
    application = selected(staff, program)
    response = api_client(staff).post(
        f"/api/v1/applications/{application.pk}/disbursements/",
        {"amount": 1_000, "kind": "final", "paid_on": "2026-03-02", "gov_part": 1_000, "sponsor_part": 0},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["gov_part"], response.json()["sponsor_part"]) == (500, 500)


@pytest.mark.parametrize("who", ["staff", "owner", "sponsor_user", "mentor"])
def test_those_who_see_the_application_list_its_disbursements(request, paid, who):
    application, body = paid
    if who == "mentor":
        user = MentoringAssignmentFactory(application=application).mentor.user
    else:
        user = request.getfixturevalue(who)
    response = api_client(user).get(f"/api/v1/applications/{application.pk}/disbursements/")
    assert response.status_code == 200
    rows = results(response)
    assert [(row["id"], row["amount"], row["gov_part"], row["sponsor_part"]) for row in rows] == [
        (body["id"], 10_000_001, 5_000_000, 5_000_001)
    ]


@pytest.mark.parametrize("who", ["owner", "sponsor_user"])
def test_non_staff_who_see_it_cannot_post_a_disbursement(request, paid, who):
    application, _ = paid
    before = counts()
    response = api_client(request.getfixturevalue(who)).post(
        f"/api/v1/applications/{application.pk}/disbursements/",
        {"amount": 1_000, "kind": "advance", "paid_on": "2026-03-02"},
        format="json",
    )
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize("trait", ["applicant", "sponsor_user", "evaluator"])
def test_out_of_scope_disbursements_are_404(paid, trait):
    application, _ = paid
    client = api_client(UserFactory(**{trait: True}))
    url = f"/api/v1/applications/{application.pk}/disbursements/"
    before = counts()
    assert client.get(url).status_code == 404
    response = client.post(url, {"amount": 1_000, "kind": "advance", "paid_on": "2026-03-02"}, format="json")
    assert response.status_code == 404
    assert counts() == before


def test_paying_past_the_commitment_answers_409(staff, paid):
    application, _ = paid
    before = counts()
    response = api_client(staff).post(
        f"/api/v1/applications/{application.pk}/disbursements/",
        {"amount": 50_000_000, "kind": "final", "paid_on": "2026-06-30"},  # 49,999,999 is left
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "exceeds_commitment"
    assert counts() == before
    exact = api_client(staff).post(
        f"/api/v1/applications/{application.pk}/disbursements/",
        {"amount": 49_999_999, "kind": "final", "paid_on": "2026-06-30"},
        format="json",
    )
    assert exact.status_code == 201
    assert (exact.json()["gov_part"], exact.json()["sponsor_part"]) == (25_000_000, 24_999_999)


def test_paying_an_application_not_selected_answers_409(staff, program):
    application = ApplicationFactory(program=program, evaluation=True)
    response = api_client(staff).post(
        f"/api/v1/applications/{application.pk}/disbursements/",
        {"amount": 1_000, "kind": "advance", "paid_on": "2026-03-02"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_payable"


# --- selection on an underfunded program --------------------------------------------------------


@pytest.mark.parametrize(
    "sponsor,government",
    [(29_999_999, 10**10), (10**10, 29_999_999), (0, 0)],
    ids=["sponsor-pot-short", "government-pot-short", "empty"],
)
def test_selecting_without_the_money_answers_409_and_changes_nothing(staff, program, sponsor, government):
    fund_program(program, sponsor=sponsor, government=government)
    application = ApplicationFactory(program=program, total_cost=100_000_001, evaluation=True)
    before = counts()

    response = api_client(staff).post(
        f"/api/v1/applications/{application.pk}/transitions/", {"action": "select"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_funds"
    application.refresh_from_db()
    assert application.status == S.EVALUATION
    assert application.decided_at is None
    assert counts() == before
    assert not LedgerEntry.objects.filter(application=application).exists()
    assert not CostShare.objects.filter(application=application).exists()


def test_selecting_with_exactly_the_money_succeeds(staff, program):
    fund_program(program, sponsor=30_000_000, government=30_000_000)
    application = ApplicationFactory(program=program, total_cost=100_000_001, evaluation=True)
    response = api_client(staff).post(
        f"/api/v1/applications/{application.pk}/transitions/", {"action": "select"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == S.SELECTED
    balances = fund_balances(program_id=program.pk)
    assert (balances[GOV].available, balances[SPON].available) == (0, 0)


# --- PATCH programs/{id}/ gov_budget -------------------------------------------------------------


def test_raising_the_budget_appends_a_government_contribution(staff, program):
    fund_budget_sync(program=program, actor=staff)  # 3,000,000,000 recorded
    response = api_client(staff).patch(
        f"/api/v1/programs/{program.pk}/", {"gov_budget": 3_500_000_000}, format="json"
    )
    assert response.status_code == 200, response.json()
    entries = LedgerEntry.objects.filter(program=program, pot=GOV, kind="contribution").order_by("id")
    assert [e.amount for e in entries] == [3_000_000_000, 500_000_000]
    assert entries.last().actor == staff
    assert fund_balances(program_id=program.pk)[GOV].total == 3_500_000_000


def test_lowering_the_budget_below_what_is_recorded_answers_400(staff, program):
    fund_budget_sync(program=program, actor=staff)
    before = counts()
    response = api_client(staff).patch(
        f"/api/v1/programs/{program.pk}/", {"gov_budget": 1_000_000_000}, format="json"
    )
    assert response.status_code == 400
    assert "gov_budget" in response.json()
    program.refresh_from_db()
    assert program.gov_budget == 3_000_000_000
    assert counts() == before


def test_a_patch_that_leaves_the_budget_adds_no_entry(staff, program):
    fund_budget_sync(program=program, actor=staff)
    before = LedgerEntry.objects.count()
    response = api_client(staff).patch(f"/api/v1/programs/{program.pk}/", {"title": "새 이름"}, format="json")
    assert response.status_code == 200, response.json()
    assert LedgerEntry.objects.count() == before


def test_only_staff_change_the_budget(sponsor_user, program):
    response = api_client(sponsor_user).patch(
        f"/api/v1/programs/{program.pk}/", {"gov_budget": 9_000_000_000}, format="json"
    )
    assert response.status_code == 403
    assert not LedgerEntry.objects.exists()


def test_the_contribution_list_takes_the_same_queries_however_long(staff, django_assert_num_queries):
    def add(n):
        for program in ProgramFactory.create_batch(n):
            ContributionFactory(program=program)
            fund_program(program, sponsor=1_000_000_000)

    add(2)
    client = api_client(staff)
    with django_assert_num_queries(2):  # the count for the pagination, then the page, sponsors joined in
        client.get("/api/v1/contributions/")
    add(10)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/contributions/")
    assert len(results(response)) == 12
