"""Spending in a browser (SPEC §18.1): the SME records a line with its tax invoice on its register,
staff approve it from the review queue; the settlement sheet and the clawbacks page at a desktop's
and a phone's width. axe-core clean on the register and the queue."""

import datetime
import pathlib
import shutil

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from execution.models import Clawback, SpendingLine
from projects.tests.helpers import funded_project, owner_of
from tests.browser.conftest import ARTIFACTS, assert_accessible, login, shot
from tests.factories import (
    DepositFactory,
    SpendingLineFactory,
    UserFactory,
    invoice_number,
    valid_business_number,
)

pytestmark = [pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = pathlib.Path("/work/shots")  # the lead's review folder, when there is one


def shots(page, name: str) -> None:
    """The page at both widths, kept with the other screenshots (and for review when asked)."""
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        shot(page, f"{name}-{width}")
        if SHOTS.is_dir():
            shutil.copy(ARTIFACTS / f"{name}-{width}.png", SHOTS / f"{name}-{width}.png")


def test_the_sme_records_spending_and_staff_approve_it(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = UserFactory(role=Role.STAFF)
    application = funded_project(staff)
    owner = owner_of(application)
    DepositFactory(application=application, amount=20_000_000)
    SpendingLineFactory(
        application=application, item="센서 설치(취소분)", amount=-500_000, credit_note=True, flagged=True
    )
    number = invoice_number()

    sme = new_page()
    login(sme, owner.username)
    sme.goto(f"/my/applications/{application.pk}/")
    sme.get_by_role("link", name="집행 내역·증빙 등록, 기업부담금").click()
    expect(sme.get_by_role("heading", name="집행 내역 등록")).to_be_visible()
    sme.get_by_label("집행일").fill(timezone.localdate().isoformat())
    sme.get_by_label("금액(원, 부가세 제외)").fill("12,000,000")
    sme.get_by_label("집행 내용").fill("MES 소프트웨어 라이선스")
    sme.get_by_label("거래처 사업자등록번호").fill(valid_business_number())
    sme.locator("label").filter(has_text="전자세금계산서").first.click()
    sme.get_by_label("세금계산서 승인번호").fill(number)
    sme.get_by_label("증빙 파일").set_input_files(
        files=[{"name": "세금계산서.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    sme.get_by_role("button", name="집행 내역 등록").click()
    expect(sme.get_by_text("집행 내역을 등록했습니다. 담당자가 증빙을 검토합니다.")).to_be_visible()
    expect(sme.get_by_role("rowheader", name="MES 소프트웨어 라이선스")).to_be_visible()
    assert_accessible(sme)
    shots(sme, "execution-my-spending")
    line = SpendingLine.objects.get(invoice_number=number)
    assert line.status == "pending"

    office = new_page()
    login(office, staff.username)
    office.goto("/")
    office.get_by_role("link", name="집행 검토").first.click()
    row = office.locator(f"#line-{line.pk}")
    expect(row).to_contain_text("MES 소프트웨어 라이선스")
    expect(office.locator("tbody tr").first).to_contain_text("취소(마이너스) 세금계산서")  # flagged first
    assert_accessible(office)
    shots(office, "execution-queue")
    row.get_by_role("button", name="인정", exact=True).click()
    expect(office.locator(f"#line-{line.pk}")).to_contain_text("인정")
    expect(office.locator(f"#line-{line.pk}").get_by_role("button")).to_have_count(0)
    line.refresh_from_db()
    assert (line.status, line.reviewed_by_id) == ("approved", staff.pk)

    Clawback.objects.create(
        application=application,
        reason="false_evidence",
        government=1_000_000,
        sponsor=1_000_000,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    office.goto(f"/staff/applications/{application.pk}/settlement/")
    expect(office.get_by_role("heading", name="정산서")).to_be_visible()
    shots(office, "execution-settlement-sheet")
    office.goto("/staff/clawbacks/")
    expect(office.get_by_text("기한 경과").first).to_be_visible()
    shots(office, "execution-clawbacks")
    office.goto(f"/staff/applications/{application.pk}/#tab-funds")
    shots(office, "execution-panels")
