"""The ranking page in a real browser (issue 17 items 5, 6): 선정 from a row asks with the amounts and
selects; 탈락 without a reason comes back with the error at the field; a committee goes on many
applications at once; the page passes axe-core and never scrolls sideways at 1366 and 390 px. And the
payments panel's dialog states the amount actually typed and what remains after it."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applicants.models import Application, EvaluatorAssignment
from applicants.services import application_transition
from tests.browser.conftest import axe_run, login, shot
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, fund_program

pytestmark = [pytest.mark.django_db(transaction=True)]


def _scene():
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory(title="2026 상생형 스마트공장 구축지원사업")
    fund_program(program, sponsor=50_000_000, government=50_000_000)  # one project of 30,000,000 each
    first = ApplicationFactory(program=program, evaluation=True, title="MES 품질 추적", score=91)
    second = ApplicationFactory(program=program, evaluation=True, title="설비 데이터 수집 고도화", score=84)
    third = ApplicationFactory(program=program, evaluation=True, title="창고 자동화")
    UserFactory(role=Role.EVALUATOR, username="evaluator-kim", first_name="김평가")
    return staff, program, (first, second, third)


def _violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in axe_run(page).response["violations"]
    ]


def test_select_from_the_ranking_asks_with_the_amounts_and_reject_needs_a_reason(new_page):
    staff, program, (first, second, _third) = _scene()
    office = new_page()
    login(office, staff.username)
    office.goto(f"/staff/programs/{program.pk}/ranking/")

    row = office.locator(f"#rank-{first.pk}")
    row.get_by_role("button", name="선정").click()
    dialog = office.get_by_role("dialog", name="선정할까요?")
    expect(dialog).to_contain_text("정부 3,000만 원·주관기관 3,000만 원이 약정됩니다.")
    expect(dialog.get_by_role("button", name="선정", exact=True)).to_be_focused()
    assert not _violations(office)
    dialog.get_by_role("button", name="선정", exact=True).click()
    expect(office.locator(".messages")).to_contain_text("'MES 품질 추적'을(를) 선정했습니다.")
    expect(office.locator(f"#rank-{first.pk}")).to_have_count(0)  # selected: out of the ranking
    first.refresh_from_db()
    assert first.status == Application.Status.SELECTED

    # 탈락 with no reason: asked in red, then refused at the field with the page kept
    row = office.locator(f"#rank-{second.pk}")
    row.locator("summary").click()
    row.get_by_role("button", name="탈락 처리").click()
    reject = office.get_by_role("dialog", name="탈락 처리할까요?")
    expect(reject.get_by_role("button", name="탈락", exact=True)).to_have_class("krds-btn medium danger")
    reject.get_by_role("button", name="탈락", exact=True).click()
    row = office.locator(f"#rank-{second.pk}")
    expect(row.locator(".form-hint-invalid")).to_contain_text("'탈락'에는 사유를 입력해야 합니다.")
    note = row.get_by_label("탈락 사유")
    expect(note).to_have_attribute("aria-invalid", "true")
    note.fill("평가 점수 미달")
    row.get_by_role("button", name="탈락 처리").click()
    office.get_by_role("dialog", name="탈락 처리할까요?").get_by_role(
        "button", name="탈락", exact=True
    ).click()
    expect(office.locator(".messages")).to_contain_text("탈락 처리했습니다.")
    second.refresh_from_db()
    assert second.status == Application.Status.REJECTED


def test_a_committee_for_every_application_at_once(new_page):
    staff, program, applications = _scene()
    office = new_page()
    login(office, staff.username)
    office.goto(f"/staff/programs/{program.pk}/ranking/")
    office.get_by_label("모든 신청서 선택").check()  # static/js/ranking.js
    for application in applications:
        expect(office.locator(f"#pick-{application.pk}")).to_be_checked()
    office.get_by_label("김평가 (evaluator-kim)").check()
    office.get_by_role("button", name="선택한 신청서에 배정").click()
    expect(office.locator(".messages")).to_contain_text("평가위원 3건 배정, 0건 이미 배정")
    assert EvaluatorAssignment.objects.filter(evaluator__username="evaluator-kim").count() == 3


@pytest.mark.parametrize(("width", "locale"), [(1366, "ko-KR"), (390, "ko-KR"), (390, "en-US")])
def test_the_ranking_fits_the_screen_and_passes_axe(new_page, width, locale):
    staff, program, (first, second, _third) = _scene()
    application_transition(application=first, action="select", actor=staff)  # the pots now fall short
    office = new_page(locale)
    office.set_viewport_size({"width": width, "height": 900})
    login(office, staff.username)
    office.goto(f"/staff/programs/{program.pk}/ranking/")
    expect(office.locator(".cut-line")).to_be_visible()
    office.locator(f"#rank-{second.pk} summary").click()  # the reject form open too
    shot(office, f"ranking-{width}" + ("-en" if locale == "en-US" else ""))
    scroll, inner = office.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the page is {scroll}px wide at {width}px"
    assert not _violations(office)


def test_the_payment_dialog_states_the_typed_amount_and_what_remains(new_page):
    staff = UserFactory(role=Role.STAFF)
    program = ProgramFactory()
    fund_program(program, sponsor=300_000_000, government=300_000_000)
    application = ApplicationFactory(program=program, evaluation=True, total_cost=100_000_000)
    application_transition(application=application, action="select", actor=staff)  # 60,000,000 committed

    office = new_page()
    login(office, staff.username)
    office.goto(f"/staff/applications/{application.pk}/#tab-funds")  # the payments' tab
    payments = office.locator("#panel-payments")
    payments.get_by_label("지급액(원)").fill("1,200만")
    payments.get_by_role("button", name="지급 기록").click()
    dialog = office.get_by_role("dialog", name="지급을 기록할까요?")
    expect(dialog).to_contain_text("지급액 12,000,000원을 기록합니다.")
    expect(dialog).to_contain_text("남는 미지급 약정액: 48,000,000원")
    dialog.get_by_role("button", name="취소").click()

    payments.get_by_label("지급액(원)").fill("")  # nothing typed: the plain message
    payments.get_by_role("button", name="지급 기록").click()
    expect(dialog).to_contain_text("남은 약정액 60,000,000원에서 차감됩니다.")
    dialog.get_by_role("button", name="취소").click()

    payments.get_by_label("지급액(원)").fill("70,000,000")  # more than is owed: said before sending
    payments.get_by_role("button", name="지급 기록").click()
    expect(dialog).to_contain_text(
        "지급액 70,000,000원이 남은 약정액 60,000,000원보다 커서 기록되지 않습니다."
    )
