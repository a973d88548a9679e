"""The spending and settlement panels of the staff application page (execution/panels/): shown once the
project is funded, with a fixed number of queries however many lines, deposits and clawbacks."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applicants.models import Application
from execution.models import Clawback
from projects.tests.helpers import funded_project
from tests.factories import ApplicationFactory, DepositFactory, SpendingLineFactory, UserFactory

pytestmark = pytest.mark.django_db
MINE = ("execution.panels.spending.spending", "execution.panels.settlement.settlement")
PANELS_QUERIES = 7  # spending: the counts; settlement: deposits, the figures (4), the clawbacks


@pytest.fixture
def staff():
    return UserFactory(role="staff")


def page_queries(client, application) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("applicants:staff-detail", args=[application.pk])).status_code == 200
    return len(queries)


def add_rows(application, n):
    for _ in range(n):
        SpendingLineFactory(application=application, flagged=True, outside_period=True)
        DepositFactory(application=application)
        Clawback.objects.create(
            application=application, reason="collusion", government=1, sponsor=1, due_on=timezone.localdate()
        )


def test_the_panels_add_a_fixed_number_of_queries_to_the_page(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = funded_project(staff)
    client.force_login(staff)
    page_queries(client, application)
    with_panels = page_queries(client, application)
    add_rows(application, 4)
    assert page_queries(client, application) == with_panels
    panels = [name for name in django_settings.PLUGINS["application_panels"] if name not in MINE]
    with override_settings(PLUGINS={**django_settings.PLUGINS, "application_panels": panels}):
        without = page_queries(client, application)
    assert with_panels - without == PANELS_QUERIES


def test_before_selection_the_panels_are_not_drawn_and_cost_nothing(client, staff):
    application = ApplicationFactory(status=Application.Status.EVALUATION)
    client.force_login(staff)
    page_queries(client, application)
    with_panels = page_queries(client, application)
    panels = [name for name in django_settings.PLUGINS["application_panels"] if name not in MINE]
    with override_settings(PLUGINS={**django_settings.PLUGINS, "application_panels": panels}):
        without = page_queries(client, application)
    html = client.get(reverse("applicants:staff-detail", args=[application.pk])).content.decode()
    assert with_panels == without
    assert 'id="panel-spending"' not in html and 'id="panel-settlement"' not in html


def test_the_spending_panel_counts_lines_by_status(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = funded_project(staff)
    SpendingLineFactory(application=application, flagged=True, supplier_mismatch=True)
    SpendingLineFactory(application=application)
    SpendingLineFactory(
        application=application,
        status="approved",
        reviewed_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC),
    )
    client.force_login(staff)
    response = client.get(reverse("applicants:staff-detail", args=[application.pk]))
    html = response.content.decode()
    assert reverse("execution:spending-queue") in html
    panel = html[html.index('id="panel-spending"') :]
    assert "검토 대기" in panel and "확인 필요" in panel
