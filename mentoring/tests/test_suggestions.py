"""Ranked mentor suggestions (docs/domain.md §7): order, reasons, who is left out, and a constant query
count."""

import datetime

import pytest

from mentoring.models import Mentor, MentoringAssignment
from mentoring.suggestions import mentor_suggestions
from mentoring.vocabulary import needed_expertise
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    MentorFactory,
    MentoringAssignmentFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    """A 경북 maker of machinery (KSIC 29) building MES with vision inspection: needs MES and 품질."""
    return ApplicationFactory(
        selected=True,
        company=CompanyFactory(region="경북", industry_code="29199"),
        supplier=SupplierFactory(solution_areas=["MES", "vision"]),
        title="스마트공장 구축",
        plan="생산실적 집계와 출하 전 불량 관리.",
    )


def busy(mentor, count=1):
    for _ in range(count):
        MentoringAssignmentFactory(mentor=mentor)
    return mentor


def mentor(name, *, ksic=("29",), regions=("경북",), expertise=("mes", "quality"), **fields):
    return MentorFactory(
        name=name, ksic_divisions=list(ksic), regions=list(regions), expertise=list(expertise), **fields
    )


def ranked(application, **kwargs):
    return [(s.mentor.name, s.score) for s in mentor_suggestions(application=application, **kwargs)]


def test_mentors_rank_by_industry_region_expertise_and_load(application):
    mentor("전부일치")  # 35 + 20 + 35 + 10
    mentor("업종만", regions=["경기"], expertise=["mes"])  # 35 + 0 + 17 + 10
    mentor("지역전문", ksic=["30"])  # 0 + 20 + 35 + 10
    busy(mentor("지역전문바쁨", ksic=["30"]))  # 0 + 20 + 35 + 5
    mentor("무관", ksic=["10"], regions=["제주"], expertise=["safety"])  # 10
    assert ranked(application) == [
        ("전부일치", 100),
        ("지역전문", 65),
        ("업종만", 62),
        ("지역전문바쁨", 60),
        ("무관", 10),
    ]


def test_the_reasons_are_shown_in_korean(application):
    busy(mentor("김멘토", expertise=["quality", "mes", "safety"], capacity=3))
    (suggestion,) = mentor_suggestions(application=application)
    assert suggestion.reasons == [
        "업종 일치: 29(기타 기계 및 장비)",
        "활동 지역 일치: 경북",
        "전문분야 일치: 품질, MES",  # in the order of the expertise list
        "현재 배정 1/3건",
    ]
    assert suggestion.mentor.load == 1


def test_a_mentor_matching_nothing_shows_only_its_load(application):
    mentor("무관", ksic=["10"], regions=["제주"], expertise=["safety"])
    (suggestion,) = mentor_suggestions(application=application)
    assert suggestion.reasons == ["현재 배정 0/2건"]


def test_ties_go_to_the_lower_load_then_the_name_then_the_id(application):
    # Equal scores: 35 + 20 + 35 + 5 for load 1 of 2 and for load 2 of 4.
    busy(mentor("다멘토"))
    busy(mentor("가멘토", capacity=4), 2)
    second_na = mentor("나멘토", capacity=4)
    first_na = mentor("나멘토", capacity=4)
    busy(second_na, 2)
    busy(first_na, 2)
    order = [(s.mentor.name, s.mentor.load) for s in mentor_suggestions(application=application)]
    assert order == [("다멘토", 1), ("가멘토", 2), ("나멘토", 2), ("나멘토", 2)]
    ids = [s.mentor.pk for s in mentor_suggestions(application=application)]
    assert ids[2:] == sorted([first_na.pk, second_na.pk])


def test_who_cannot_take_the_application_is_left_out(application):
    mentor("배정가능")
    mentor("비활동", is_active=False)
    busy(mentor("한도초과", capacity=1))
    mentor("공급기업소속", supplier=application.supplier)
    mentor("다른공급기업", supplier=SupplierFactory())
    MentoringAssignmentFactory(mentor=mentor("이미배정"), application=application)
    MentoringAssignmentFactory(mentor=mentor("전에배정"), application=application, status="ended")
    names = {name for name, _score in ranked(application)}
    assert names == {"배정가능", "다른공급기업", "전에배정"}


def test_at_most_ten_best_first(application):
    for i in range(12):
        mentor(f"멘토{i:02d}", regions=["경북"] if i % 2 else ["경기"])
    suggestions = mentor_suggestions(application=application)
    assert len(suggestions) == 10
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert len(mentor_suggestions(application=application, limit=3)) == 3


def test_without_a_supplier_the_plan_alone_says_what_is_needed():
    application = ApplicationFactory(
        selected=True, supplier=None, title="에너지 절감", plan="FEMS로 전력 사용량을 관리합니다."
    )
    mentor("에너지", ksic=["10"], regions=["제주"], expertise=["energy"])
    mentor("MES", ksic=["10"], regions=["제주"], expertise=["mes"])
    assert ranked(application) == [("에너지", 45), ("MES", 10)]


@pytest.mark.parametrize(
    ("areas", "text", "needed"),
    [
        (["MES"], "", {"mes"}),
        (["ERP", "SCM"], "", {"erp"}),
        (["FEMS"], "", {"energy"}),
        (["vision", "QMS"], "", {"quality"}),
        (["automation", "iot", "PLM", "POP"], "", {"automation", "maintenance", "process", "mes"}),
        (["unknown"], "", set()),
        ([], "MES를 도입하고 불량률을 낮춘다", {"mes", "quality"}),
        ([], "Predictive maintenance and OEE", {"maintenance"}),
        ([], "sometimes at times", set()),  # "mes" only as a word
        ([], "협동로봇으로 자동화, 중대재해 예방", {"automation", "safety"}),
        ([], "리드타임 단축과 재고 축소", {"process", "erp"}),
    ],
)
def test_needed_expertise_comes_from_the_solutions_and_the_plan(areas, text, needed):
    assert needed_expertise(solution_areas=areas, text=text) == needed


def _pool(size: int) -> None:
    """`size` mentors of every kind, a tenth of them busy, some of them excluded."""
    supplier = SupplierFactory()
    Mentor.objects.bulk_create(
        Mentor(
            name=f"멘토{i:05d}",
            expertise=[["mes"], ["quality", "erp"], ["energy"]][i % 3],
            ksic_divisions=[str(10 + i % 25)],
            regions=[["경북"], ["경기"], ["서울", "경북"]][i % 3],
            capacity=1 + i % 3,
            is_active=i % 17 != 0,
            supplier=supplier if i % 19 == 0 else None,
        )
        for i in range(size)
    )
    others = [ApplicationFactory(selected=True) for _ in range(3)]
    mentors = list(Mentor.objects.order_by("id")[: size // 10])
    MentoringAssignment.objects.bulk_create(
        MentoringAssignment(
            mentor=m,
            application=others[i % 3],
            starts_on=datetime.date(2026, 3, 2),
            ends_on=datetime.date(2026, 6, 1),
            status="active" if i % 4 else "ended",
        )
        for i, m in enumerate(mentors)
    )


@pytest.mark.parametrize("size", [20, 200, 2000])
def test_suggestions_take_three_queries_whatever_the_number_of_mentors(
    application, size, django_assert_num_queries
):
    _pool(size)
    with django_assert_num_queries(3):  # the application; every candidate scored; the best ten loaded
        suggestions = mentor_suggestions(application=application)
        reasons = [reason for s in suggestions for reason in s.reasons]
        affiliations = [(s.mentor.sponsor, s.mentor.supplier) for s in suggestions]
    assert len(suggestions) == len(affiliations) == 10
    assert reasons
