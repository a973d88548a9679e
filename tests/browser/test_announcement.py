"""The 공고 page of a program (SPEC §19) at 1366 and 390 px: no sideways scroll, axe-core finds no
violation at any level, the FAQ opens by keyboard; and staff preview the Markdown on the program form."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from program import announcements
from program.models import ProgramFaq, ProgramFile
from tests.browser.conftest import axe_run, login, shot
from tests.factories import ProgramFactory, SponsorFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

ANNOUNCEMENT = """## 사업 목적

중소·중견기업의 **스마트공장** 구축을 지원합니다.
자세한 내용은 [사업관리시스템](https://www.smart-factory.kr/)에서 확인하세요.

### 일정

1. 공고: 3월
2. 평가: 4월

<script>alert(1)</script>
"""


def _program():
    today = timezone.localdate()
    program = ProgramFactory(
        sponsor=SponsorFactory(name="LS ELECTRIC"),
        title="2026 상생형 스마트공장 구축지원사업(유형1) 대·중소기업 상생협력 공고",
        capped_2022=True,
        closes_on=today + datetime.timedelta(days=5),
        announcement=ANNOUNCEMENT,
        eligibility="제조업을 영위하는 중소기업(스마트공장 기초 이상 구축 희망 기업)",
        contact="대·중소기업·농어업협력재단 스마트공장추진단\n02-000-0000 · smart@example.kr",
    )
    ProgramFaq.objects.create(
        program=program,
        question="이전에 지원받은 기업도 신청할 수 있나요?",
        answer="고도화 단계로 신청할 수 있습니다.",
    )
    staff = UserFactory(role=Role.STAFF, agency=program.agency)
    pdf = SimpleUploadedFile("2026_공고문_최종본_스마트공장_구축지원사업.pdf", b"%PDF-1.7\n%%EOF\n")
    announcements.program_file_add(
        actor=staff, program=program, kind=ProgramFile.Kind.NOTICE, title="2026 공고문", upload=pdf
    )
    return program, staff


def _problems(page, name, width) -> list[str]:
    found = []
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        found.append(f"{name} at {width}px: the page is {scroll}px wide")
    for violation in axe_run(page).response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:4]
        found.append(f"{name} at {width}px: {violation['id']} ({violation['impact']}) — {targets}")
    return found


@pytest.mark.parametrize("width", [1366, 390])
def test_the_announcement_fits_the_screen_and_passes_axe(new_page, width):
    program, _staff = _program()
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.get_by_role("link", name=program.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(program.title)
    expect(page.get_by_text("마감까지 5일")).to_be_visible()
    expect(page.get_by_role("link", name="신청하기")).to_be_visible()
    question = page.locator("summary", has_text="이전에 지원받은 기업도")
    question.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("고도화 단계로 신청할 수 있습니다.")).to_be_visible()
    shot(page, f"announcement-{width}")
    problems = _problems(page, "announcement", width)
    assert not problems, "\n".join(problems)


def test_staff_preview_the_announcement_on_the_program_form(new_page):
    program, staff = _program()
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, staff.username)
    page.goto(f"/staff/programs/{program.pk}/")
    page.fill("#id_announcement", "## 새 안내\n\n**굵게** <b>raw</b>")
    page.get_by_role("button", name="미리보기").click()
    preview = page.locator(".announcement-preview")
    expect(preview.locator("h3", has_text="새 안내")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("굵게")
    expect(preview).to_contain_text("<b>raw</b>")
    page.get_by_role("button", name="질문 추가").click()
    expect(page.locator("[data-faq-row]")).to_have_count(3)
    shot(page, "program-edit-preview-1366")
    problems = _problems(page, "program-edit", 1366)
    assert not problems, "\n".join(problems)
