"""The staff application page in a browser (issue 17 item 6): its sections in KRDS tabs that the
keyboard drives and a URL fragment opens; a PDF and an image previewed inside the page; axe-core
clean at every level and no page-level horizontal scroll, at 1366 and at 390 px."""

import struct
import zlib

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application, Attachment
from tests.browser.conftest import axe_run, login, shot
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

PDF = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]>>endobj
trailer<</Root 1 0 R>>
%%EOF
"""


def _png(width: int = 40, height: int = 30) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(bytes([x * 6, y * 8, 160]) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _attach(application, kind, name, content_type, data):
    attachment = Attachment(
        application=application, kind=kind, original_name=name, content_type=content_type, size=len(data)
    )
    attachment.file.save(name, ContentFile(data), save=True)
    return attachment


@pytest.fixture
def application():
    # Files go to the test run's MEDIA_ROOT (conftest), which the live server already serves from:
    # one changed here would not reach a storage another browser test has opened before this one.
    program = ProgramFactory(required_documents=["business_registration", "business_plan", "quote"])
    application = ApplicationFactory(
        program=program, status=Application.Status.EVALUATION, title="MES 기반 품질 추적 시스템 구축"
    )
    _attach(application, "business_plan", "사업계획서.pdf", "application/pdf", PDF)
    _attach(application, "quote", "현장사진.png", "image/png", _png())
    return application


@pytest.fixture
def office(new_page, application):
    page = new_page()
    login(page, UserFactory(role=Role.STAFF, agency=application.program.agency).username)
    return page


def _selected(page) -> str:
    return page.locator("[role=tab][aria-selected=true]").get_attribute("aria-controls")


def _shown_panels(page) -> list[str]:
    return [p.get_attribute("id") for p in page.locator("[role=tabpanel]").all() if p.is_visible()]


def test_tabs_by_keyboard_and_by_fragment(office, application):
    url = f"/staff/applications/{application.pk}/"
    office.goto(url)
    assert _selected(office) == "tab-overview" and _shown_panels(office) == ["tab-overview"]
    office.locator("#tab-overview-tab").focus()
    office.keyboard.press("ArrowRight")
    expect(office.locator("#tab-documents-tab")).to_be_focused()
    assert _selected(office) == "tab-documents" and _shown_panels(office) == ["tab-documents"]
    assert office.url.endswith("#tab-documents")
    office.keyboard.press("End")
    assert _selected(office) == "tab-history" and "처리 이력" in office.locator("#tab-history").inner_text()
    office.keyboard.press("ArrowRight")  # round to the first
    assert _selected(office) == "tab-overview"
    office.keyboard.press("ArrowLeft")
    assert _selected(office) == "tab-history"
    office.keyboard.press("Home")
    expect(office.locator("#tab-overview-tab")).to_be_focused()
    # only the open tab is in the Tab order; Tab goes on into its panel
    assert office.locator("[role=tab][tabindex='0']").count() == 1

    office.keyboard.press("ArrowRight")
    office.reload()
    assert _selected(office) == "tab-documents"  # a reload opens the same tab
    office.goto(url + "#tab-evaluation")
    assert _selected(office) == "tab-evaluation" and _shown_panels(office) == ["tab-evaluation"]
    office.goto(url + "#panel-documents")  # something inside a tab opens that tab
    assert _selected(office) == "tab-documents"
    office.goto("/staff/applications/")
    office.goto(url)  # no fragment: the tab last opened in this browser tab
    assert _selected(office) == "tab-documents"


def test_without_javascript_every_section_shows(chromium, live_server, application):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    login(page, UserFactory(role=Role.STAFF, agency=application.program.agency).username)
    page.goto(f"/staff/applications/{application.pk}/")
    assert not page.locator("[data-tabs-list]").is_visible()
    assert len(_shown_panels(page)) == page.locator("[role=tabpanel]").count() >= 4
    context.close()


def test_a_pdf_and_an_image_preview_in_the_page(office, application):
    office.goto(f"/staff/applications/{application.pk}/#tab-documents")
    pdf = Attachment.objects.get(application=application, kind="business_plan")
    image = Attachment.objects.get(application=application, kind="quote")
    assert office.locator("iframe").count() == 0  # nothing fetched before it is asked for
    checklist = office.locator("#tab-documents .checklist")
    expect(checklist).to_contain_text("미제출")
    # The image first: Chromium's PDF viewer, while it starts in the frame, can swallow a click made
    # elsewhere in the page, so the frame is opened last.
    photo = office.locator(".checklist-item", has_text="현장사진.png")
    photo.get_by_text("미리보기").click()
    expect(photo.locator("details.preview")).to_have_js_property("open", True)
    img = photo.locator(f"img[src='/applications/{application.pk}/attachments/{image.pk}/?inline=1']")
    img.scroll_into_view_if_needed()  # a lazy image loads once it is near the viewport
    loaded = "img => img.complete && img.naturalWidth === 40"
    office.wait_for_function(loaded, arg=img.element_handle(), timeout=30_000)
    plan = office.locator(".checklist-item", has_text="사업계획서.pdf")
    plan.get_by_text("미리보기").click()
    expect(plan.locator("details.preview")).to_have_js_property("open", True)
    frame = plan.locator("iframe.preview-frame")
    expect(frame).to_be_visible()
    src = f"/applications/{application.pk}/attachments/{pdf.pk}/?inline=1"
    assert frame.get_attribute("src") == src and frame.get_attribute("title")
    answer = office.request.get(src)
    assert answer.ok and answer.headers["content-disposition"].startswith("inline")
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    expect(plan.get_by_role("link", name="사업계획서.pdf", exact=True)).to_have_attribute(
        "href", f"/applications/{application.pk}/attachments/{pdf.pk}/"
    )
    shot(office, "application-preview-1366")


@pytest.mark.parametrize("width", [1366, 390])
def test_axe_finds_nothing_and_nothing_overflows(office, application, width):
    office.set_viewport_size({"width": width, "height": 900})
    problems = []
    for fragment in ("#tab-overview", "#tab-documents", "#tab-evaluation", "#tab-history"):
        office.goto(f"/staff/applications/{application.pk}/{fragment}")
        office.wait_for_load_state("networkidle")
        scroll, inner = office.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{fragment}: {scroll}px wide at {inner}px")
        for violation in axe_run(office).response["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
            problems.append(f"{fragment}: {violation['id']} ({violation['impact']}) {targets}")
    shot(office, f"application-{width}")
    assert not problems, "\n".join(problems)


def test_it_prints_as_the_dossier_every_tab_and_no_actions(office, application):
    office.goto(f"/staff/applications/{application.pk}/#tab-documents")
    assert _shown_panels(office) == ["tab-documents"]
    office.emulate_media(media="print")
    assert len(_shown_panels(office)) == office.locator("[role=tabpanel]").count() >= 4
    assert office.locator(".app-summary").is_visible()
    for hidden in (".actions-card", "[data-tabs-list]", "details.preview"):
        assert not any(el.is_visible() for el in office.locator(hidden).all()), hidden
