"""Reports, the sponsor dashboard and outcomes by agency (docs/domain.md §1, §8, §9): staff see and
ask about their agency's programs, staff of another agency get 404 (or a field error on a body's
program), the ministry reads everything and may request any report, and changes nothing else (403)."""

import pytest

from applicants.models import Application
from config.errors import NotAllowed
from program.models import Sponsor
from reports.dashboard import sponsor_dashboard
from reports.generators.applications import report_export_queryset
from reports.generators.fund_status import fund_status_figures
from reports.generators.outcomes import outcomes_figures
from reports.generators.program_status import program_status_figures
from reports.models import Outcome, Report
from reports.services import report_request, report_schedule
from reports.tests.report_data import outcome_for
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    ContributionFactory,
    ProgramFactory,
    SponsorFactory,
    UserFactory,
    api_client,
)

pytestmark = pytest.mark.django_db
S = Application.Status
K, F = Report.Kind, Report.Format


@pytest.fixture
def staff_b():
    return UserFactory(agency=AgencyFactory(name="중소기업중앙회"))


@pytest.fixture
def ministry():
    return UserFactory(ministry=True)


@pytest.fixture
def sponsor() -> Sponsor:
    return SponsorFactory()


@pytest.fixture
def ours(sponsor):
    """The sponsor's program in the default agency (staff's), with money, a project and an outcome."""
    return _program_with_data(ProgramFactory(sponsor=sponsor), amount=100_000_000, kpi_result="130")


@pytest.fixture
def theirs(sponsor, staff_b):
    program = ProgramFactory(sponsor=sponsor, agency=staff_b.agency)
    return _program_with_data(program, amount=7_000_000, kpi_result="110")


def _program_with_data(program, *, amount, kpi_result):
    ContributionFactory(program=program, amount=amount)
    ApplicationFactory(program=program, status=S.SELECTED, submitted_at="2026-03-02T10:00:00+09:00")
    completed = ApplicationFactory(
        program=program, status=S.COMPLETED, submitted_at="2026-03-02T10:00:00+09:00"
    )
    outcome_for(completed, result=kpi_result)
    return program


def request(actor, **fields):
    fields.setdefault("kind", K.FUND_STATUS)
    fields.setdefault("format", F.XLSX)
    return report_request(actor=actor, **fields)


# --- requesting and seeing reports --------------------------------------------------------------------


def test_a_report_keeps_its_requesters_agency(staff, staff_b, ministry, ours, sponsor):
    assert request(staff).agency_id == staff.agency_id
    assert request(staff_b, sponsor=sponsor).agency_id == staff_b.agency_id
    assert request(ministry).agency_id is None
    assert request(UserFactory(sponsor_user=True, sponsor=sponsor)).agency_id is None
    theirs = ProgramFactory(agency=staff_b.agency)
    scheduled = {report.program: report.agency_id for report in report_schedule(kind=K.FUND_STATUS)}
    assert scheduled == {ours: ours.agency_id, theirs: staff_b.agency_id}


def test_staff_ask_only_about_their_agencys_programs_and_the_ministry_about_any(staff_b, ministry, ours):
    with pytest.raises(NotAllowed):
        request(staff_b, program=ours)
    assert request(ministry, program=ours).program == ours


def test_reports_are_seen_by_their_agency_and_the_ministry(staff, staff_b, ministry, ours, sponsor):
    mine = request(staff)
    by_sponsor_on_ours = request(UserFactory(sponsor_user=True, sponsor=sponsor), program=ours)
    by_ministry = request(ministry)
    hers = request(staff_b)

    def seen(user):
        return {row["id"] for row in api_client(user).get("/api/v1/reports/").json()["results"]}

    assert seen(staff) == {mine.pk, by_sponsor_on_ours.pk}
    assert seen(staff_b) == {hers.pk}
    assert seen(ministry) == {mine.pk, by_sponsor_on_ours.pk, by_ministry.pk, hers.pk}
    assert api_client(staff_b).get(f"/api/v1/reports/{mine.pk}/").status_code == 404
    assert api_client(staff_b).get(f"/api/v1/reports/{mine.pk}/download/").status_code == 404


def test_the_api_refuses_another_agencys_program_and_lets_the_ministry_ask(staff_b, ministry, ours):
    body = {"kind": K.FUND_STATUS, "format": F.XLSX, "program": ours.pk}
    response = api_client(staff_b).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400 and "program" in response.json()
    response = api_client(ministry).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 202 and response.json()["program"] == ours.pk


def test_the_reports_page_offers_the_agencys_programs_and_takes_the_ministrys_request(
    client, staff_b, ministry, ours
):
    client.force_login(staff_b)
    assert ours.title not in client.get("/reports/").content.decode()
    assert (
        client.post("/reports/", {"kind": K.FUND_STATUS, "format": F.XLSX, "program": ours.pk}).status_code
        == 400
    )
    client.force_login(ministry)
    assert ours.title in client.get("/reports/").content.decode()
    data = {"kind": K.FUND_STATUS, "format": F.XLSX, "program": ours.pk}
    assert client.post("/reports/", data).status_code == 302
    assert Report.objects.get().requested_by == ministry


# --- what the generators read ------------------------------------------------------------------------


def test_every_generator_reads_only_the_reports_agency(staff, ours, theirs, sponsor):
    for_staff = Report(kind=K.FUND_STATUS, format=F.XLSX, agency_id=staff.agency_id)
    everyone = Report(kind=K.FUND_STATUS, format=F.XLSX)
    assert [row["program_id"] for row in fund_status_figures(for_staff)["programs"]] == [ours.pk]
    assert {row["program_id"] for row in fund_status_figures(everyone)["programs"]} == {ours.pk, theirs.pk}
    assert program_status_figures(for_staff)["totals"]["funded"] == 2
    assert program_status_figures(everyone)["totals"]["funded"] == 4
    assert {a.program_id for a in report_export_queryset(for_staff)} == {ours.pk}
    productivity = outcomes_figures(for_staff)["kpis"][0]
    assert productivity["adopters"] == {"companies": 1, "mean_change_percent": 30.0}
    assert outcomes_figures(everyone)["kpis"][0]["adopters"]["companies"] == 2
    by_sponsor = Report(kind=K.OUTCOMES, format=F.XLSX, sponsor=sponsor, agency_id=staff.agency_id)
    assert outcomes_figures(by_sponsor)["kpis"][0]["adopters"]["companies"] == 1


# --- the sponsor dashboard ------------------------------------------------------------------------------


def test_the_dashboard_shows_staff_their_agencys_figures_of_a_shared_sponsor(
    client, staff, staff_b, ministry, sponsor, ours, theirs
):
    def contributed(user):
        return (
            api_client(user).get(f"/api/v1/sponsors/{sponsor.pk}/dashboard/").json()["contributed"]["total"]
        )

    assert contributed(staff) == 100_000_000
    assert contributed(staff_b) == 7_000_000
    assert contributed(ministry) == 107_000_000
    assert sponsor_dashboard(sponsor_id=sponsor.pk, agency_id=staff_b.agency_id)["smes_supported"] == 2
    for user in (staff_b, ministry):
        client.force_login(user)
        assert sponsor.name in client.get("/sponsor/").content.decode()
        assert client.get(f"/sponsor/{sponsor.pk}/").status_code == 200


def test_a_sponsor_user_still_sees_its_whole_dashboard(sponsor, ours, theirs):
    user = UserFactory(sponsor_user=True, sponsor=sponsor)
    body = api_client(user).get(f"/api/v1/sponsors/{sponsor.pk}/dashboard/").json()
    assert (body["contributed"]["total"], body["smes_supported"]) == (107_000_000, 4)


# --- outcomes -------------------------------------------------------------------------------------------


def test_outcomes_are_read_in_the_applications_scope(client, staff, staff_b, ministry, ours, theirs):
    ours_outcome = Outcome.objects.get(application__program=ours)
    theirs_outcome = Outcome.objects.get(application__program=theirs)

    def seen(user):
        return {row["id"] for row in api_client(user).get("/api/v1/outcomes/").json()["results"]}

    assert seen(staff) == {ours_outcome.pk}
    assert seen(staff_b) == {theirs_outcome.pk}
    assert seen(ministry) == {ours_outcome.pk, theirs_outcome.pk}
    application = ours_outcome.application
    for url in (
        f"/staff/programs/{ours.pk}/outcomes/",
        f"/staff/applications/{application.pk}/outcomes/",
        f"/staff/applications/{application.pk}/panels/outcomes/",
    ):
        for user, status in ((staff, 200), (staff_b, 404), (ministry, 200)):
            client.force_login(user)
            assert client.get(url).status_code == status, (url, user.role)


def test_only_staff_of_the_agency_enter_outcomes(client, staff_b, ministry, ours):
    application = Application.objects.get(program=ours, status=S.COMPLETED)
    body = {
        "application": application.pk,
        "kpi": "employees",
        "baseline": 10,
        "result": 12,
        "measured_on": "2026-06-30",
    }
    assert api_client(staff_b).post("/api/v1/outcomes/", body, format="json").status_code == 404
    assert api_client(ministry).post("/api/v1/outcomes/", body, format="json").status_code == 403
    client.force_login(ministry)
    assert client.post(f"/staff/applications/{application.pk}/outcomes/", {}).status_code == 403
    assert not Outcome.objects.filter(kpi="employees").exists()
