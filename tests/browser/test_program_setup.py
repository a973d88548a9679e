"""The rubric builder on the program form (issue 17 item 7): rows added, removed and moved in place,
the running total following every keystroke, the server's refusal shown at the row with the rows
kept, and the saved rubric in the order staff gave it."""

import pytest
from playwright.sync_api import expect

from program.models import Program
from tests.browser.conftest import assert_accessible, login, shot
from tests.factories import ProgramFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def rows(page):
    return page.locator("[data-rubric-row]:visible")


def test_staff_build_a_rubric_with_a_live_total_and_see_errors_at_the_row(new_page):
    staff = UserFactory(role="staff")
    program = ProgramFactory(agency=staff.agency, title="2026 상생형")
    page = new_page()
    login(page, staff.username)
    page.goto(f"/staff/programs/{program.pk}/")
    total = page.locator("[data-rubric-total]")
    expect(total).to_have_text("100")
    expect(rows(page)).to_have_count(6)  # the four criteria and two blank rows
    expect(page.locator("[data-rubric-row] input[name$='-ORDER']").first).to_be_hidden()  # script moves rows

    rows(page).nth(3).get_by_role("button", name="삭제").click()  # 상생협력 15
    expect(total).to_have_text("85")
    add = page.get_by_role("button", name="평가 항목 추가")
    add.click()
    add.click()
    expect(rows(page)).to_have_count(7)
    new = rows(page).nth(5)
    new.locator("input[name$='-label']").fill("스마트화 수준")
    new.locator("input[name$='-max_points']").fill("10")
    expect(total).to_have_text("95")
    last = rows(page).nth(6)
    last.locator("input[name$='-label']").fill("사업계획 적정성")  # the same as the first: refused
    last.locator("input[name$='-max_points']").fill("5")
    expect(total).to_have_text("100")
    last.get_by_role("button", name="위로").click()
    expect(rows(page).nth(5).locator("input[name$='-label']")).to_have_value("사업계획 적정성")
    shot(page, "program-rubric-builder")

    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_load_state()
    error = page.locator(".field-error", has_text="같은 이름의 평가 항목")
    expect(error).to_be_visible()
    row = page.locator("[data-rubric-row]", has=error)
    expect(row.locator("input[name$='-label']")).to_have_value("사업계획 적정성")
    expect(row.locator("input[name$='-label']")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-rubric-row]:visible input[value='스마트화 수준']")).to_have_count(1)  # kept
    expect(total).to_have_text("100")  # the deleted row stays deleted
    shot(page, "program-rubric-error")
    assert_accessible(page)

    row.locator("input[name$='-label']").fill("지역 균형")
    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_url("**/staff/programs/")
    program.refresh_from_db()
    assert [(item["label"], item["max_points"]) for item in program.rubric] == [
        ("사업계획 적정성", 30),
        ("추진역량", 25),
        ("기대효과", 30),
        ("지역 균형", 5),
        ("스마트화 수준", 10),
    ]
    assert Program.objects.count() == 1


def test_the_total_off_100_is_told_above_the_rows(new_page):
    staff = UserFactory(role="staff")
    program = ProgramFactory(agency=staff.agency)
    page = new_page()
    login(page, staff.username)
    page.goto(f"/staff/programs/{program.pk}/")
    rows(page).first.locator("input[name$='-max_points']").fill("40")
    expect(page.locator("[data-rubric-total]")).to_have_text("110")
    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#rubric-error")).to_contain_text("110점")


def test_staff_copy_last_years_program_through_the_filled_form(new_page):
    staff = UserFactory(role="staff")
    last_year = ProgramFactory(agency=staff.agency, title="2025 상생형", year=2025)
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, staff.username)
    page.goto(f"/staff/programs/{last_year.pk}/")
    page.get_by_role("link", name="이전 사업 복사: 2026년 사업 만들기").click()
    page.wait_for_url(f"**/staff/programs/{last_year.pk}/copy/")
    expect(page.locator("#copy-note")).to_contain_text("날짜는 새로 입력해 주세요")
    expect(page.locator("#id_title")).to_have_value("2026 상생형")
    expect(page.locator("#id_opens_on")).to_have_value("")
    expect(page.locator("[data-rubric-total]")).to_have_text("100")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)

    page.get_by_role("button", name="저장", exact=True).click()  # without dates: refused at the fields
    page.wait_for_load_state()
    expect(page.locator("#id_opens_on")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_title")).to_have_value("2026 상생형")
    assert Program.objects.count() == 1

    page.locator("#id_opens_on").fill("2026-03-02")
    page.locator("#id_closes_on").fill("2026-04-30")
    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_url("**/staff/programs/")
    copy = Program.objects.get(year=2026)
    assert (copy.title, copy.rubric, copy.status) == ("2026 상생형", last_year.rubric, Program.Status.DRAFT)
