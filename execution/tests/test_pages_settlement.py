"""The settlement sheet (`/staff/applications/<pk>/settlement/`, SPEC §18.3), its confirm button, the
deposit form of the settlement panel (§18.2) and the clawbacks pages (§18.4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Application
from execution.models import Clawback, ClawbackCollection, Deposit, Settlement
from funds.services import disbursement_record
from projects.tests.helpers import funded_project
from tests.factories import AgencyFactory, DepositFactory, SpendingLineFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Application.Status
REVIEWED = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)


@pytest.fixture
def staff():
    return UserFactory(role="staff")


@pytest.fixture
def project(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return funded_project(staff)


def signed_in(client, user):
    client.force_login(user)
    return client


def paid(project, staff, amount=10_000_000):
    """The SME's share deposited, then `amount` paid out of the pots."""
    DepositFactory(application=project, amount=project.cost_share.sme)
    disbursement_record(
        actor=staff, application=project, amount=amount, kind="advance", paid_on=timezone.localdate()
    )


def clawback(project, **fields) -> Clawback:
    values = {"reason": "false_evidence", "government": 3_000_000, "sponsor": 3_000_000}
    values.update(fields)
    values.setdefault("due_on", timezone.localdate() + datetime.timedelta(days=30))
    return Clawback.objects.create(application=project, **values)


# --- the sheet -----------------------------------------------------------------------------------------


def test_the_sheet_shows_the_figures_and_the_lines_by_status(client, staff, project):
    SpendingLineFactory(
        application=project, item="승인된 집행", amount=40_000_000, status="approved", reviewed_at=REVIEWED
    )
    SpendingLineFactory(application=project, item="대기 집행", amount=1_000_000)
    DepositFactory(application=project, amount=5_000_000)

    response = signed_in(client, staff).get(reverse("execution:settlement-sheet", args=[project.pk]))

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.approved, figures.pending, figures.eligible) == (40_000_000, 1_000_000, 40_000_000)
    groups = {group["status"]: [line.item for line in group["lines"]] for group in response.context["groups"]}
    assert groups == {"pending": ["대기 집행"], "disallowed": [], "approved": ["승인된 집행"]}
    text = response.content.decode()
    assert "인쇄" in text and "40,000,000" in text and "5,000,000" in text
    assert response.context["can_confirm"]


def test_confirming_with_pending_lines_shows_the_409(client, staff, project):
    SpendingLineFactory(application=project)

    response = signed_in(client, staff).post(reverse("execution:settlement-confirm", args=[project.pk]))

    assert response.status_code == 409
    assert response.context["error"]
    assert not Settlement.objects.exists()


def test_staff_confirm_the_settlement(client, staff, project):
    SpendingLineFactory(application=project, amount=20_000_000, status="approved", reviewed_at=REVIEWED)

    response = signed_in(client, staff).post(reverse("execution:settlement-confirm", args=[project.pk]))

    assert response.status_code == 302
    assert Settlement.objects.get(application=project).eligible == 20_000_000
    page = client.get(reverse("execution:settlement-sheet", args=[project.pk]))
    assert page.context["figures"].status == "confirmed" and not page.context["can_confirm"]


def test_the_ministry_reads_the_sheet_and_may_not_confirm(client, project):
    ministry = UserFactory(ministry=True)
    signed_in(client, ministry)
    page = client.get(reverse("execution:settlement-sheet", args=[project.pk]))
    refused = client.post(reverse("execution:settlement-confirm", args=[project.pk]))
    assert page.status_code == 200 and not page.context["can_confirm"]
    assert refused.status_code == 403


def test_the_sheet_is_404_outside_scope_and_before_selection(client, staff, project):
    other = UserFactory(agency=AgencyFactory(name="중소기업중앙회"))
    assert (
        signed_in(client, other).get(reverse("execution:settlement-sheet", args=[project.pk])).status_code
        == 404
    )
    Application.objects.filter(pk=project.pk).update(status=S.SUBMITTED)
    assert (
        signed_in(client, staff).get(reverse("execution:settlement-sheet", args=[project.pk])).status_code
        == 404
    )


def test_the_sheet_runs_a_fixed_number_of_queries(client, staff, project, django_assert_num_queries):
    signed_in(client, staff)
    url = reverse("execution:settlement-sheet", args=[project.pk])
    client.get(url)
    with django_assert_num_queries(12):
        client.get(url)
    for _ in range(5):
        SpendingLineFactory(application=project)
        DepositFactory(application=project)
        clawback(project)
    with django_assert_num_queries(12):
        client.get(url)


# --- deposits from the panel ---------------------------------------------------------------------------


def test_staff_record_a_deposit_from_the_panel(client, staff, project):
    response = signed_in(client, staff).post(
        reverse("execution:deposit-record", args=[project.pk]),
        {"amount": "5,000,000", "deposited_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert Deposit.objects.get(application=project).amount == 5_000_000


def test_a_refused_deposit_redraws_the_page_with_the_errors(client, staff, project):
    response = signed_in(client, staff).post(
        reverse("execution:deposit-record", args=[project.pk]), {"amount": "0", "deposited_on": ""}
    )
    assert response.status_code == 400
    assert 'id="panel-settlement"' in response.content.decode()
    assert not Deposit.objects.exists()


def test_the_panels_show_on_the_funds_tab(client, staff, project):
    SpendingLineFactory(application=project, flagged=True, supplier_mismatch=True)
    response = signed_in(client, staff).get(reverse("applicants:staff-detail", args=[project.pk]))
    text = response.content.decode()
    assert 'id="panel-spending"' in text and 'id="panel-settlement"' in text
    assert reverse("execution:settlement-sheet", args=[project.pk]) in text
    assert reverse("execution:deposit-record", args=[project.pk]) in text


def test_the_ministry_sees_the_panels_without_forms(client, project):
    response = signed_in(client, UserFactory(ministry=True)).get(
        reverse("applicants:staff-detail", args=[project.pk])
    )
    text = response.content.decode()
    assert 'id="panel-settlement"' in text
    assert reverse("execution:deposit-record", args=[project.pk]) not in text


# --- clawbacks -----------------------------------------------------------------------------------------


def test_the_clawbacks_list_open_first_and_overdue_marked(client, staff, project):
    today = timezone.localdate()
    done = clawback(project, status="collected", collected_government=3_000_000, collected_sponsor=3_000_000)
    late = clawback(project, due_on=today - datetime.timedelta(days=3))
    later = clawback(project, due_on=today + datetime.timedelta(days=3))

    response = signed_in(client, staff).get(reverse("execution:clawbacks"))

    assert [row["clawback"].pk for row in response.context["rows"]] == [late.pk, later.pk, done.pk]
    assert [row["overdue"] for row in response.context["rows"]] == [True, False, False]
    assert "기한 경과" in response.content.decode()
    overdue = client.get(reverse("execution:clawbacks"), {"overdue": "on"})
    assert [row["clawback"].pk for row in overdue.context["rows"]] == [late.pk]


def test_the_clawbacks_list_runs_a_fixed_number_of_queries(client, staff, project, django_assert_num_queries):
    signed_in(client, staff)
    url = reverse("execution:clawbacks")
    clawback(project)
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(5):
        claw = clawback(project)
        ClawbackCollection.objects.create(
            clawback=claw,
            amount=10,
            gov_part=5,
            sponsor_part=5,
            collected_on=timezone.localdate(),
            recorded_by=staff,
        )
    with django_assert_num_queries(6):
        client.get(url)


def test_staff_open_collect_and_close_clawbacks(client, staff, project):
    paid(project, staff)
    signed_in(client, staff)
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    opened = client.post(
        reverse("execution:clawback-open", args=[project.pk]),
        {"reason": "collusion", "government": "1,000,000", "sponsor": "1,000,000", "due_on": due},
    )
    assert opened.status_code == 302
    found = Clawback.objects.get(application=project)
    collected = client.post(
        reverse("execution:clawback-collect", args=[found.pk]),
        {"amount": "500,000", "collected_on": timezone.localdate().isoformat()},
    )
    assert collected.status_code == 302
    found.refresh_from_db()
    assert found.collected == 500_000
    closed = client.post(reverse("execution:clawback-uncollectable", args=[found.pk]), {"note": "폐업"})
    assert closed.status_code == 302
    found.refresh_from_db()
    assert found.status == "uncollectable"


def test_a_clawback_above_what_was_paid_is_refused_on_its_field(client, staff, project):
    response = signed_in(client, staff).post(
        reverse("execution:clawback-open", args=[project.pk]),
        {"reason": "collusion", "government": "1,000", "sponsor": "0", "due_on": "2026-12-31"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["government"]
    assert not Clawback.objects.exists()


def test_too_much_collected_is_shown_on_the_row(client, staff, project):
    found = clawback(project)
    response = signed_in(client, staff).post(
        reverse("execution:clawback-collect", args=[found.pk]),
        {"amount": "9,000,000", "collected_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert response.context["rows"][0]["collect_form"].errors


def test_the_ministry_reads_clawbacks_and_changes_nothing(client, project):
    found = clawback(project)
    ministry = UserFactory(ministry=True)
    signed_in(client, ministry)
    page = client.get(reverse("execution:clawbacks"))
    assert page.status_code == 200 and page.context["rows"][0]["collect_form"] is None
    assert (
        client.post(reverse("execution:clawback-uncollectable", args=[found.pk]), {"note": "x"}).status_code
        == 403
    )
    assert client.get(reverse("execution:clawback-open", args=[project.pk])).context["can_open"] is False


def test_staff_of_another_agency_do_not_see_the_clawbacks(client, project):
    found = clawback(project)
    other = UserFactory(agency=AgencyFactory(name="중소기업중앙회"))
    signed_in(client, other)
    assert client.get(reverse("execution:clawbacks")).context["rows"] == []
    assert (
        client.post(reverse("execution:clawback-uncollectable", args=[found.pk]), {"note": "x"}).status_code
        == 404
    )
    assert client.get(reverse("execution:clawback-open", args=[project.pk])).status_code == 404
