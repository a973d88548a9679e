"""The outcomes panel of the staff application page (reports/panels.py)."""

from datetime import date

import pytest

from applicants.models import Application
from reports.models import Outcome
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
S = Application.Status


def test_the_panel_shows_the_outcomes_from_building_on(client, staff):
    client.force_login(staff)
    agreement = ApplicationFactory(status=S.AGREEMENT)
    response = client.get(f"/staff/applications/{agreement.pk}/panels/outcomes/")
    assert response.content.decode() == '<div id="panel-outcomes" class="panel" hidden></div>'
    completed = ApplicationFactory(status=S.COMPLETED)
    page = client.get(f"/staff/applications/{completed.pk}/").content.decode()
    assert '<div id="panel-outcomes" class="panel">' in page and "성과 입력·수정" in page


def test_the_panel_runs_a_constant_number_of_queries(client, staff, django_assert_num_queries):
    client.force_login(staff)
    application = ApplicationFactory(status=S.COMPLETED)
    url = f"/staff/applications/{application.pk}/panels/outcomes/"
    kpis = iter(Outcome.Kpi.values)

    def add(n):
        for kpi in [next(kpis) for _ in range(n)]:
            Outcome.objects.create(
                application=application, kpi=kpi, baseline=50, result=60, measured_on=date(2026, 11, 2)
            )

    add(2)
    client.get(url)  # warm the session and content-type caches
    with django_assert_num_queries(4):  # session, user, the application, its outcomes
        client.get(url)
    add(8)
    with django_assert_num_queries(4):
        response = client.get(url)
    body = response.content.decode()
    assert body.startswith('<div id="panel-outcomes" class="panel">') and "<html" not in body
    assert body.count('<th scope="row">') == 10
