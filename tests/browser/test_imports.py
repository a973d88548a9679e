"""The import pages in a real browser (SPEC §15.5; issue 21 part C): staff upload a support-records CSV
with errors and see the error table (row, column, Korean message) with nothing to confirm, then a clean
file, whose run page follows the task with its progress bar (htmx polling) until it is checked, confirm
it through the confirmation modal and see what was written. Both pages fit 1366 and 390 px (the error
table becomes cards), axe-core finds nothing, Korean and English."""

import pytest
from playwright.sync_api import expect

from applicants.models import SupportRecord
from imports.models import ImportRun
from imports.tests.helpers import csv_bytes, support_row
from tests.browser.conftest import axe_run, login, shot
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]
WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[', '.join(n['target']) for n in v['nodes']][:4]}"
        for v in axe_run(page).response["violations"]
    ]


def shots(page, name: str, suffix: str = "") -> None:
    """The page at both widths (docs/screenshots/ keeps copies): no sideways scroll, axe-core clean."""
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], f"{name} at {width}"
        assert violations(page) == [], f"{name} at {width}"
        shot(page, f"imports-{name}-{width}{suffix}")
    page.set_viewport_size(WIDTHS["1366"])


def upload(page, name: str, content: bytes) -> None:
    page.goto("/staff/imports/")
    page.get_by_label("가져올 자료").select_option("support_records")
    chosen = {"name": name, "mimeType": "text/csv", "buffer": content}
    page.locator("#id_file").set_input_files(files=[chosen])
    page.get_by_role("button", name="올리고 검사하기").click()
    page.wait_for_load_state()


def test_staff_import_a_file_with_errors_then_a_clean_one(new_page, settings, tmp_path, eager_tasks):
    settings.MEDIA_ROOT = tmp_path
    UserFactory(role="staff", username="import-staff")
    page = new_page()
    page.set_viewport_size(WIDTHS["1366"])
    login(page, "import-staff")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="자료 가져오기").click()
    expect(page.get_by_role("heading", name="자료 가져오기", level=1)).to_be_visible()
    shots(page, "list-empty")

    # A file whose two rows are both wrong: checked, the errors listed, nothing to confirm.
    bad = csv_bytes([support_row(사업자등록번호="123-45-67890"), support_row(지원수준="최고", 연도="이천")])
    upload(page, "지원이력-오류.csv", bad)
    expect(page.get_by_role("heading", name="지원이력-오류.csv")).to_be_visible()
    expect(page.locator("#import-run .status")).to_have_text("검사 완료")
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("2")
    expect(errors.nth(0)).to_contain_text("사업자등록번호")
    expect(page.locator("table.import-errors")).to_contain_text("지원수준")
    expect(page.get_by_text("유효한 행이 없어 확정할 수 없습니다.")).to_be_visible()
    expect(page.get_by_role("button", name="가져오기 확정")).to_have_count(0)
    shots(page, "errors")
    failed = ImportRun.objects.get()

    # A clean file. The task runs inside the request here (eager), so the run is checked on first view;
    # put back to checking, the page shows its progress and polls until the run is checked.
    upload(page, "지원이력.csv", csv_bytes([support_row(), support_row()]))
    run = ImportRun.objects.latest("pk")
    assert (run.status, run.valid) == (ImportRun.Status.CHECKED, 2)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CHECKING, progress=60)
    page.reload()
    expect(page.locator("#import-progress-bar")).to_have_attribute("value", "60")
    expect(page.get_by_role("link", name="새로 고침")).to_be_visible()
    shots(page, "progress")
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CHECKED, progress=100)
    confirm = page.get_by_role("button", name="가져오기 확정")
    expect(confirm).to_be_visible(timeout=8_000)  # the next poll (every 2 s) brings the checked run
    expect(page.locator("#import-progress-bar")).to_have_count(0)
    shots(page, "checked")

    confirm.click()
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    expect(modal).to_contain_text("유효한 2행을 기록합니다.")
    modal.locator("[data-confirm-ok]").click()
    page.wait_for_load_state()
    expect(page.locator("#import-run .status")).to_have_text("완료")
    expect(page.locator(".import-counts")).to_contain_text("새로 쓴 행")
    counts = page.locator(".import-counts dd")
    expect(counts.nth(3)).to_have_text("2")  # created
    shots(page, "done")
    assert SupportRecord.objects.count() == 2
    run.refresh_from_db()
    assert (run.status, run.created, run.updated, run.unchanged) == ("done", 2, 0, 0)

    page.goto("/staff/imports/")
    expect(page.locator(f"#run-{run.pk}")).to_contain_text("2 · 0 · 0")
    shots(page, "list")

    english = new_page(locale="en-US")
    login(english, "import-staff")
    english.set_viewport_size(WIDTHS["1366"])
    english.goto(f"/staff/imports/{failed.pk}/")
    shots(english, "errors", "-en")
    english.goto(f"/staff/imports/{run.pk}/")
    shots(english, "done", "-en")
