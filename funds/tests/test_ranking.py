"""The ranked list per program (docs/domain.md §5): unscored applications are 'not scored yet', and the cut
line falls exactly where either pot no longer covers the next application — page and API alike."""

import pytest

from applicants.models import Application
from funds.ranking import program_ranking
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory, fund_program

pytestmark = pytest.mark.django_db
CUT = "여기부터 재원 부족"
COST = 100_000_000  # 30,000,000 from each pot under the default cost share


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role="staff"))
    return client


def in_evaluation(program, title, score=None, total_cost=COST):
    return ApplicationFactory(
        program=program, evaluation=True, title=title, score=score, total_cost=total_cost
    )


def page(client, program) -> str:
    return client.get(f"/staff/programs/{program.pk}/ranking/").content.decode()


def api(client, program) -> list[dict]:
    return client.get(f"/api/v1/programs/{program.pk}/ranking/").json()


def row_of(body: str, title: str) -> str:
    start = body.index(title)
    return body[start : body.index("</tr>", start)]


def test_unscored_applications_are_not_scored_yet_and_draw_no_line(staff_client):
    """The demo's case: the committee is still at work and 19.6억 is left in the pots."""
    program = ProgramFactory()
    fund_program(program, sponsor=980_000_000, government=980_000_000)
    first, second = in_evaluation(program, "첫째과제"), in_evaluation(program, "둘째과제")
    body = page(staff_client, program)
    assert CUT not in body and "부족" not in body
    assert "미평가" in row_of(body, "첫째과제") and "미평가" in row_of(body, "둘째과제")
    rows = api(staff_client, program)
    assert [(r["application"], r["rank"], r["scored"], r["funded"], r["cut_before"]) for r in rows] == [
        (first.pk, None, False, False, False),
        (second.pk, None, False, False, False),
    ]


def test_unscored_applications_claim_no_money(staff_client):
    program = ProgramFactory()
    fund_program(program, sponsor=60_000_000, government=60_000_000)
    unscored = in_evaluation(program, "미채점과제")
    best, second = in_evaluation(program, "일등", 91), in_evaluation(program, "이등", 85)
    body = page(staff_client, program)
    assert CUT not in body  # both scored ones fit; the unscored one asks nothing of the pots
    assert "가능" in row_of(body, "일등") and "가능" in row_of(body, "이등")
    assert "미평가" in row_of(body, "미채점과제")
    rows = api(staff_client, program)
    assert [(r["application"], r["rank"], r["funded"]) for r in rows] == [
        (best.pk, 1, True),
        (second.pk, 2, True),
        (unscored.pk, None, False),
    ]
    assert not any(r["cut_before"] for r in rows)


@pytest.mark.parametrize("short", ["government", "sponsor"])
def test_the_line_falls_before_the_first_application_a_pot_no_longer_covers(staff_client, short):
    program = ProgramFactory()
    # the short pot holds two and a third projects, the other plenty
    pots = {"government": 1_000_000_000, "sponsor": 1_000_000_000, short: 70_000_000}
    fund_program(program, **pots)
    titles = ["일등과제", "이등과제", "삼등과제", "사등과제"]
    made = [
        in_evaluation(program, title, score) for title, score in zip(titles, (95, 90, 85, 80), strict=True)
    ]
    in_evaluation(program, "미평가과제")
    body = page(staff_client, program)
    assert body.index("이등과제") < body.index(CUT) < body.index("삼등과제")
    assert body.count(CUT) == 1
    assert "부족" in row_of(body, "삼등과제") and "부족" in row_of(body, "사등과제")
    assert "미평가" in row_of(body, "미평가과제")
    rows = api(staff_client, program)
    assert [(r["rank"], r["funded"], r["cut_before"]) for r in rows] == [
        (1, True, False),
        (2, True, False),
        (3, False, True),
        (4, False, False),
        (None, False, False),
    ]
    assert [r["application"] for r in rows[:4]] == [a.pk for a in made]


def test_exactly_enough_money_draws_no_line(staff_client):
    program = ProgramFactory()
    fund_program(program, sponsor=60_000_000, government=60_000_000)
    in_evaluation(program, "일등", 90), in_evaluation(program, "이등", 80)
    assert [row.funded for row in program_ranking(program=program)] == [True, True]
    assert CUT not in page(staff_client, program)


def test_nobody_below_the_line_jumps_over_it():
    program = ProgramFactory()
    fund_program(program, sponsor=50_000_000, government=50_000_000)
    in_evaluation(program, "큰과제", 90, total_cost=200_000_000)  # needs 60,000,000 from each pot
    in_evaluation(program, "작은과제", 80, total_cost=10_000_000)  # would fit on its own
    rows = program_ranking(program=program)
    assert [(row.rank, row.funded, row.cut_before) for row in rows] == [(1, False, True), (2, False, False)]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_ranking_runs_a_constant_number_of_queries(staff_client, rows, django_assert_num_queries):
    program = ProgramFactory()
    fund_program(program, sponsor=500_000_000, government=500_000_000)
    for i in range(rows):
        in_evaluation(program, f"과제{i}", score=None if i % 3 == 0 else 60 + i)
    # session, user, program, pot balances, applications, the evaluators for the committee form
    with django_assert_num_queries(7):
        response = staff_client.get(f"/staff/programs/{program.pk}/ranking/")
    assert len(response.context["ranked"]) == rows
    # session, user, program, pot balances, applications (token/session auth through DRF)
    with django_assert_num_queries(5):
        assert len(api(staff_client, program)) == rows
    assert Application.objects.filter(program=program).count() == rows
