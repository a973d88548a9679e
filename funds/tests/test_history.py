"""SPEC §15.4: company_history (the rows, their order and amounts) and company_warnings (banned, repeat
level, another live application in the same year)."""

import datetime

import pytest
from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from funds.history import company_history, company_warnings
from funds.models import CostShare
from program.models import Program
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    CompanyFactory,
    ParticipationBanFactory,
    ProgramFactory,
    SupportRecordFactory,
    fund_program,
)

pytestmark = pytest.mark.django_db

S = Application.Status


def at(status, company, *, year=2024, agency=None, decided=None, **fields):
    """An application of `company` in a program of `year` (its own sponsor; agency as given)."""
    program = ProgramFactory(year=year, **({"agency": agency} if agency else {}))
    decided_at = decided or (timezone.now() if status not in (S.DRAFT, S.SUBMITTED) else None)
    return ApplicationFactory(
        program=program, company=company, status=status, decided_at=decided_at, **fields
    )


# ---- company_history ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED, S.TERMINATED]
)
def test_an_application_selected_or_later_is_history(status):
    company = CompanyFactory()
    at(status, company)
    assert [row["status"] for row in company_history(company.business_number)] == [status]


@pytest.mark.parametrize(
    "status",
    [S.DRAFT, S.SUBMITTED, S.SCREENING, S.CHANGES_REQUESTED, S.EVALUATION, S.REJECTED],
)
def test_an_application_never_selected_is_not(status):
    company = CompanyFactory()
    ApplicationFactory(
        company=company, status=status, decided_at=timezone.now() if status == S.REJECTED else None
    )
    assert company_history(company.business_number) == []


def test_a_withdrawal_counts_only_after_selection():
    company = CompanyFactory()
    ApplicationFactory(company=company, status=S.WITHDRAWN)  # withdrawn in screening: never decided
    after = at(S.WITHDRAWN, company, year=2023)  # withdrawn after its selection (decided_at set)
    rows = company_history(company.business_number)
    assert [(row["status"], row["year"]) for row in rows] == [(S.WITHDRAWN, after.program.year)]


def test_a_row_of_this_system_says_where_and_how_much():
    agency = AgencyFactory(name="중소기업중앙회")
    company = CompanyFactory()
    application = at(
        S.COMPLETED, company, year=2022, agency=agency, level="advanced1", total_cost=200_000_000
    )
    CostShare.objects.create(
        application=application,
        total=200_000_000,
        government=60_000_000,
        sponsor=60_000_000,
        sme=80_000_000,
        computed_at=timezone.now(),
    )
    assert company_history(company.business_number) == [
        {
            "source": "system",
            "program": application.program.title,
            "agency": "중소기업중앙회",
            "year": 2022,
            "level": "advanced1",
            "level_label": "고도화1",
            "status": "completed",
            "status_label": "완료",
            "government": 60_000_000,
            "sponsor": 60_000_000,
        }
    ]


def test_the_amounts_are_the_split_committed_at_selection(staff):
    program = ProgramFactory(year=2025, capped_2022=True)
    fund_program(program, sponsor=1_000_000_000, government=1_000_000_000)
    application = ApplicationFactory(
        program=program, status=S.EVALUATION, level="basic", total_cost=200_000_000
    )
    application_transition(application=application, action="select", actor=staff)
    # 30 % of 2억 is 6,000만, capped at 4,200만; the 1,800만 cut off goes to the sponsor (유형1)
    [row] = company_history(application.company.business_number)
    assert (row["government"], row["sponsor"]) == (42_000_000, 78_000_000)


def test_without_a_stored_split_the_amounts_are_the_split_it_would_get():
    company = CompanyFactory()
    SupportRecordFactory(business_number=company.business_number, level="basic", status="completed")
    # selected, the worker has not stored the split yet: application_split, with the repeat cap (§15.3)
    program = ProgramFactory(year=2026, repeat_gov_cap=20_000_000)
    ApplicationFactory(
        program=program, company=company, status=S.SELECTED, level="basic", total_cost=100_000_000
    )
    system = [row for row in company_history(company.business_number) if row["source"] == "system"]
    assert [(row["government"], row["sponsor"]) for row in system] == [(20_000_000, 30_000_000)]


def test_an_application_without_a_total_has_no_amounts():
    company = CompanyFactory()
    at(S.SELECTED, company, total_cost=None)
    [row] = company_history(company.business_number)
    assert (row["government"], row["sponsor"]) == (None, None)


def test_imported_records_are_included():
    company = CompanyFactory()
    SupportRecordFactory(
        business_number=company.business_number,
        program_name="스마트공장 보급확산 (2019)",
        year=2019,
        level="advanced2",
        government=150_000_000,
        status="completed",
    )
    SupportRecordFactory(business_number=CompanyFactory().business_number)  # another company's
    assert company_history(company.business_number) == [
        {
            "source": "import",
            "program": "스마트공장 보급확산 (2019)",
            "agency": None,
            "year": 2019,
            "level": "advanced2",
            "level_label": "고도화2",
            "status": "completed",
            "status_label": "완료",
            "government": 150_000_000,
            "sponsor": None,
        }
    ]


def test_history_crosses_agencies_and_follows_the_business_number():
    company = CompanyFactory()
    ours = at(S.COMPLETED, company, year=2021)
    theirs = at(S.BUILDING, company, year=2025, agency=AgencyFactory(name="대한상공회의소"))
    at(S.COMPLETED, CompanyFactory(), year=2024)  # another company
    rows = company_history(company.business_number)
    assert [(row["program"], row["agency"]) for row in rows] == [
        (theirs.program.title, "대한상공회의소"),
        (ours.program.title, ours.program.agency.name),
    ]


def test_newest_first_by_year_then_this_system_then_the_most_recent():
    company = CompanyFactory()
    now = timezone.now()
    older_2024 = at(S.COMPLETED, company, year=2024, decided=now - datetime.timedelta(days=300))
    newer_2024 = at(S.COMPLETED, company, year=2024, decided=now - datetime.timedelta(days=30))
    at(S.SELECTED, company, year=2026)
    bn = company.business_number
    first_2024 = SupportRecordFactory(business_number=bn, year=2024, program_name="가져온 2024 가")
    second_2024 = SupportRecordFactory(business_number=bn, year=2024, program_name="가져온 2024 나")
    SupportRecordFactory(business_number=bn, year=2025, program_name="가져온 2025")
    SupportRecordFactory(business_number=bn, year=2018, program_name="가져온 2018")
    rows = company_history(bn)
    assert [(row["year"], row["source"]) for row in rows] == [
        (2026, "system"),
        (2025, "import"),
        (2024, "system"),
        (2024, "system"),
        (2024, "import"),
        (2024, "import"),
        (2018, "import"),
    ]
    assert [row["program"] for row in rows[2:6]] == [
        newer_2024.program.title,
        older_2024.program.title,
        second_2024.program_name,
        first_2024.program_name,
    ]


def test_the_application_shown_can_be_left_out():
    company = CompanyFactory()
    shown = at(S.SELECTED, company, year=2026)
    other = at(S.COMPLETED, company, year=2023)
    rows = company_history(company.business_number, exclude_application_id=shown.pk)
    assert [row["program"] for row in rows] == [other.program.title]


@pytest.mark.parametrize("rows", [1, 6])
def test_two_queries_however_many_rows(rows, django_assert_num_queries):
    company = CompanyFactory()
    for n in range(rows):
        application = at(S.COMPLETED, company, year=2020 + n)
        CostShare.objects.create(
            application=application,
            total=100_000_000,
            government=30_000_000,
            sponsor=30_000_000,
            sme=40_000_000,
            computed_at=timezone.now(),
        )
        SupportRecordFactory(business_number=company.business_number, year=2010 + n)
    with django_assert_num_queries(2):
        assert len(company_history(company.business_number)) == 2 * rows


@pytest.mark.parametrize("rows", [1, 6])
def test_one_more_for_splits_the_worker_has_not_stored(rows, django_assert_num_queries):
    company = CompanyFactory()
    for n in range(rows):
        at(S.SELECTED, company, year=2020 + n)  # no stored split: split with the repeat rule, in one query
        SupportRecordFactory(business_number=company.business_number, year=2010 + n)
    with django_assert_num_queries(3):
        assert len(company_history(company.business_number)) == 2 * rows


# ---- company_warnings -----------------------------------------------------------------------------


def shown(**fields):
    """The application staff look at: in screening in a 2026 program."""
    program = ProgramFactory(year=2026, status=Program.Status.OPEN)
    return ApplicationFactory(program=program, status=S.SCREENING, **fields)


def test_a_company_with_nothing_against_it_has_no_warnings():
    application = shown()
    warnings = company_warnings(application)
    assert warnings.codes == []
    assert (warnings.ban, warnings.repeat_level, warnings.same_year) == (None, False, [])


def test_banned_when_a_ban_covers_today():
    application = shown()
    ban = ParticipationBanFactory(business_number=application.company.business_number)
    warnings = company_warnings(application)
    assert warnings.codes == ["banned"]
    assert warnings.ban == ban


@pytest.mark.parametrize(
    ("starts", "ends", "lifted"),
    [(-400, -1, None), (10, 400, None), (-10, 400, -1)],
    ids=["ended", "not started", "lifted"],
)
def test_not_banned_when_no_ban_covers_today(starts, ends, lifted):
    application = shown()
    today = timezone.localdate()
    ParticipationBanFactory(
        business_number=application.company.business_number,
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=today + datetime.timedelta(days=ends),
        lifted_on=None if lifted is None else today + datetime.timedelta(days=lifted),
    )
    ParticipationBanFactory(subject_type="supplier", business_number=application.company.business_number)
    assert "banned" not in company_warnings(application).codes


def test_repeat_level_with_the_capped_amount():
    application = shown(level="basic", total_cost=200_000_000)
    ApplicationFactory(company=application.company, level="advanced1", status=S.COMPLETED)
    warnings = company_warnings(application)
    assert warnings.codes == ["repeat_level"]
    assert warnings.repeat_gov_cap == 50_000_000  # the program's repeat_gov_cap (no level cap)
    assert warnings.repeat_government == 50_000_000  # 30 % of 2억 = 6,000만, capped


def test_repeat_level_from_an_imported_record():
    application = shown(level="advanced1", total_cost=100_000_000)
    SupportRecordFactory(business_number=application.company.business_number, level="advanced2")
    warnings = company_warnings(application)
    assert warnings.repeat_level is True
    assert warnings.repeat_government == 30_000_000  # under the cap: the split is unchanged


@pytest.mark.parametrize(
    ("level", "status"),
    [("basic", S.COMPLETED), ("advanced2", S.BUILDING), ("advanced2", S.TERMINATED)],
    ids=["a lower level", "not completed", "terminated"],
)
def test_no_repeat_level_below_or_unfinished(level, status):
    application = shown(level="advanced1")
    ApplicationFactory(company=application.company, level=level, status=status)
    SupportRecordFactory(
        business_number=application.company.business_number, level="advanced2", status="withdrawn"
    )
    assert company_warnings(application).repeat_level is False


def test_another_live_application_in_the_same_year_in_any_agency():
    application = shown()
    elsewhere = ProgramFactory(year=2026, agency=AgencyFactory(name="중소기업중앙회"))
    other = ApplicationFactory(program=elsewhere, company=application.company, status=S.EVALUATION)
    warnings = company_warnings(application)
    assert warnings.codes == ["same_year"]
    assert warnings.same_year == [other]
    assert warnings.same_year[0].program.agency.name == "중소기업중앙회"


@pytest.mark.parametrize("status", [S.DRAFT, S.REJECTED, S.WITHDRAWN, S.COMPLETED, S.TERMINATED])
def test_a_draft_or_an_ended_application_is_not_live(status):
    application = shown()
    ApplicationFactory(program=ProgramFactory(year=2026), company=application.company, status=status)
    assert company_warnings(application).same_year == []


def test_a_live_application_of_another_year_is_not_the_same_year():
    application = shown()
    ApplicationFactory(program=ProgramFactory(year=2025), company=application.company, status=S.BUILDING)
    assert company_warnings(application).same_year == []


def test_all_three_at_once_in_three_queries(django_assert_num_queries):
    application = shown(level="basic")
    bn = application.company.business_number
    ParticipationBanFactory(business_number=bn, ends_on=None)
    SupportRecordFactory(business_number=bn, level="basic")
    ApplicationFactory(program=ProgramFactory(year=2026), company=application.company, status=S.SELECTED)
    with django_assert_num_queries(3):
        warnings = company_warnings(application)
    assert warnings.codes == ["banned", "repeat_level", "same_year"]
