"""`/staff/audit/`: staff browse and filter every status change and money movement (issue 8 item 7)."""

import pytest

from accounts.models import Role
from applicants.models import Application
from applicants.services import application_transition
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, fund_program, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF, username="officer")


@pytest.fixture
def selected(staff):
    program = ProgramFactory()
    fund_program(program, sponsor=500_000_000, government=500_000_000)
    application = ApplicationFactory(
        program=program, status=Application.Status.EVALUATION, total_cost=100_000_000
    )
    return application_transition(application=application, action="select", actor=staff)


def test_staff_see_status_changes_and_money_movements(client, staff, selected):
    client.force_login(staff)
    page = client.get("/staff/audit/").content.decode()
    assert "application.select" in page and "ledger.commitment" in page
    only_money = client.get("/staff/audit/?action=ledger.").content.decode()
    assert "ledger.commitment" in only_money and "application.select" not in only_money
    only_app = client.get(
        f"/staff/audit/?target=applicants.application&object={selected.pk}"
    ).content.decode()
    assert "application.select" in only_app and "ledger.commitment" not in only_app
    by_actor = client.get("/staff/audit/?actor=nobody").content.decode()
    assert "application.select" not in by_actor
    future = client.get("/staff/audit/?since=2999-01-01").content.decode()
    assert "application.select" not in future
    assert client.get("/staff/audit/?since=not-a-date").status_code == 200  # ignored, not an error


def test_the_page_runs_a_constant_number_of_queries(client, staff, selected, django_assert_num_queries):
    client.force_login(staff)
    client.get("/staff/audit/")
    with django_assert_num_queries(4) as few:
        client.get("/staff/audit/")
    application_transition(application=selected, action="sign_agreement", actor=staff)
    application_transition(application=selected, action="start_build", actor=staff)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/staff/audit/")


@pytest.mark.parametrize("role", ["applicant", "evaluator", "sponsor", "mentor"])
def test_other_roles_get_404(client, role):
    user = user_with_role(role)
    client.force_login(user)
    assert client.get("/staff/audit/").status_code == 404


def test_an_object_filter_in_other_digits_is_ignored(client, staff, selected):
    client.force_login(staff)
    response = client.get("/staff/audit/?target=applicants.application&object=²")
    assert response.status_code == 200
    assert "application.select" in response.content.decode()
