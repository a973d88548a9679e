"""Outcome pages: the SME's form on `/my/`, the staff form, a program's figures, the sponsor dashboard."""

import datetime
from decimal import Decimal

import pytest

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
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status
XSS = "<script>alert(1)</script>"


def url(application, who="my"):
    return f"/{who}/applications/{application.pk}/outcomes/"


def row(kpi, baseline="", result="", baseline_on="", measured_on="") -> dict:
    return {
        f"{kpi}-baseline": baseline,
        f"{kpi}-result": result,
        f"{kpi}-baseline_on": baseline_on,
        f"{kpi}-measured_on": measured_on,
    }


# --- the SME ----------------------------------------------------------------------------------------


def test_the_owner_reports_outcomes_and_sees_them_with_their_change(client, owner, completed):
    client.force_login(owner)
    detail = client.get(f"/my/applications/{completed.pk}/").content.decode()
    assert f'href="{url(completed)}"' in detail and "아직 입력한 성과가 없습니다." in detail

    form = client.get(url(completed)).content.decode()
    assert all(f'id="kpi-{kpi}"' in form for kpi in Outcome.Kpi.values)
    assert "불량률(%)" in form and "단위: 원, 정수" in form and "단위: 개/시간" in form

    data = {
        **row("productivity", "1,000", "1,250.5", "2024-06-30", "2025-06-30"),
        **row("defect_rate", "4", "3", "", "2025-06-30"),
        **row("revenue", "8,000,000,000원", "9,000,000,000", "2024-12-31", "2025-12-31"),
    }
    response = client.post(url(completed), data)
    assert response.status_code == 302 and response["Location"] == f"/my/applications/{completed.pk}/"
    saved = {o.kpi: o for o in Outcome.objects.filter(application=completed)}
    assert set(saved) == {"productivity", "defect_rate", "revenue"}
    assert saved["productivity"].result == Decimal("1250.5") and saved["defect_rate"].baseline_on is None
    assert AuditEvent.objects.filter(action="outcome.create", actor=owner).count() == 3

    detail = client.get(f"/my/applications/{completed.pk}/").content.decode()
    assert "+25.1%" in detail  # productivity 1,000 → 1,250.5
    assert "+25.0%" in detail  # defects 4 → 3 %: an improvement
    assert "8,000,000,000원" in detail and "3%" in detail
    assert "성과 입력" in detail  # the audit trail names the event


def test_the_form_shows_the_stored_values_and_a_correction_is_audited(client, owner, completed):
    outcome_for(completed, "revenue", "1200000000", "1500000000")
    client.force_login(owner)
    form = client.get(url(completed)).content.decode()
    assert 'value="1,200,000,000"' in form and 'value="1,500,000,000"' in form
    data = row("revenue", "1,200,000,000", "1,400,000,000", "", "2025-06-30")
    assert client.post(url(completed), data).status_code == 302
    assert Outcome.objects.get().result == 1_400_000_000
    event = AuditEvent.objects.get(action="outcome.update")
    assert (event.before, event.after) == (
        {"kpi": "revenue", "result": "1500000000"},
        {"kpi": "revenue", "result": "1400000000"},
    )


def test_impossible_values_come_back_on_their_fields_and_nothing_is_saved(client, owner, completed):
    client.force_login(owner)
    data = {
        **row("productivity", "100", "130", "", "2025-06-30"),  # fine, but not saved alone
        **row("defect_rate", "4", "120", "", "2025-06-30"),
        **row("employees", "-3", "40.5", "", "2025-06-30"),
        **row("lead_time", "10", "8", "2025-07-01", "2025-06-30"),
        **row("accidents", "2"),  # a row begun but not finished
        **row("unit_cost", "abc", "100", "", "2025-06-30"),
    }
    response = client.post(url(completed), data)
    assert response.status_code == 400
    page = response.content.decode()
    for field, message in [
        ("defect_rate-result", "백분율은 100을 넘을 수 없습니다."),
        ("employees-baseline", "0 이상이어야 합니다."),
        ("employees-result", "정수로 입력해 주세요."),
        ("lead_time-measured_on", "측정일은 도입 전 측정일(2025-07-01)보다 빠를 수 없습니다."),
        ("accidents-result", "이 지표를 입력하려면 이 값도 필요합니다."),
        ("accidents-measured_on", "이 지표를 입력하려면 이 값도 필요합니다."),
        ("unit_cost-baseline", "숫자로 입력해 주세요"),
    ]:
        assert f'<p class="form-hint-invalid field-error" id="id_{field}-error">{message}' in page, field
        assert f'aria-describedby="id_{field}-help id_{field}-error"' in page or (
            f'aria-describedby="id_{field}-error"' in page
        ), field
        assert f'href="#id_{field}"' in page  # the summary links to the field
    assert 'id="id_productivity-baseline-error"' not in page
    assert 'value="120"' in page and 'value="abc"' in page  # what was typed stays
    assert not Outcome.objects.exists() and not AuditEvent.objects.exists()


def test_an_empty_form_says_so(client, owner, completed):
    client.force_login(owner)
    response = client.post(url(completed), {})
    assert response.status_code == 400
    assert "입력한 성과가 없습니다." in response.content.decode()


def test_a_future_measurement_is_refused(client, owner, completed):
    client.force_login(owner)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = client.post(url(completed), row("revenue", "1", "2", "", tomorrow))
    assert response.status_code == 400
    assert 'id="id_revenue-measured_on-error">측정일은 오늘 이후일 수 없습니다.' in response.content.decode()


@pytest.mark.parametrize("status", [S.REJECTED, S.WITHDRAWN])
def test_the_comparison_group_reports_too(client, owner, status):
    application = ApplicationFactory(company=owner.company, status=status)
    client.force_login(owner)
    assert f'href="{url(application)}"' in client.get(f"/my/applications/{application.pk}/").content.decode()
    assert "비교군" in client.get(url(application)).content.decode()
    assert client.post(url(application), row("revenue", "100", "90", "", "2025-06-30")).status_code == 302
    assert Outcome.objects.get().application == application


@pytest.mark.parametrize("status", [S.BUILDING, S.COMPLETION_REVIEW])
def test_a_project_being_built_or_inspected_enters_its_results(client, owner, status):
    """`submit_completion` needs a result for every KPI target (SPEC §17); the completion page links here."""
    application = ApplicationFactory(company=owner.company, status=status)
    client.force_login(owner)
    assert client.get(url(application)).status_code == 200
    assert client.post(url(application), row("revenue", "100", "90", "", "2025-06-30")).status_code == 302
    assert Outcome.objects.get().application == application


@pytest.mark.parametrize("status", [S.DRAFT, S.SELECTED, S.AGREEMENT])
def test_an_application_under_way_has_no_outcomes_yet(client, owner, status):
    application = ApplicationFactory(company=owner.company, status=status)
    client.force_login(owner)
    assert url(application) not in client.get(f"/my/applications/{application.pk}/").content.decode()
    assert client.get(url(application))["Location"] == f"/my/applications/{application.pk}/"
    response = client.post(url(application), row("revenue", "100", "90", "", "2025-06-30"))
    assert response.status_code == 302 and not Outcome.objects.exists()


def test_names_are_escaped(client, owner):
    application = ApplicationFactory(company=owner.company, status=S.COMPLETED, title=XSS)
    application.company.name = XSS
    application.company.save()
    for user, who in ((owner, "my"), (UserFactory(role=Role.STAFF), "staff")):
        client.force_login(user)
        for page in (client.get(url(application, who)), client.get(f"/{who}/applications/{application.pk}/")):
            body = page.content.decode()
            assert XSS not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- staff ------------------------------------------------------------------------------------------


def test_staff_correct_any_companys_outcomes_audited(client, staff):
    application = ApplicationFactory(status=S.COMPLETED)
    outcome_for(application, "defect_rate", "4", "30")
    client.force_login(staff)
    detail = client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert f'href="{url(application, "staff")}"' in detail and "-650.0%" in detail
    data = row("defect_rate", "4", "3", "", "2025-06-30")
    response = client.post(url(application, "staff"), data)
    assert response["Location"] == f"/staff/applications/{application.pk}/"
    assert Outcome.objects.get().result == 3
    event = AuditEvent.objects.get(action="outcome.update")
    assert event.actor == staff and event.after == {"kpi": "defect_rate", "result": "3"}
    assert "성과 수정" in client.get(f"/staff/applications/{application.pk}/").content.decode()


# --- outsiders --------------------------------------------------------------------------------------


def _outsider(role, application):
    if role == "applicant":
        return UserFactory(applicant=True)
    if role == "sponsor":
        return UserFactory(sponsor_user=True, sponsor=application.program.sponsor)
    if role == "evaluator":
        return EvaluatorAssignmentFactory(application=application).evaluator
    if role == "mentor":
        return MentoringAssignmentFactory(application=application).mentor.user
    return UserFactory(role=role)


@pytest.mark.parametrize("role", ["applicant", "staff", "sponsor", "evaluator", "mentor"])
def test_the_my_form_is_404_to_everyone_but_the_owner(client, completed, role):
    client.force_login(_outsider(role, completed))
    assert client.get(url(completed)).status_code == 404
    assert client.post(url(completed), row("revenue", "1", "2", "", "2025-06-30")).status_code == 404
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "owner", "sponsor", "evaluator", "mentor"])
def test_the_staff_pages_are_404_to_other_roles(client, completed, owner, role):
    client.force_login(owner if role == "owner" else _outsider(role, completed))
    assert client.get(url(completed, "staff")).status_code == 404
    assert client.post(url(completed, "staff"), row("revenue", "1", "2", "", "2025-06-30")).status_code == 404
    assert client.get(f"/staff/programs/{completed.program_id}/outcomes/").status_code == 404
    assert not Outcome.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, completed):
    for address in (
        url(completed),
        url(completed, "staff"),
        f"/staff/programs/{completed.program_id}/outcomes/",
    ):
        assert client.get(address)["Location"].startswith("/accounts/login/")


def test_an_unknown_application_is_404(client, staff, owner):
    client.force_login(staff)
    assert client.get("/staff/applications/999999/outcomes/").status_code == 404
    assert client.get("/staff/programs/999999/outcomes/").status_code == 404
    client.force_login(owner)
    assert client.get("/my/applications/999999/outcomes/").status_code == 404


# --- a program's figures and the sponsor dashboard ----------------------------------------------------


def _program_with(program, n: int):
    for i in range(n):
        for status in (S.COMPLETED, S.REJECTED):
            application = ApplicationFactory(program=program, status=status)
            outcome_for(application, "productivity", "100", str(110 + i if status == S.COMPLETED else 100))
            outcome_for(application, "defect_rate", "4", "3")


def test_staff_see_a_programs_adopters_against_the_comparison_group(client, staff):
    program = ProgramFactory(title=XSS, year=2025)
    _program_with(program, 2)  # adopters +10, +11 → +10.5; comparison 0
    client.force_login(staff)
    assert f'href="/staff/programs/{program.pk}/outcomes/"' in client.get("/staff/programs/").content.decode()
    page = client.get(f"/staff/programs/{program.pk}/outcomes/").content.decode()
    assert XSS not in page and "&lt;script&gt;" in page
    assert "도입 기업" in page and "비교군" in page
    assert '<td class="num">+10.5%</td>' in page and '<td class="num">0.0%</td>' in page
    assert '<td class="num">+10.5</td>' in page  # the difference in points
    assert "<td>2025</td>" in page  # by year


def test_the_program_page_takes_the_same_queries_however_many_applications(
    client, staff, django_assert_num_queries
):
    program = ProgramFactory()
    _program_with(program, 2)
    client.force_login(staff)
    client.get(f"/staff/programs/{program.pk}/outcomes/")
    with django_assert_num_queries(
        6
    ) as small:  # session, user, program, aggregates, by year, the header's unread count
        client.get(f"/staff/programs/{program.pk}/outcomes/")
    _program_with(program, 18)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(f"/staff/programs/{program.pk}/outcomes/")


def test_the_sponsor_dashboard_shows_the_comparison_group(client):
    program = ProgramFactory()
    _program_with(program, 2)
    client.force_login(UserFactory(sponsor_user=True, sponsor=program.sponsor))
    page = client.get("/sponsor/").content.decode()
    assert "비교군" in page and '<td class="num">+10.5%</td>' in page and '<td class="num">+10.5</td>' in page
