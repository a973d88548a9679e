"""지원 이력 (SPEC §15.4): what a business number was granted, in any program or agency, here and in the
imported records, and the three warnings the staff application page shows beside it.

Here in funds, the lowest app that reads everything a row needs: the application and its program
(applicants, program), the committed split (`funds.CostShare`) and the imported `SupportRecord`s.
A shared register (docs/domain.md §1.1): it crosses agencies, so it takes no user; who may read it
is the caller's question (`can_view_support_history`).
"""

import datetime
from dataclasses import dataclass, field
from typing import TypedDict

from django.db.models import F, Q
from django.utils import timezone

from accounts.roles import is_official
from applicants.bans_selectors import ban_covering
from applicants.models import Application, ParticipationBan, SupportRecord
from applicants.selectors import application_split, repeat_level_reached, with_repeat_level
from program.choices import SupportLevel

S = Application.Status

# Selected and every state after it (docs/domain.md §4). A withdrawal is counted only after selection
# (its `decided_at`, set by `select` and `reject` alone — and a rejected one cannot be withdrawn).
AFTER_SELECTION = (S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW, S.COMPLETED, S.TERMINATED)
REACHED_SELECTION = Q(status__in=AFTER_SELECTION) | Q(status=S.WITHDRAWN, decided_at__isnull=False)

# Not yet decided or still running: a draft is not an application yet (it has no 접수번호, staff
# do not see it), and rejected, withdrawn, completed and terminated ones are over (Application.ENDED).
LIVE = tuple(status for status in S.values if status not in (S.DRAFT, *Application.ENDED))

SYSTEM, IMPORT = "system", "import"


class HistoryRow(TypedDict):
    source: str  # "system" (an application here) or "import" (a SupportRecord)
    program: str
    agency: str | None  # None for an imported record
    year: int
    level: str
    level_label: str
    status: str
    status_label: str
    government: int | None  # None: a system application without a total cost yet
    sponsor: int | None  # None for an imported record


def can_view_support_history(user) -> bool:
    """Staff of any agency and the ministry (SPEC §14: support history is a shared register)."""
    return is_official(user)


def _system_rows(business_number: str, exclude_application_id: int | None) -> list[tuple[tuple, HistoryRow]]:
    """One query: the applications with their program, agency and stored split joined in; a second
    only when some still wait for their split (`_unsplit_repeat`)."""
    applications = (
        Application.objects.filter(REACHED_SELECTION, company__business_number=business_number)
        .select_related("program", "program__agency", "cost_share")
        .defer("plan", "program__description")
    )
    if exclude_application_id is not None:
        applications = applications.exclude(pk=exclude_application_id)
    found = list(applications.order_by(F("decided_at").desc(nulls_last=True), "-pk"))
    repeat = _unsplit_repeat(found)
    rows = []
    for application in found:
        government, sponsor = _amounts(application, repeat.get(application.pk))
        row = HistoryRow(
            source=SYSTEM,
            program=application.program.title,
            agency=application.program.agency.name,
            year=application.program.year,
            level=application.level,
            level_label=str(SupportLevel(application.level).label),
            status=application.status,
            status_label=str(S(application.status).label),
            government=government,
            sponsor=sponsor,
        )
        rows.append(((-application.program.year, 0), row))
    return rows


def _unsplit_repeat(applications: list[Application]) -> dict[int, bool]:
    """The §15.3 repeat rule (with_repeat_level) of the applications with a total and no stored split
    yet (selected a moment ago, the worker not through): one query for all of them, none when every
    split is stored — as nearly always. Kept out of the main query, whose subqueries would cost every
    company the time to build and plan them."""
    unsplit = [a.pk for a in applications if a.total_cost is not None and _stored(a) is None]
    if not unsplit:
        return {}
    annotated = with_repeat_level(Application.objects.filter(pk__in=unsplit))
    return dict(annotated.values_list("pk", "repeat_level"))  # type: ignore[misc]  # an annotation


def _stored(application: Application):
    return getattr(application, "cost_share", None)  # None when select_related found no row


def _amounts(application: Application, repeat: bool | None) -> tuple[int | None, int | None]:
    """The split committed at selection (CostShare), else the one it would get now (application_split)."""
    share = _stored(application)
    if share is not None:
        return share.government, share.sponsor
    if application.total_cost is None:
        return None, None
    split = application_split(application, repeat=repeat)
    return split.government, split.sponsor


def _import_rows(business_number: str) -> list[tuple[tuple, HistoryRow]]:
    """One query on the records' business-number index; the last imported first within a year."""
    records = SupportRecord.objects.filter(business_number=business_number).order_by("-year", "-pk")
    return [
        (
            (-record.year, 1),
            HistoryRow(
                source=IMPORT,
                program=record.program_name,
                agency=None,
                year=record.year,
                level=record.level,
                level_label=str(SupportLevel(record.level).label),
                status=record.status,
                status_label=str(S(record.status).label) if record.status in S.values else record.status,
                government=record.government,
                sponsor=None,
            ),
        )
        for record in records.only("program_name", "year", "level", "status", "government")
    ]


def company_history(business_number: str, *, exclude_application_id: int | None = None) -> list[HistoryRow]:
    """Every application of `business_number`, in any program or agency, that reached `selected`
    (selected, agreement, building, completion review, completed, terminated, and withdrawn after
    selection — not one rejected or withdrawn before it, nor one still being decided), and every
    imported SupportRecord of it, as SPEC §15.4 rows.

    Newest first: by year (the program's 사업연도, the record's 연도), and within a year the
    applications here before the imported records, each the most recent first (the latest decision;
    the last imported). Amounts: the government and sponsor shares committed at selection (the
    stored cost share), or the split application_split gives now when none is stored; an imported
    record has its government amount only.

    Two queries however many rows (three while a split waits for the worker).
    `exclude_application_id`: leave that application out (the page of that application shows the
    company's other history)."""
    rows = _system_rows(business_number, exclude_application_id) + _import_rows(business_number)
    # Python's sort is stable: within a year and a source, each query's own order stays.
    rows.sort(key=lambda item: item[0])
    return [row for _key, row in rows]


@dataclass(frozen=True)
class CompanyWarnings:
    """The three warnings of SPEC §15.4 about one application's company."""

    ban: ParticipationBan | None = None  # (a) a participation ban covering today
    repeat_level: bool = False  # (b) a project completed at this level or a higher one (SPEC §15.3)
    repeat_gov_cap: int | None = None  # the government share's cap then (level cap and repeat cap)
    repeat_government: int | None = None  # the application's government share under that cap
    same_year: list[Application] = field(default_factory=list)  # (c) other live applications this year

    @property
    def codes(self) -> list[str]:
        """`banned`, `repeat_level`, `same_year`: the warnings that apply, in that order."""
        flags = {
            "banned": self.ban is not None,
            "repeat_level": self.repeat_level,
            "same_year": bool(self.same_year),
        }
        return [code for code, on in flags.items() if on]


def company_warnings(application: Application, *, today: datetime.date | None = None) -> CompanyWarnings:
    """(a) banned: a company ban covering today for the application's business number; (b) repeat
    level: the company already completed a project at the same or a higher level (any program or
    agency, or an imported record: repeat_level_reached), with the government cap that follows and
    the share it gives; (c) same year: its other live applications (submitted to selected and
    running: neither a draft nor ended) in programs of the same year, in any program or agency.

    Three queries; the application's program and company are expected loaded."""
    today = today or timezone.localdate()
    business_number = application.company.business_number
    ban = ban_covering(
        subject_type=ParticipationBan.SubjectType.COMPANY, business_number=business_number, on=today
    )
    repeat = repeat_level_reached(
        business_number=business_number, level=application.level, exclude_application_id=application.pk
    )
    cap = government = None
    if repeat:
        cap = application.program.cost_share_policy().gov_cap(application.level, repeat=True)
        if application.total_cost is not None:
            government = application_split(application, repeat=True).government
    same_year = list(
        Application.objects.filter(
            company__business_number=business_number, program__year=application.program.year, status__in=LIVE
        )
        .exclude(pk=application.pk)
        .select_related("program", "program__agency")
        .defer("plan", "program__description")
        .order_by("-pk")
    )
    return CompanyWarnings(
        ban=ban, repeat_level=repeat, repeat_gov_cap=cap, repeat_government=government, same_year=same_year
    )
