"""`fund_status` (docs/domain.md §9): per program, the pots (contributed, committed, paid, recovered,
available), then each funded application's commitments and payments. XLSX."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.spreadsheet import Book, Column
from funds.models import LedgerEntry, Pot
from funds.selectors import (
    PotBalance,
    ledger_sums_by_program,
    no_balances,
    pot_balances_by,
    program_commitments,
)
from program.choices import labels
from reports.generators.progress import ticking
from reports.generators.scope import describe, report_programs
from reports.generators.xlsx import info_sheet
from reports.models import Report

K = LedgerEntry.Kind
CHART_PROGRAMS = 20  # the chart shows the most recent programs; the table has them all
# Per pot, the columns of the programs sheet: 조성액, 약정액 (net of releases), 집행액, 환수액 (what
# clawbacks brought back, SPEC §18.4), 잔액 (which counts it: PotBalance.available).
POT_COLUMNS = ("total", "committed_net", "disbursed", "recovered", "available")


def _pot(balance: PotBalance) -> dict[str, int]:
    """One pot's figures (funds.selectors.PotBalance.figures) and, for the 약정액 columns, what stays
    committed after releases (`committed_net`, docs/domain.md §3.4)."""
    return {**balance.figures(), "committed_net": balance.committed_net}


def fund_status_figures(report: Report) -> dict:
    """Per program: both pots now, and what was committed and paid in the report's period.
    Plain data (ints, strings). Three queries."""
    programs = list(report_programs(report))
    ids = [program.pk for program in programs]
    now = pot_balances_by("program_id", program_id__in=ids)
    has_period = bool(report.period_start or report.period_end)
    moved = (
        ledger_sums_by_program(program_ids=ids, since=report.period_start, until=report.period_end)
        if has_period
        else None
    )
    rows = []
    for program in programs:
        row: dict[str, Any] = {
            "program_id": program.pk,
            "title": program.title,
            "year": program.year,
            "sponsor": program.sponsor.name,
            "status": str(program.get_status_display()),
            "government": _pot(now.get(program.pk, no_balances())[Pot.GOVERNMENT]),
            "sponsor_pot": _pot(now.get(program.pk, no_balances())[Pot.SPONSOR]),
        }
        if moved is not None:
            pots = moved[program.pk].values()
            row["period_committed"] = sum(p[K.COMMITMENT] - p[K.RELEASE] for p in pots)
            row["period_disbursed"] = sum(p[K.DISBURSEMENT] for p in pots)
            row["period_recovered"] = sum(p[K.RECOVERY] for p in pots)
        rows.append(row)
    totals = {
        pot: {key: sum(row[pot][key] for row in rows) for key in POT_COLUMNS}
        for pot in ("government", "sponsor_pot")
    }
    return {"programs": rows, "totals": totals, "has_period": has_period}


def _program_columns(has_period: bool) -> list[Column]:
    columns = [
        Column(_("사업"), 34),
        Column(_("연도"), 7, "count"),
        Column(_("주관기관"), 18),
        Column(_("상태"), 8),
    ]
    for pot in (_("정부"), _("주관기관")):
        columns += [
            Column(_("%(pot)s 조성액") % {"pot": pot}, 16, "money"),
            Column(_("%(pot)s 약정액") % {"pot": pot}, 16, "money"),
            Column(_("%(pot)s 집행액") % {"pot": pot}, 16, "money"),
            Column(_("%(pot)s 환수액") % {"pot": pot}, 16, "money"),
            Column(_("%(pot)s 잔액") % {"pot": pot}, 16, "money"),
        ]
    if has_period:
        columns += [
            Column(_("기간 중 약정액"), 16, "money"),
            Column(_("기간 중 집행액"), 16, "money"),
            Column(_("기간 중 환수액"), 16, "money"),
        ]
    return columns


def _program_row(row: dict, has_period: bool) -> list:
    values = [row["title"], row["year"], row["sponsor"], row["status"]]
    for pot in ("government", "sponsor_pot"):
        values += [row[pot][key] for key in POT_COLUMNS]
    if has_period:
        values += [row["period_committed"], row["period_disbursed"], row["period_recovered"]]
    return values


DETAIL_COLUMNS = [
    Column(gettext_lazy("사업"), 30),
    Column(gettext_lazy("접수번호"), 10, "count"),
    Column(gettext_lazy("기업명"), 20),
    Column(gettext_lazy("과제명"), 36),
    Column(gettext_lazy("상태"), 10),
    Column(gettext_lazy("정부 약정액"), 16, "money"),
    Column(gettext_lazy("정부 집행액"), 16, "money"),
    Column(gettext_lazy("주관기관 약정액"), 16, "money"),
    Column(gettext_lazy("주관기관 집행액"), 16, "money"),
    Column(gettext_lazy("미집행 약정액"), 16, "money"),
]


def _detail_rows(program: dict, statuses):
    for app in program_commitments(program_id=program["program_id"]).iterator(chunk_size=2000):
        gov = app.gov_committed - app.gov_released
        spon = app.sponsor_committed - app.sponsor_released
        yield [
            program["title"],
            app.pk,
            app.company.name,
            app.title,
            statuses.get(app.status, app.status),
            gov,
            app.gov_paid,
            spon,
            app.sponsor_paid,
            gov - app.gov_paid + spon - app.sponsor_paid,
        ]


def write_xlsx(report: Report, path: str, progress) -> None:
    from applicants.models import Application

    figures = fund_status_figures(report)
    progress(10)
    has_period = figures["has_period"]
    book = Book(path)
    table = book.table(_("사업별 기금"), _program_columns(has_period))
    table.extend(_program_row(row, has_period) for row in figures["programs"])
    table.close()
    table.chart(
        title=_("사업별 약정·집행액 (최근 %(n)d개 사업)") % {"n": CHART_PROGRAMS},
        category_col=0,
        value_cols=[5, 6, 10, 11],  # each pot's 약정액 and 집행액
        rows=CHART_PROGRAMS,
        number_format='#,##0,,"백만"',
        at=f"B{len(figures['programs']) + 4}",
    )
    progress(20)
    detail = book.table(_("과제별 약정·집행"), DETAIL_COLUMNS)
    statuses = labels(Application.Status)
    programs = figures["programs"]
    for program in ticking(programs, total=len(programs), progress=progress, start=20, end=95):
        detail.extend(_detail_rows(program, statuses))
    detail.close()
    totals = figures["totals"]
    info_sheet(
        book,
        describe(report),
        [
            (_("정부 조성액 합계"), totals["government"]["total"], "money"),
            (_("정부 약정액 합계"), totals["government"]["committed_net"], "money"),
            (_("정부 집행액 합계"), totals["government"]["disbursed"], "money"),
            (_("정부 환수액 합계"), totals["government"]["recovered"], "money"),
            (_("정부 잔액 합계"), totals["government"]["available"], "money"),
            (_("주관기관 조성액 합계"), totals["sponsor_pot"]["total"], "money"),
            (_("주관기관 약정액 합계"), totals["sponsor_pot"]["committed_net"], "money"),
            (_("주관기관 집행액 합계"), totals["sponsor_pot"]["disbursed"], "money"),
            (_("주관기관 환수액 합계"), totals["sponsor_pot"]["recovered"], "money"),
            (_("주관기관 잔액 합계"), totals["sponsor_pot"]["available"], "money"),
        ],
    )
    book.close()
