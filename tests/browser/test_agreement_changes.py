"""A change of agreement (협약변경, SPEC §16) in a browser: the SME asks for an extension on its changes
page — the form shows only the chosen kind's field; a cause 16 days ago is refused at its field, one
15 days ago is in time — staff approve it on the 협약·점검 tab's panel with a note, and the SME sees the
new end date. axe-core clean on both sides, no sideways scroll at 390 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application
from mentoring.services import add_months
from projects.models import Agreement, AgreementChange
from projects.tests.helpers import TARGETS, funded_project
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def _date(day: datetime.date) -> str:
    return f"{day.year}. {day.month}. {day.day}."  # Korean SHORT_DATE_FORMAT


def _choose(page, label: str) -> None:
    """KRDS draws the radio on the label, which takes the click (as a person's would)."""
    page.locator("[data-change-form] label").filter(has_text=label).first.click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def test_the_sme_asks_for_an_extension_and_staff_approve_it(new_page):
    staff = UserFactory(role=Role.STAFF)
    owner = UserFactory(applicant=True)
    application = funded_project(staff, owner=owner, status=Application.Status.BUILDING, agreement=False)
    today = timezone.localdate()
    ends = today + datetime.timedelta(days=90)
    Agreement.objects.create(
        application=application,
        status=Agreement.Status.COUNTERSIGNED,
        starts_on=today - datetime.timedelta(days=90),
        original_ends_on=ends,
        ends_on=ends,
        kpi_targets=TARGETS,
        supplier=application.supplier,
    )
    new_ends = add_months(ends, 2)

    sme = new_page()
    sme.set_viewport_size({"width": 390, "height": 844})
    login(sme, owner.username)
    sme.goto(f"/my/applications/{application.pk}/")
    sme.get_by_role("link", name="협약변경 신청·내역").click()
    expect(sme.get_by_role("heading", level=1)).to_contain_text("협약변경")
    expect(sme.get_by_text(f"협약 기간 {_date(today - datetime.timedelta(days=90))}")).to_be_visible()

    # Only the chosen kind's field shows (none before a kind is chosen; the box goes with them).
    new_ends_on, new_supplier, new_cost = (
        sme.get_by_label("변경 종료일"),
        sme.get_by_label("변경 공급기업"),
        sme.get_by_label("변경 총사업비(원)"),
    )
    for field in (new_ends_on, new_supplier, new_cost):
        expect(field).to_be_hidden()
    _choose(sme, "사업비 변경")
    expect(new_cost).to_be_visible()
    expect(new_ends_on).to_be_hidden()
    _choose(sme, "기간 연장")
    expect(new_ends_on).to_be_visible()
    for field in (new_supplier, new_cost):
        expect(field).to_be_hidden()

    reason = sme.get_by_role("textbox", name="변경 사유 필수", exact=True)
    why = "설비 납품이 공급사 사정으로 두 달 늦어졌습니다."

    # 16 days after the cause: too late, said at the cause date.
    sme.get_by_label("변경 사유 발생일").fill((today - datetime.timedelta(days=16)).isoformat())
    reason.fill(why)
    new_ends_on.fill(new_ends.isoformat())
    sme.get_by_role("button", name="신청", exact=True).click()
    sme.get_by_role("dialog", name="협약변경을 신청할까요?").get_by_role("button", name="신청").click()
    error = sme.locator("#id_cause_on-error")
    expect(error).to_contain_text("변경 사유 발생일로부터 15일 이내")
    expect(sme.get_by_label("변경 사유 발생일")).to_have_attribute("aria-invalid", "true")
    expect(sme.locator("#error-summary")).to_contain_text("변경 사유 발생일")
    assert not AgreementChange.objects.exists()
    assert sme.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(sme)
    shot(sme, "after-selection-sme-change-too-late-390")

    # The 15th day is in time.
    expect(sme.get_by_label("기간 연장", exact=True)).to_be_checked()
    expect(new_ends_on).to_be_visible()
    sme.get_by_label("변경 사유 발생일").fill((today - datetime.timedelta(days=15)).isoformat())
    if not sme.get_by_role("textbox", name="변경 사유 필수", exact=True).input_value():
        reason.fill(why)
    new_ends_on.fill(new_ends.isoformat())
    sme.get_by_role("button", name="신청", exact=True).click()
    sme.get_by_role("dialog", name="협약변경을 신청할까요?").get_by_role("button", name="신청").click()
    expect(sme.get_by_text("협약변경을 신청했습니다. 담당자가 검토합니다.")).to_be_visible()
    history = sme.get_by_role("table", name="변경 신청 내역")
    expect(history).to_contain_text("기간 연장")
    expect(history).to_contain_text(_date(new_ends))
    expect(history).to_contain_text("검토")
    change = AgreementChange.objects.get()
    assert change.status == AgreementChange.Status.PENDING and change.new_ends_on == new_ends

    # Staff approve it with a note on the panel.
    office = new_page()
    office.set_viewport_size({"width": 1366, "height": 900})
    login(office, staff.username)
    office.goto(f"/staff/applications/{application.pk}/")
    office.get_by_role("tab", name="협약·점검").click()
    panel = office.locator("#changes")
    expect(panel.locator(f"#change-{change.pk}")).to_contain_text("기간 연장")
    panel.get_by_label("검토 의견").fill("공급사 납품 지연 확인서로 사유를 확인했습니다.")
    assert_accessible(office)
    office.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    shot(office, "after-selection-staff-change-pending-1366")
    panel.get_by_role("button", name="승인", exact=True).click()
    office.get_by_role("dialog", name="협약변경을 승인할까요?").get_by_role("button", name="승인").click()
    expect(office.get_by_text("협약변경을 승인했습니다.")).to_be_visible()
    decided = office.locator("#changes").get_by_role("table", name="처리된 변경")
    expect(decided).to_contain_text("승인")
    expect(decided).to_contain_text("공급사 납품 지연 확인서로 사유를 확인했습니다.")
    expect(office.locator("#agreement")).to_contain_text(_date(new_ends))
    expect(office.locator("#agreement")).to_contain_text("최초 협약 종료일")
    agreement = Agreement.objects.get(application=application)
    assert agreement.ends_on == new_ends and agreement.original_ends_on == ends

    # The SME sees the new end date: on the changes page and on its agreement.
    sme.goto(f"/my/applications/{application.pk}/changes/")
    expect(sme.get_by_text(f"– {_date(new_ends)}")).to_be_visible()
    expect(sme.get_by_role("table", name="변경 신청 내역")).to_contain_text("승인")
    sme.goto(f"/my/applications/{application.pk}/agreement/")
    expect(sme.locator("dl.facts")).to_contain_text(_date(new_ends))
    assert sme.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(sme)
    shot(sme, "after-selection-sme-change-approved-390")
