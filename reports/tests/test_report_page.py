"""`/reports/`: who may open it, what a sponsor may request, and the list it shows."""

import pytest

from accounts.models import Role
from reports.models import Report
from tests.factories import ProgramFactory, SponsorFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_staff_request_a_report_and_see_it_listed(client, eager_tasks, django_capture_on_commit_callbacks):
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/", {"kind": "fund_status", "format": "xlsx", "program": program.pk})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.program, report.status) == ("fund_status", program, "done")
    page = client.get("/reports/").content.decode()
    assert f'data-report="{report.pk}"' in page and f"/api/v1/reports/{report.pk}/download/" in page


def test_a_format_the_kind_has_not_is_refused_on_its_field(client):
    client.force_login(UserFactory(role=Role.STAFF))
    response = client.post("/reports/", {"kind": "fund_status", "format": "pdf"})
    assert response.status_code == 400
    assert 'id="id_format-error"' in response.content.decode()
    assert not Report.objects.exists()


def test_a_sponsor_requests_only_for_itself(client, eager_tasks):
    sponsor, other = SponsorFactory(), SponsorFactory()
    own, foreign = ProgramFactory(sponsor=sponsor), ProgramFactory(sponsor=other)
    client.force_login(UserFactory(sponsor_user=True, sponsor=sponsor))
    page = client.get("/reports/").content.decode()
    assert own.title in page and foreign.title not in page
    refused = client.post("/reports/", {"kind": "fund_status", "format": "xlsx", "program": foreign.pk})
    assert refused.status_code == 400 and not Report.objects.exists()
    done = client.post("/reports/", {"kind": "fund_status", "format": "xlsx", "program": own.pk})
    assert done.status_code == 302 and Report.objects.get().program == own


@pytest.mark.parametrize("role", ["applicant", "evaluator", "mentor"])
def test_other_roles_get_404(client, role):
    user = user_with_role(role)
    client.force_login(user)
    assert client.get("/reports/").status_code == 404
    assert client.post("/reports/", {"kind": "fund_status", "format": "xlsx"}).status_code == 404
    assert not Report.objects.exists()


def test_anonymous_visitors_sign_in_first(client):
    assert client.get("/reports/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["staff", "sponsor"])
def test_the_page_runs_a_constant_number_of_queries(client, role, django_assert_num_queries):
    own = ProgramFactory()
    user = (
        UserFactory(role=Role.STAFF)
        if role == "staff"
        else UserFactory(sponsor_user=True, sponsor=own.sponsor)
    )

    def add(n):
        for _ in range(n):
            program = ProgramFactory(sponsor=own.sponsor)
            Report.objects.create(kind="fund_status", format="xlsx", program=program, requested_by=user)
            Report.objects.create(
                kind="applications", format="csv", sponsor=own.sponsor, requested_by=user,
                status="done", progress=100, file="report.csv", agency=user.agency,  # as report_request does
            )  # fmt: skip

    add(2)
    client.force_login(user)
    client.get("/reports/")  # warm the session
    # session, user, the form's programs and sponsors, the reports (program, sponsor, requester joined in)
    with django_assert_num_queries(6):
        client.get("/reports/")
    add(10)
    with django_assert_num_queries(6):
        response = client.get("/reports/")
    assert len(response.context["reports"]) == 24
