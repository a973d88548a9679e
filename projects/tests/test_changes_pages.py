"""The pages of agreement changes: the SME's list and form, staff's panel with approve/reject."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Agreement, AgreementChange
from projects.services.changes import change_request
from projects.tests.test_changes import make_project
from tests.factories import SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    application, owner, staff = make_project()
    today = timezone.localdate()
    Agreement.objects.filter(application=application).update(
        starts_on=today - datetime.timedelta(days=60),
        original_ends_on=today + datetime.timedelta(days=120),
        ends_on=today + datetime.timedelta(days=120),
    )
    application.refresh_from_db()
    return application, owner, staff


def ask(application, owner, kind="plan", **values):
    return change_request(
        actor=owner,
        application=application,
        kind=kind,
        cause_on=timezone.localdate(),
        reason="공정 변경",
        **values,
    )


def test_the_sme_page_lists_the_changes_and_offers_the_form(client, project):
    application, owner, _ = project
    ask(application, owner)
    client.force_login(owner)

    response = client.get(reverse("projects:my-changes", args=[application.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "사업계획 변경" in page and "검토중" in page
    assert "사유 발생일로부터 15일 이내, 협약 종료 1개월 전까지" in page
    assert 'name="kind"' in page


def test_the_sme_page_is_linked_from_the_application_page(client, project):
    application, owner, _ = project
    client.force_login(owner)

    page = client.get(reverse("applicants:my-detail", args=[application.pk])).content.decode()

    assert reverse("projects:my-changes", args=[application.pk]) in page


def test_the_sme_asks_for_an_extension(client, project):
    application, owner, _ = project
    client.force_login(owner)
    new_end = application.agreement.ends_on + datetime.timedelta(days=30)

    response = client.post(
        reverse("projects:my-changes", args=[application.pk]),
        {"kind": "extension", "cause_on": timezone.localdate().isoformat(), "reason": "장비 납기 지연",
         "new_ends_on": new_end.isoformat(), "new_total_cost": "1억"},
    )  # fmt: skip

    assert response.status_code == 302
    change = AgreementChange.objects.get()
    assert change.new_ends_on == new_end and change.new_total_cost is None  # another kind's value dropped


def test_a_late_request_shows_its_error_at_the_cause_date(client, project):
    application, owner, _ = project
    client.force_login(owner)
    late = timezone.localdate() - datetime.timedelta(days=16)

    response = client.post(
        reverse("projects:my-changes", args=[application.pk]),
        {"kind": "plan", "cause_on": late.isoformat(), "reason": "공정 변경"},
    )

    assert response.status_code == 400
    assert "15일 이내" in " ".join(response.context["form"].errors["cause_on"])
    assert not AgreementChange.objects.exists()


def test_a_missing_value_shows_at_its_field(client, project):
    application, owner, _ = project
    client.force_login(owner)

    response = client.post(
        reverse("projects:my-changes", args=[application.pk]),
        {"kind": "cost", "cause_on": timezone.localdate().isoformat(), "reason": "단가 인상"},
    )

    assert response.status_code == 400
    assert "new_total_cost" in response.context["form"].errors


def test_before_the_agreement_the_form_is_not_offered(client):
    application, owner, _ = make_project(status="selected")
    client.force_login(owner)

    response = client.get(reverse("projects:my-changes", args=[application.pk]))

    assert response.status_code == 200 and 'name="kind"' not in response.content.decode()


def test_the_staff_panel_shows_pending_and_decided(client, project):
    application, owner, staff = project
    plan = ask(application, owner)
    supplier = SupplierFactory(name="한빛솔루션")
    swap = ask(application, owner, "supplier", new_supplier=supplier)
    client.force_login(staff)

    page = client.get(reverse("projects:changes-panel", args=[application.pk])).content.decode()

    for change in (plan, swap):
        assert reverse("projects:staff-change-approve", args=[application.pk, change.pk]) in page
        assert reverse("projects:staff-change-reject", args=[application.pk, change.pk]) in page
    assert "한빛솔루션" in page and "검토할 변경 신청" in page


def test_staff_approve_from_the_panel(client, project):
    application, owner, staff = project
    new_end = application.agreement.ends_on + datetime.timedelta(days=30)
    change = ask(application, owner, "extension", new_ends_on=new_end)
    client.force_login(staff)

    response = client.post(reverse("projects:staff-change-approve", args=[application.pk, change.pk]), {})

    assert response.status_code == 302
    assert Agreement.objects.get(application=application).ends_on == new_end
    panel = client.get(reverse("projects:changes-panel", args=[application.pk])).content.decode()
    assert "승인" in panel and "→" in panel  # the history shows before → after


def test_a_rejection_without_a_note_shows_the_error_in_the_panel(client, project):
    application, owner, staff = project
    change = ask(application, owner)
    client.force_login(staff)

    response = client.post(
        reverse("projects:staff-change-reject", args=[application.pk, change.pk]), {}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    assert "반려 사유를 입력해 주세요." in response.content.decode()
    assert AgreementChange.objects.get().status == "pending"


def test_the_panel_is_hidden_before_the_agreement(client):
    application, _, staff = make_project(status="selected")
    client.force_login(staff)

    response = client.get(reverse("projects:changes-panel", args=[application.pk]))

    assert response.content.decode() == '<div id="panel-changes" class="panel" hidden></div>'


def _many(application, owner, n):
    supplier = SupplierFactory()
    for _ in range(n):
        AgreementChange.objects.create(
            application=application, kind="supplier", cause_on=timezone.localdate(), reason="x",
            new_supplier=supplier, requested_by=owner, status="rejected", note="n",
        )  # fmt: skip


def test_the_sme_page_runs_a_constant_number_of_queries(client, project, django_assert_num_queries):
    application, owner, _ = project
    _many(application, owner, 2)
    client.force_login(owner)
    page = reverse("projects:my-changes", args=[application.pk])
    client.get(page)
    with CaptureQueriesContext(connection) as small:
        client.get(page)
    _many(application, owner, 10)
    with django_assert_num_queries(len(small)):
        response = client.get(page)
    assert response.content.decode().count("공급기업 변경") >= 12


def test_the_panel_runs_a_constant_number_of_queries(client, project, django_assert_num_queries):
    application, owner, staff = project
    _many(application, owner, 2)
    ask(application, owner)
    client.force_login(staff)
    panel = reverse("projects:changes-panel", args=[application.pk])
    client.get(panel)
    with CaptureQueriesContext(connection) as small:
        client.get(panel)
    _many(application, owner, 10)
    with django_assert_num_queries(len(small)):
        client.get(panel)
    assert len(small) <= 6


def test_the_staff_page_draws_the_panel_in_the_agreement_tab(client, project):
    application, owner, staff = project
    ask(application, owner)
    client.force_login(staff)

    page = client.get(reverse("applicants:staff-detail", args=[application.pk]) + "?tab=agreement")

    assert page.status_code == 200
    assert 'id="changes"' in page.content.decode()
    assert reverse(
        "projects:staff-change-approve", args=[application.pk, AgreementChange.objects.get().pk]
    ) in (page.content.decode())


def test_the_ministry_sees_the_panel_without_buttons(client, project):
    application, owner, _ = project
    change = ask(application, owner)
    client.force_login(UserFactory(ministry=True))

    page = client.get(reverse("projects:changes-panel", args=[application.pk])).content.decode()

    assert "공정 변경" in page
    assert reverse("projects:staff-change-approve", args=[application.pk, change.pk]) not in page


def test_the_form_marks_each_kinds_field_for_its_script(client, project):
    application, owner, _ = project
    client.force_login(owner)

    page = client.get(reverse("projects:my-changes", args=[application.pk])).content.decode()

    assert "data-change-form" in page and "js/change-kind.js" in page
    for kind in ("extension", "supplier", "cost"):
        assert f'data-change-kind="{kind}"' in page
