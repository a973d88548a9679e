"""Outcome dates and report periods stay in the window (issue 13 item 11): 2000-01-01 to five years
ahead, the one rule of program.validators.validate_plausible_date; a report over 0001-01-01 failed."""

import pytest

from program.models import AuditEvent
from program.validators import latest_plausible_date
from reports.models import Outcome, Report
from tests.factories import api_client

pytestmark = pytest.mark.django_db


def refusal() -> list[str]:
    return [f"날짜는 2000-01-01부터 {latest_plausible_date().isoformat()}까지 입력할 수 있습니다."]


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"measured_on": "0001-01-01", "baseline_on": None}, "measured_on"),
        ({"measured_on": "2025-12-31", "baseline_on": "1999-12-31"}, "baseline_on"),
    ],
)
def test_an_outcome_dated_out_of_the_window_is_refused(owner, completed, dates, field):
    body = {"application": completed.pk, "kpi": "revenue", "baseline": 100, "result": 120, **dates}

    response = api_client(owner).post("/api/v1/outcomes/", body, format="json")

    assert response.status_code == 400
    assert response.json()[field] == refusal()
    assert not Outcome.objects.exists() and not AuditEvent.objects.filter(action="outcome.create").exists()


@pytest.mark.parametrize(
    "period",
    [
        {"period_start": "0001-01-01", "period_end": "2026-01-31"},
        {"period_start": "2026-01-01", "period_end": "9999-12-31"},
    ],
)
def test_a_report_period_out_of_the_window_is_refused(staff, program, period):
    body = {"kind": "program_status", "format": "pdf", "program": program.pk, **period}

    response = api_client(staff).post("/api/v1/reports/", body, format="json")

    assert response.status_code == 400
    field = "period_start" if period["period_start"] == "0001-01-01" else "period_end"
    assert response.json()[field] == refusal()
    assert not Report.objects.exists()


def test_the_outcome_form_refuses_it_at_the_field(client, owner, completed):
    client.force_login(owner)
    data = {
        "revenue-baseline": "1",
        "revenue-result": "2",
        "revenue-baseline_on": "",
        "revenue-measured_on": "0001-01-01",
    }

    response = client.post(f"/my/applications/{completed.pk}/outcomes/", data)

    assert response.status_code == 400
    assert f'id="id_revenue-measured_on-error">{refusal()[0]}' in response.content.decode()
    assert not Outcome.objects.exists()
