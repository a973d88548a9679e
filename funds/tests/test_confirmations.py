"""What cannot be undone asks first (issue 17 item 5): the staff page's 선정 / 탈락 / 포기 buttons and
the money forms carry the KRDS modal's data-confirm (static/js/confirm.js) with what will happen,
amounts included. Without JavaScript the forms submit as before, so a plain POST still works."""

from html.parser import HTMLParser

import pytest

from applicants.models import Application
from applicants.services import application_transition
from config.money import won, won_short
from funds.selectors import fund_balances
from funds.services import cost_share_compute
from tests.factories import ApplicationFactory, ProgramFactory, fund_program

pytestmark = pytest.mark.django_db
S = Application.Status


class _Tags(HTMLParser):
    """Every start tag's attributes, in page order."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(body: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(body)
    return parser.tags


def _button(body: str, action: str) -> dict[str, str | None]:
    found = [
        a
        for tag, a in _tags(body)
        if tag == "button" and a.get("name") == "action" and a.get("value") == action
    ]
    assert len(found) == 1, action
    return found[0]


def _form(body: str, action: str) -> dict[str, str | None]:
    found = [a for tag, a in _tags(body) if tag == "form" and a.get("action") == action]
    assert len(found) == 1, action
    return found[0]


@pytest.fixture
def program():
    program = ProgramFactory()
    fund_program(program, sponsor=300_000_000, government=300_000_000)
    return program


@pytest.fixture
def evaluated(program):
    application = ApplicationFactory(
        program=program, status=S.EVALUATION, total_cost=100_000_000, level="basic"
    )
    cost_share_compute(application=application)
    return application


def test_select_says_what_each_pot_will_commit(client, staff, evaluated, django_assert_max_num_queries):
    share = evaluated.cost_share
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        body = client.get(f"/staff/applications/{evaluated.pk}/").content.decode()
    select = _button(body, "select")
    assert (
        select["data-confirm"]
        == f"정부 {won_short(share.government)}·주관기관 {won_short(share.sponsor)}이 약정됩니다."
    )
    assert select["data-confirm"] == "정부 3,000만\xa0원·주관기관 3,000만\xa0원이 약정됩니다."
    assert select["data-confirm-title"] == "선정할까요?" and select["data-confirm-action"] == "선정"
    assert "data-confirm-danger" not in select and "danger" not in (select.get("class") or "")


def test_select_without_a_current_split_says_so_in_words(client, staff, evaluated):
    evaluated.total_cost = 120_000_000  # changed since the split was stored: the old figures would lie
    evaluated.save(update_fields=["total_cost"])
    client.force_login(staff)
    select = _button(client.get(f"/staff/applications/{evaluated.pk}/").content.decode(), "select")
    assert select["data-confirm"] == "선정하면 사업비 분담액이 정부·주관기관 재원에 약정됩니다."


def test_reject_and_withdraw_are_destructive_and_ask(client, staff, evaluated):
    client.force_login(staff)
    body = client.get(f"/staff/applications/{evaluated.pk}/").content.decode()
    reject, withdraw = _button(body, "reject"), _button(body, "withdraw")
    for button in (reject, withdraw):
        assert "data-confirm-danger" in button and button["class"] == "danger"
    assert "되돌릴 수 없습니다" in reject["data-confirm"] and reject["data-confirm-action"] == "탈락"
    assert withdraw["data-confirm"] == "포기 처리하면 이 신청서는 심사에서 빠지고 되돌릴 수 없습니다."
    # the other buttons of the shared form ask too (issue 17 item 5), but not in the destructive style
    evaluated.status = S.SCREENING
    evaluated.save(update_fields=["status"])
    body = client.get(f"/staff/applications/{evaluated.pk}/").content.decode()
    for action in ("request_changes", "start_evaluation"):
        button = _button(body, action)
        assert button["data-confirm"] and "data-confirm-danger" not in button, action


def test_withdraw_after_selection_says_the_commitment_goes_back(client, staff, evaluated):
    application_transition(application=evaluated, action="select", actor=staff)
    client.force_login(staff)
    withdraw = _button(client.get(f"/staff/applications/{evaluated.pk}/").content.decode(), "withdraw")
    assert "아직 지급하지 않은 약정액은 재원으로 돌아갑니다." in withdraw["data-confirm"]


def test_the_ministry_sees_no_buttons_to_confirm(client, evaluated):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="ministry"))
    body = client.get(f"/staff/applications/{evaluated.pk}/").content.decode()
    assert "data-confirm=" not in body


def test_a_payment_says_what_is_left_to_pay(client, staff, evaluated):
    application_transition(application=evaluated, action="select", actor=staff)
    client.force_login(staff)
    url = f"/staff/applications/{evaluated.pk}/disbursements/"
    form = _form(client.get(f"/staff/applications/{evaluated.pk}/").content.decode(), url)
    assert (
        form["data-confirm"] == "지급을 기록하면 원장에 남아 고칠 수 없습니다. "
        f"지급액은 남은 약정액 {won(60_000_000)}에서 차감됩니다."
    )
    assert form["data-confirm-action"] == "지급 기록" and "data-confirm-danger" not in form
    # the htmx-drawn panel alone carries it too
    panel = client.get(f"/staff/applications/{evaluated.pk}/panels/payments/").content.decode()
    assert _form(panel, url)["data-confirm"] == form["data-confirm"]


def test_a_contribution_says_which_pot_grows(client, staff, program):
    client.force_login(staff)
    body = client.get(f"/staff/programs/{program.pk}/fund/").content.decode()
    forms = [
        a for tag, a in _tags(body) if tag == "form" and a.get("method") == "post" and "data-confirm" in a
    ]
    assert len(forms) == 1
    total = won(fund_balances(program_id=program.pk)["sponsor"].total)
    assert forms[0]["data-confirm"] == (
        f"출연금을 기록하면 주관기관 재원(지금 총액 {total})에 더해지고 "
        f"{program.sponsor.name}의 출연으로 원장에 남아 고칠 수 없습니다."
    )
    assert forms[0]["data-confirm-title"] == "출연금을 기록할까요?"


def test_the_english_page_asks_in_english(client, staff, evaluated):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    select = _button(client.get(f"/staff/applications/{evaluated.pk}/").content.decode(), "select")
    assert "₩30M" in select["data-confirm"] and "억" not in select["data-confirm"]
