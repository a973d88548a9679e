"""The evaluation form keeps everything typed when one value is refused (issue 13 item 12)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login
from tests.factories import EvaluatorAssignmentFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_refused_score_keeps_the_other_scores_and_the_conflict_choice(new_page):
    assignment = EvaluatorAssignmentFactory()
    page = new_page()
    login(page, assignment.evaluator.username)
    page.goto(f"/evaluations/{assignment.application_id}/")
    page.get_by_label("이해충돌 없음").check()
    typed = {
        "사업계획 적정성 (0–30)": "31",
        "추진역량 (0–25)": "20",
        "기대효과 (0–30)": "25",
        "상생협력 (0–15)": "10",
    }
    for label, value in typed.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("가점 (0, 3, 6, 9, 12)").select_option("6")
    page.get_by_label("평가의견").fill("실행 계획이 구체적임")
    page.get_by_role("button", name="저장").click()

    expect(page.locator("#scores-error")).to_contain_text("0~30점")
    expect(page.get_by_label("이해충돌 없음")).to_be_checked()
    for label, value in typed.items():
        expect(page.get_by_label(label)).to_have_value(value)
    expect(page.get_by_label("가점 (0, 3, 6, 9, 12)")).to_have_value("6")
    expect(page.get_by_label("평가의견")).to_have_value("실행 계획이 구체적임")
    assert_accessible(page)
