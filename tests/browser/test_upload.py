"""The documents step's KRDS file upload in a real browser (issue 17, h6): a file chosen by keyboard or
dropped on the zone, a refused file shown at the field, deleting with a confirmation, the form without
JavaScript, and every /apply/ step fitting 1366 and 390 px with axe-core finding nothing."""

import re

import pytest
from playwright.sync_api import expect

from applicants.models import Attachment
from tests.browser.conftest import axe_run, login, shot
from tests.factories import ApplicationFactory, AttachmentFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def draft():
    owner = UserFactory(applicant=True, username="hanbit")
    return ApplicationFactory(
        company=owner.company, program=ProgramFactory(), total_cost=150_000_000, plan="계획"
    )


def documents_page(new_page, draft, **context):
    page = new_page(**context)
    login(page, "hanbit")
    page.goto(f"/apply/{draft.pk}/documents/")
    return page


def violations(page) -> list[str]:
    """axe-core's findings at every level (issue 17 item 12), one line each."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[', '.join(n['target']) for n in v['nodes']][:4]}"
        for v in axe_run(page).response["violations"]
    ]


def test_a_file_is_chosen_and_uploaded_with_the_keyboard_only(new_page, draft):
    page = new_page()
    # Playwright turns on file-chooser interception without waiting for it (fire and forget); subscribing
    # before the page loads makes sure it is on by the time Space is pressed.
    page.on("filechooser", lambda _chooser: None)
    login(page, "hanbit")
    page.goto(f"/apply/{draft.pk}/documents/")
    kind = page.get_by_label("서류 종류")
    kind.select_option("quote")
    kind.focus()
    page.keyboard.press("Tab")
    expect(page.locator("#id_file")).to_be_focused()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(files=[{"name": "견적서.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    expect(page.locator("[data-chosen]")).to_have_text(re.compile(r"고른 파일: 견적서\.pdf \[\d+ B\]"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="올리기")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#kind-quote").get_by_role("link", name="견적서.pdf")).to_be_visible()
    assert Attachment.objects.get(application=draft).kind == "quote"


def test_a_file_dropped_on_the_zone_is_uploaded(new_page, draft):
    page = documents_page(new_page, draft)
    page.get_by_label("서류 종류").select_option("business_plan")
    zone = page.locator("[data-drop-zone]")
    transfer = page.evaluate_handle(
        """bytes => {
            const transfer = new DataTransfer();
            const file = new File([new Uint8Array(bytes)], "사업계획서.pdf", {type: "application/pdf"});
            transfer.items.add(file);
            return transfer;
        }""",
        list(PDF),
    )
    zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    expect(zone).to_have_class(re.compile(r"\bactive\b"))
    zone.dispatch_event("drop", {"dataTransfer": transfer})
    expect(zone).not_to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator("[data-chosen]")).to_contain_text("사업계획서.pdf")
    page.get_by_role("button", name="올리기").click()
    expect(page.locator("#kind-business_plan").get_by_role("link", name="사업계획서.pdf")).to_be_visible()
    assert Attachment.objects.filter(application=draft, original_name="사업계획서.pdf").exists()


def test_a_refused_file_is_shown_at_the_field_in_the_krds_error_state(new_page, draft):
    page = documents_page(new_page, draft)
    page.get_by_label("서류 종류").select_option("quote")
    page.locator("#id_file").set_input_files(
        files=[{"name": "견적서.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 not a pdf"}]
    )
    page.get_by_role("button", name="올리기").click()
    file_input = page.locator("#id_file")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_file-error")).to_contain_text("파일 내용이 확장자(.pdf)와 맞지 않습니다")
    expect(page.get_by_label("서류 종류")).to_have_value("quote")  # the form is kept
    assert not violations(page)
    shot(page, "apply-documents-error")
    assert not Attachment.objects.exists()


def test_deleting_a_file_asks_first(new_page, draft):
    AttachmentFactory(application=draft, kind="quote", original_name="견적서-A.pdf")
    page = documents_page(new_page, draft)
    delete = page.get_by_role("button", name="삭제 – 견적서-A.pdf")
    delete.click()
    dialog = page.get_by_role("dialog", name="서류를 삭제할까요?")
    expect(dialog).to_contain_text("‘견적서-A.pdf’ 파일을 지웁니다.")
    dialog.get_by_role("button", name="취소").click()
    expect(dialog).to_be_hidden()
    assert Attachment.objects.exists()
    delete.click()
    dialog.get_by_role("button", name="삭제", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("서류를 삭제했습니다.")
    expect(page.get_by_role("link", name="견적서-A.pdf")).to_have_count(0)
    assert not Attachment.objects.exists()


def test_without_javascript_the_browsers_own_file_input_uploads(chromium, live_server, draft):
    context = chromium.new_context(base_url=live_server.url, locale="ko-KR", java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, "hanbit")
        page.goto(f"/apply/{draft.pk}/documents/")
        expect(page.locator(".file-choose")).to_be_hidden()
        file_input = page.locator("#id_file")
        assert file_input.bounding_box()["width"] > 100  # drawn, not KRDS's 1px
        page.get_by_label("서류 종류").select_option("quote")
        file_input.set_input_files(
            files=[{"name": "견적서.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="올리기").click()
        expect(page.get_by_role("link", name="견적서.pdf")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_every_apply_step_fits_the_screen_and_passes_axe(new_page, draft, width):
    AttachmentFactory(application=draft, kind="quote", original_name="견적서-2026-최종본-공급기업-직인.pdf")
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "hanbit")
    found = []
    for step in ("basics", "plan", "documents", "review"):
        page.goto(f"/apply/{draft.pk}/{step}/")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            found.append(f"{step}: the page scrolls sideways ({scroll} > {inner} px)")
        found += [f"{step}: {line}" for line in violations(page)]
        shot(page, f"apply-{step}-{width}")
    page.goto("/apply/new/")
    found += [f"new: {line}" for line in violations(page)]
    assert not found, "\n".join(found)
