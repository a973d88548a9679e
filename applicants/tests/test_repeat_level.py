"""SPEC §15.3: repeat_level_reached, with_repeat_level and application_split (the repeat cap)."""

import pytest

from applicants.models import Application
from applicants.selectors import application_split, repeat_level_reached, with_repeat_level
from tests.factories import ApplicationFactory, CompanyFactory, ProgramFactory, SupportRecordFactory

pytestmark = pytest.mark.django_db

COMPLETED = Application.Status.COMPLETED


def reached(company, level, exclude=None):
    return repeat_level_reached(
        business_number=company.business_number, level=level, exclude_application_id=exclude
    )


def test_a_company_with_nothing_completed_has_not_reached_a_level():
    company = CompanyFactory()
    ApplicationFactory(company=company, level="advanced2", status=Application.Status.BUILDING)
    assert reached(company, "basic") is False


@pytest.mark.parametrize(
    ("done", "asked", "expected"),
    [
        ("basic", "basic", True),
        ("advanced1", "basic", True),
        ("advanced2", "advanced1", True),
        ("basic", "advanced1", False),
        ("advanced1", "advanced2", False),
    ],
)
def test_a_completed_application_counts_at_its_level_and_below(done, asked, expected):
    company = CompanyFactory()
    ApplicationFactory(company=company, level=done, status=COMPLETED)  # another program and agency
    assert reached(company, asked) is expected


def test_the_application_itself_is_excluded():
    company = CompanyFactory()
    done = ApplicationFactory(company=company, level="basic", status=COMPLETED)
    assert reached(company, "basic", exclude=done.pk) is False


@pytest.mark.parametrize(
    ("level", "status", "asked", "expected"),
    [
        ("basic", "completed", "basic", True),
        ("advanced2", "completed", "advanced1", True),
        ("basic", "completed", "advanced1", False),
        ("advanced1", "withdrawn", "basic", False),
    ],
)
def test_an_imported_completed_record_counts_too(level, status, asked, expected):
    company = CompanyFactory()
    SupportRecordFactory(business_number=company.business_number, level=level, status=status)
    assert reached(company, asked) is expected


def test_another_companys_history_does_not_count():
    company = CompanyFactory()
    ApplicationFactory(level="advanced2", status=COMPLETED)
    SupportRecordFactory(level="advanced2")
    assert reached(company, "basic") is False


def test_it_takes_one_query(django_assert_num_queries):
    company = CompanyFactory()
    SupportRecordFactory(business_number=company.business_number)
    with django_assert_num_queries(1):
        assert reached(company, "basic") is True


def test_with_repeat_level_agrees_with_the_selector_in_the_same_query(django_assert_num_queries):
    repeat_company, first_company = CompanyFactory(), CompanyFactory()
    ApplicationFactory(company=repeat_company, level="advanced1", status=COMPLETED)
    SupportRecordFactory(business_number=first_company.business_number, level="basic")
    program = ProgramFactory()
    repeat = ApplicationFactory(program=program, company=repeat_company, level="advanced1", evaluation=True)
    first = ApplicationFactory(program=program, company=first_company, level="advanced1", evaluation=True)
    with django_assert_num_queries(1):
        flags = {a.pk: a.repeat_level for a in with_repeat_level(Application.objects.filter(program=program))}
    assert flags == {repeat.pk: True, first.pk: False}
    for application in (repeat, first):
        assert flags[application.pk] == reached(
            application.company, application.level, exclude=application.pk
        )


def test_application_split_caps_a_repeat_at_the_programs_repeat_cap():
    company = CompanyFactory()
    SupportRecordFactory(business_number=company.business_number, level="advanced1")
    program = ProgramFactory(capped_2022=True)
    application = ApplicationFactory(
        program=program, company=company, level="advanced1", total_cost=400_000_000
    )
    split = application_split(application)
    assert (split.government, split.sponsor, split.sme) == (50_000_000, 190_000_000, 160_000_000)
    assert split.repeat_capped is True
    program.repeat_gov_cap = 30_000_000
    program.save()
    assert application_split(application).government == 30_000_000


def test_application_split_of_a_first_time_company_is_the_plain_split():
    application = ApplicationFactory(
        program=ProgramFactory(capped_2022=True), level="advanced1", total_cost=400_000_000
    )
    split = application_split(application)
    assert (split.government, split.repeat_capped) == (120_000_000, False)
