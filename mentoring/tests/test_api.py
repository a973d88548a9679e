"""The mentoring API of docs/domain.md §10 for every role: mentors, suggestions, assignments and sessions.

The world: company A's application (app_a, selected in sponsor A's program) has mentor A; company B's
(app_b, in sponsor B's program) has mentor B. Roles are named from app_a's point of view: "owner" is
company A's applicant, "outsider" company B's, "sponsor" sponsor A's user, "sponsor_outsider"
sponsor B's.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from program.models import AuditEvent
from tests.factories import (
    ApplicationFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    ProgramFactory,
    SponsorFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ROLES = ("staff", "mentor", "mentor_b", "owner", "outsider", "sponsor", "sponsor_outsider", "evaluator")
TODAY = timezone.localdate()


@pytest.fixture
def world():
    sponsor_a, sponsor_b = SponsorFactory(), SponsorFactory()
    owner, outsider = UserFactory(applicant=True), UserFactory(applicant=True)
    app_a = ApplicationFactory(
        selected=True,
        program=ProgramFactory(sponsor=sponsor_a),
        company=owner.company,
        supplier=SupplierFactory(),
    )
    app_b = ApplicationFactory(
        selected=True, program=ProgramFactory(sponsor=sponsor_b), company=outsider.company
    )
    mentor_a, mentor_b = MentorFactory(name="가멘토"), MentorFactory(name="나멘토")
    period = {
        "starts_on": TODAY - datetime.timedelta(days=30),
        "ends_on": TODAY + datetime.timedelta(days=60),
    }
    assignment_a = MentoringAssignmentFactory(mentor=mentor_a, application=app_a, **period)
    assignment_b = MentoringAssignmentFactory(mentor=mentor_b, application=app_b, **period)
    session_a = MentoringSession.objects.create(assignment=assignment_a, held_on=TODAY, hours=2)
    session_b = MentoringSession.objects.create(assignment=assignment_b, held_on=TODAY, hours=3)
    users = {
        "staff": UserFactory(role="staff"),
        "mentor": mentor_a.user,
        "mentor_b": mentor_b.user,
        "owner": owner,
        "outsider": outsider,
        "sponsor": UserFactory(sponsor_user=True, sponsor=sponsor_a),
        "sponsor_outsider": UserFactory(sponsor_user=True, sponsor=sponsor_b),
        "evaluator": UserFactory(evaluator=True),
    }
    return SimpleNamespace(
        users=users,
        app_a=app_a,
        app_b=app_b,
        mentor_a=mentor_a,
        mentor_b=mentor_b,
        assignment_a=assignment_a,
        assignment_b=assignment_b,
        session_a=session_a,
        session_b=session_b,
    )


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def as_role(world, role) -> APIClient:
    return client_for(world.users[role]) if role != "anonymous" else client_for()


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


# --- mentors/ ----------------------------------------------------------------------------------------

MENTORS_SEEN = {"staff": {"a", "b"}, "mentor": {"a"}, "mentor_b": {"b"}}


@pytest.mark.parametrize("role", ROLES)
def test_mentor_list_by_role(world, role):
    expected = {getattr(world, f"mentor_{x}").pk for x in MENTORS_SEEN.get(role, set())}
    assert ids(as_role(world, role).get("/api/v1/mentors/")) == expected


@pytest.mark.parametrize("role", ROLES)
def test_mentor_detail_by_role(world, role):
    response = as_role(world, role).get(f"/api/v1/mentors/{world.mentor_a.pk}/")
    assert response.status_code == (200 if "a" in MENTORS_SEEN.get(role, ()) else 404)


def test_a_mentor_profile_shows_its_load_and_affiliation(world):
    body = client_for(world.users["staff"]).get(f"/api/v1/mentors/{world.mentor_a.pk}/").json()
    assert body["name"] == "가멘토"
    assert (body["load"], body["capacity"]) == (1, 2)
    assert body["user"] == world.mentor_a.user.username
    assert body["affiliation_display"] == "독립"


def test_anonymous_requests_are_refused(world):
    for url in (
        "mentors/",
        "mentors/suggestions/?application=1",
        "mentoring-assignments/",
        "mentoring-sessions/",
    ):
        assert client_for().get(f"/api/v1/{url}").status_code == 403
    assert client_for().post("/api/v1/mentoring-sessions/", {}).status_code == 403


def mentor_body(**overrides):
    body = {
        "name": "박마이스터",
        "expertise": ["mes", "quality"],
        "ksic_divisions": ["29", "30"],
        "regions": ["경북"],
        "capacity": 3,
        "affiliation": "스마트 마이스터",
    }
    body.update(overrides)
    return body


def test_staff_register_a_mentor(world):
    user = UserFactory(mentor=True)
    response = client_for(world.users["staff"]).post(
        "/api/v1/mentors/", mentor_body(user=user.username), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["user"], body["load"], body["regions"]) == (
        "박마이스터",
        user.username,
        0,
        ["경북"],
    )
    assert Mentor.objects.get(pk=body["id"]).user == user
    assert AuditEvent.objects.filter(action="mentor.create", object_id=body["id"]).exists()


def test_a_mentor_with_an_unknown_code_answers_400_on_the_field(world):
    response = client_for(world.users["staff"]).post(
        "/api/v1/mentors/", mentor_body(ksic_divisions=["35"]), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["ksic_divisions"]
    assert Mentor.objects.count() == 2


@pytest.mark.parametrize("role", [r for r in ROLES if r != "staff"])
def test_only_staff_register_mentors(world, role):
    response = as_role(world, role).post("/api/v1/mentors/", mentor_body(), format="json")
    assert response.status_code == 403
    assert Mentor.objects.count() == 2


def test_staff_update_a_mentor(world):
    url = f"/api/v1/mentors/{world.mentor_a.pk}/"
    response = client_for(world.users["staff"]).patch(url, {"capacity": 4, "is_active": False}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["capacity"], response.json()["is_active"]) == (4, False)


@pytest.mark.parametrize(("role", "status"), [("mentor", 403), ("mentor_b", 404), ("owner", 404)])
def test_others_do_not_update_a_mentor(world, role, status):
    response = as_role(world, role).patch(
        f"/api/v1/mentors/{world.mentor_a.pk}/", {"capacity": 9}, format="json"
    )
    assert response.status_code == status
    world.mentor_a.refresh_from_db()
    assert world.mentor_a.capacity == 2


# --- mentors/suggestions/ ----------------------------------------------------------------------------


def test_staff_get_ranked_suggestions_in_the_spec_shape(world):
    MentorFactory(name="다멘토", ksic_divisions=["29"], regions=["경기"], expertise=["mes", "erp"])
    MentorFactory(name="라멘토", ksic_divisions=["10"], regions=["제주"], expertise=["safety"])
    response = client_for(world.users["staff"]).get(
        f"/api/v1/mentors/suggestions/?application={world.app_a.pk}"
    )
    assert response.status_code == 200, response.json()
    rows = response.json()
    assert isinstance(rows, list)
    # 가멘토 is already assigned to it; needed: MES, ERP (the supplier), MES, 자동화, 품질 (the plan)
    assert [row["mentor"]["name"] for row in rows] == ["다멘토", "나멘토", "라멘토"]
    first = rows[0]
    assert set(first) == {"mentor", "score", "reasons"}
    assert {"id", "name"} <= set(first["mentor"])
    assert first["score"] == 35 + 20 + 23 + 10  # 2 of the 3 expertise areas that earn full points
    assert first["reasons"] == [
        "업종 일치: 29(기타 기계 및 장비)",
        "활동 지역 일치: 경기",
        "전문분야 일치: MES, ERP",
        "현재 배정 0/2건",
    ]


@pytest.mark.parametrize(
    ("query", "status"),
    [("", 400), ("?application=", 400), ("?application=abc", 400), ("?application=999999", 404)],
)
def test_suggestions_need_an_existing_application(world, query, status):
    response = client_for(world.users["staff"]).get(f"/api/v1/mentors/suggestions/{query}")
    assert response.status_code == status
    if status == 400:
        assert "application" in response.json()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "staff"])
def test_suggestions_are_for_staff_only(world, role):
    response = as_role(world, role).get(f"/api/v1/mentors/suggestions/?application={world.app_a.pk}")
    assert response.status_code == 404


def test_suggestions_run_in_a_constant_number_of_queries(world, django_assert_num_queries):
    client = client_for(world.users["staff"])
    url = f"/api/v1/mentors/suggestions/?application={world.app_a.pk}"
    with django_assert_num_queries(
        4
    ):  # the visible application; it with company and supplier; scores; top ten
        client.get(url)
    for _ in range(15):
        MentorFactory(sponsor=SponsorFactory())
    with django_assert_num_queries(4):
        assert len(client.get(url).json()) == 10


# --- mentoring-assignments/ --------------------------------------------------------------------------

ASSIGNMENTS_SEEN = {
    "staff": {"a", "b"},
    "mentor": {"a"},
    "mentor_b": {"b"},
    "owner": {"a"},
    "outsider": {"b"},
    "sponsor": {"a"},
    "sponsor_outsider": {"b"},
    "evaluator": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_assignment_list_by_role(world, role):
    expected = {getattr(world, f"assignment_{x}").pk for x in ASSIGNMENTS_SEEN[role]}
    assert ids(as_role(world, role).get("/api/v1/mentoring-assignments/")) == expected


@pytest.mark.parametrize("role", ROLES)
def test_assignment_detail_by_role(world, role):
    response = as_role(world, role).get(f"/api/v1/mentoring-assignments/{world.assignment_a.pk}/")
    assert response.status_code == (200 if "a" in ASSIGNMENTS_SEEN[role] else 404)
    if response.status_code == 200:
        body = response.json()
        assert (body["mentor"], body["application"], body["status"]) == (
            world.mentor_a.pk,
            world.app_a.pk,
            "active",
        )
        assert (body["session_count"], body["hours_total"]) == (1, "2.0")


def test_a_sponsor_does_not_see_assignments_of_applications_it_no_longer_funds(world):
    world.app_a.status = "withdrawn"
    world.app_a.save()
    assert ids(client_for(world.users["sponsor"]).get("/api/v1/mentoring-assignments/")) == set()


def assignment_body(world, **overrides):
    body = {
        "mentor": world.mentor_b.pk,
        "application": world.app_a.pk,
        "starts_on": "2026-12-01",
        "ends_on": "2027-03-01",
    }
    body.update(overrides)
    return body


def test_staff_assign_a_mentor(world):
    response = client_for(world.users["staff"]).post(
        "/api/v1/mentoring-assignments/", assignment_body(world), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["mentor"], body["application"], body["starts_on"], body["ends_on"]) == (
        world.mentor_b.pk,
        world.app_a.pk,
        "2026-12-01",
        "2027-03-01",
    )
    assert MentoringAssignment.objects.filter(application=world.app_a, status="active").count() == 2


@pytest.mark.parametrize(
    ("setup", "overrides", "status", "key"),
    [
        (None, {"ends_on": "2026-12-28"}, 400, "ends_on"),  # 27 days
        (None, {"ends_on": "2027-06-02"}, 400, "ends_on"),  # 6 months and a day
        (None, {"mentor": "mentor_a"}, 400, "mentor"),  # already assigned
        (None, {"mentor": 999999}, 400, "mentor"),
        (None, {"application": 999999}, 400, "application"),
        (None, {"starts_on": "tomorrow"}, 400, "starts_on"),
        ("not_mentorable", {}, 409, "not_mentorable"),
        ("at_capacity", {}, 409, "mentor_at_capacity"),
        ("supplier_conflict", {}, 409, "supplier_conflict"),
        ("too_many", {}, 409, "too_many_mentors"),
    ],
)
def test_a_broken_rule_answers_with_a_clear_error_and_changes_nothing(world, setup, overrides, status, key):
    if setup == "not_mentorable":
        world.app_a.status = "completion_review"
        world.app_a.save()
    elif setup == "at_capacity":
        MentoringAssignmentFactory(mentor=world.mentor_b)
    elif setup == "supplier_conflict":
        Mentor.objects.filter(pk=world.mentor_b.pk).update(supplier=world.app_a.supplier)
    elif setup == "too_many":
        MentoringAssignmentFactory.create_batch(2, application=world.app_a)
    if overrides.get("mentor") == "mentor_a":
        overrides["mentor"] = world.mentor_a.pk
    before = MentoringAssignment.objects.count()
    response = client_for(world.users["staff"]).post(
        "/api/v1/mentoring-assignments/", assignment_body(world, **overrides), format="json"
    )
    assert response.status_code == status, response.json()
    if status == 409:
        assert response.json()["code"] == key
        assert response.json()["detail"]
    else:
        assert key in response.json()
    assert MentoringAssignment.objects.count() == before


@pytest.mark.parametrize("role", [r for r in ROLES if r != "staff"])
def test_only_staff_assign_mentors(world, role):
    response = as_role(world, role).post(
        "/api/v1/mentoring-assignments/", assignment_body(world), format="json"
    )
    assert response.status_code == 403
    assert MentoringAssignment.objects.count() == 2


def test_staff_end_an_assignment(world):
    url = f"/api/v1/mentoring-assignments/{world.assignment_a.pk}/end/"
    response = client_for(world.users["staff"]).post(url, {"status": "cancelled"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    again = client_for(world.users["staff"]).post(url, {}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "assignment_not_active")


@pytest.mark.parametrize(
    ("role", "status"), [("mentor", 403), ("owner", 403), ("mentor_b", 404), ("evaluator", 404)]
)
def test_others_do_not_end_an_assignment(world, role, status):
    response = as_role(world, role).post(f"/api/v1/mentoring-assignments/{world.assignment_a.pk}/end/")
    assert response.status_code == status
    world.assignment_a.refresh_from_db()
    assert world.assignment_a.status == "active"


# --- mentoring-sessions/ -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_session_list_by_role(world, role):
    expected = {getattr(world, f"session_{x}").pk for x in ASSIGNMENTS_SEEN[role]}
    assert ids(as_role(world, role).get("/api/v1/mentoring-sessions/")) == expected


@pytest.mark.parametrize("role", ROLES)
def test_session_detail_by_role(world, role):
    response = as_role(world, role).get(f"/api/v1/mentoring-sessions/{world.session_a.pk}/")
    assert response.status_code == (200 if "a" in ASSIGNMENTS_SEEN[role] else 404)


def session_body(world, **overrides):
    body = {
        "assignment": world.assignment_a.pk,
        "held_on": TODAY.isoformat(),
        "hours": "1.5",
        "mode": "online",
        "notes": "MES 요구사항 검토",
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 201),
        ("mentor", 201),
        ("mentor_b", 404),  # another mentor's assignment
        ("owner", 403),  # sees the assignment, does not log sessions
        ("sponsor", 403),
        ("outsider", 404),
        ("sponsor_outsider", 404),
        ("evaluator", 404),
    ],
)
def test_a_session_is_logged_by_the_assignments_mentor_or_staff(world, role, status):
    response = as_role(world, role).post("/api/v1/mentoring-sessions/", session_body(world), format="json")
    assert response.status_code == status
    assert MentoringSession.objects.count() == (3 if status == 201 else 2)
    if status == 201:
        body = response.json()
        assert (body["assignment"], body["hours"], body["mode"], body["logged_by"]) == (
            world.assignment_a.pk,
            "1.5",
            "online",
            world.users[role].username,
        )


@pytest.mark.parametrize(
    ("overrides", "status", "key"),
    [
        ({"hours": "12.5"}, 400, "hours"),
        ({"hours": "0.25"}, 400, "hours"),
        ({"held_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, 400, "held_on"),
        ({"held_on": (TODAY - datetime.timedelta(days=31)).isoformat()}, 400, "held_on"),
        ({"mode": "phone"}, 400, "mode"),
        ({"assignment": ""}, 400, "assignment"),
        ({"assignment": 999999}, 404, None),
    ],
)
def test_a_session_breaking_a_rule_is_refused(world, overrides, status, key):
    response = client_for(world.users["mentor"]).post(
        "/api/v1/mentoring-sessions/", session_body(world, **overrides), format="json"
    )
    assert response.status_code == status, response.json()
    if key:
        assert key in response.json()
    assert MentoringSession.objects.count() == 2


@pytest.mark.parametrize("body", [[], [{"assignment": 1}], "x", 5])
def test_a_session_body_that_is_not_an_object_is_refused_with_400(world, body):
    """Found by the API fuzzer (tests/test_api_fuzz.py): a JSON list or scalar answered 500."""
    response = client_for(world.users["mentor"]).post("/api/v1/mentoring-sessions/", body, format="json")
    assert response.status_code == 400
    assert "딕셔너리" in response.json()["non_field_errors"][0]
    assert MentoringSession.objects.count() == 2


def test_a_session_of_an_ended_assignment_answers_409(world):
    MentoringAssignment.objects.filter(pk=world.assignment_a.pk).update(status="ended")
    response = client_for(world.users["mentor"]).post(
        "/api/v1/mentoring-sessions/", session_body(world), format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "assignment_not_active")


# --- query counts of the lists -----------------------------------------------------------------------


def _more(world, count):
    for _ in range(count):
        assignment = MentoringAssignmentFactory(
            starts_on=TODAY - datetime.timedelta(days=30), ends_on=TODAY + datetime.timedelta(days=60)
        )
        MentoringSession.objects.create(assignment=assignment, held_on=TODAY, hours=1)


@pytest.mark.parametrize(
    ("url", "queries"), [("mentors/", 2), ("mentoring-assignments/", 2), ("mentoring-sessions/", 2)]
)
def test_lists_take_the_same_queries_however_long(world, url, queries, django_assert_num_queries):
    client = client_for(world.users["staff"])
    with django_assert_num_queries(queries):  # the count for the pagination, then the page
        small = client.get(f"/api/v1/{url}").json()["count"]
    _more(world, 5)
    with django_assert_num_queries(queries):
        assert client.get(f"/api/v1/{url}").json()["count"] == small + 5
