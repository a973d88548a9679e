"""`outcomes` (docs/domain.md §8, §9): per KPI, the adopters' mean change against the comparison group's,
by program year, and each company's figures. XLSX and PDF."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.spreadsheet import Book, Column
from program.choices import labels
from reports.generators.pdf import write_pdf
from reports.generators.progress import ticking
from reports.generators.scope import describe, is_sponsor_scoped
from reports.generators.svg import bar_chart
from reports.generators.xlsx import info_sheet
from reports.models import Outcome, Report
from reports.outcomes import (
    ADOPTERS,
    COMPARISON,
    MONEY_KPIS,
    change_percent,
    outcome_aggregates,
    outcome_scope,
)
from reports.outcomes import outcome_aggregates_by_year as by_year

DETAIL_COLUMNS = [
    Column(gettext_lazy("사업"), 30),
    Column(gettext_lazy("연도"), 7, "count"),
    Column(gettext_lazy("기업명"), 20),
    Column(gettext_lazy("구분"), 10),
    Column(gettext_lazy("성과지표"), 20),
    Column(gettext_lazy("도입 전"), 16, "number"),
    Column(gettext_lazy("도입 후"), 16, "number"),
    Column(gettext_lazy("변화율(%)"), 11, "percent"),
    Column(gettext_lazy("측정일"), 12),
]


def _year(report: Report) -> int | None:
    """Outcomes are counted by program year: a period within one calendar year means that year."""
    start, end = report.period_start, report.period_end
    return start.year if start and end and start.year == end.year else None


def outcomes_figures(report: Report) -> dict:
    """Per KPI (docs/domain.md §8): label, unit, adopters and comparison {companies, mean_change_percent},
    difference; and the adopters by program year. Plain data. Two queries."""
    scope = {
        "program_id": report.program_id,
        "sponsor_id": report.sponsor_id,
        "year": _year(report),
        "agency_id": report.agency_id,
    }
    kpis = list(outcome_aggregates(**scope).values())
    years = by_year(program_id=report.program_id, sponsor_id=report.sponsor_id, agency_id=report.agency_id)
    if scope["year"] is not None:
        years = [row for row in years if row["year"] == scope["year"]]
    return {"kpis": kpis, "by_year": years, "year": scope["year"]}


def _outcome_rows(report: Report):
    scope = outcome_scope(
        program_id=report.program_id,
        sponsor_id=report.sponsor_id,
        year=_year(report),
        agency_id=report.agency_id,
    )
    # A sponsor sees the comparison group only in the aggregates.
    statuses = ADOPTERS if is_sponsor_scoped(report) else ADOPTERS + COMPARISON
    outcomes = Outcome.objects.filter(scope, application__status__in=statuses)
    return outcomes.order_by("application__program__year", "application_id", "kpi")


def _detail(outcomes, labels: dict):
    adopter, comparison = _("도입기업"), _("비교군")
    fields = (
        "application__program__title", "application__program__year", "application__company__name",
        "application__status", "kpi", "baseline", "result", "measured_on",
    )  # fmt: skip
    for title, year, company, status, kpi, baseline, result, measured in outcomes.values_list(
        *fields
    ).iterator(chunk_size=2000):
        change = change_percent(kpi, baseline, result)
        kind = "money" if kpi in MONEY_KPIS else "number"
        values = [
            title, year, company, adopter if status in ADOPTERS else comparison, labels.get(kpi, kpi),
            float(baseline), float(result), None if change is None else float(change), measured.isoformat(),
        ]  # fmt: skip
        yield values, ["text", "count", "text", "text", "text", kind, kind, "percent", "text"]


def write_xlsx(report: Report, path: str, progress) -> None:
    figures = outcomes_figures(report)
    progress(20)
    book = Book(path)
    table = book.table(
        _("성과지표"),
        [
            Column(_("성과지표"), 22), Column(_("단위"), 8), Column(_("도입기업 수"), 11, "count"),
            Column(_("도입기업 평균 변화율(%)"), 14, "percent"), Column(_("비교군 기업 수"), 11, "count"),
            Column(_("비교군 평균 변화율(%)"), 14, "percent"), Column(_("차이(%p)"), 10, "percent"),
        ],
    )  # fmt: skip
    for row in figures["kpis"]:
        adopters, comparison = row["adopters"], row["comparison"]
        table.append(
            [
                row["label"], row["unit"], adopters["companies"], adopters["mean_change_percent"],
                comparison["companies"], comparison["mean_change_percent"], row["difference"],
            ]
        )  # fmt: skip
    table.close()
    table.chart(
        title=_("성과지표별 평균 변화율(%): 도입기업과 비교군"),
        category_col=0,
        value_cols=[3, 5],
        kind="bar",
        number_format='0"%"',
    )
    years = book.table(
        _("연도별"),
        [Column(_("사업연도"), 9), Column(_("성과지표"), 22), Column(_("도입기업 수"), 11, "count"),
         Column(_("평균 변화율(%)"), 14, "percent")],
    )  # fmt: skip
    years.extend(
        [str(r["year"]), r["label"], r["companies"], r["mean_change_percent"]] for r in figures["by_year"]
    )
    years.close()
    progress(30)
    outcomes = _outcome_rows(report)
    total = outcomes.count()
    detail = book.table(_("기업별 성과"), DETAIL_COLUMNS)
    kpis = labels(Outcome.Kpi)
    for values, kinds in ticking(_detail(outcomes, kpis), total=total, progress=progress, start=30, end=95):
        detail.append(values, kinds=kinds)
    detail.close()
    info_sheet(book, describe(report), [(_("성과 입력 건수"), total, "count")])
    book.close()


def _signed(value) -> str:
    return "–" if value is None else f"{value:+.1f}%"


def write_pdf_report(report: Report, path: str, progress) -> None:
    figures = outcomes_figures(report)
    progress(40)
    reported = [
        row for row in figures["kpis"] if row["adopters"]["companies"] or row["comparison"]["companies"]
    ]
    chart = bar_chart(
        [
            (row["label"], [row["adopters"]["mean_change_percent"], row["comparison"]["mean_change_percent"]])
            for row in reported
        ],
        series=[_("도입기업"), _("비교군")],
        fmt=_signed,
        label_width=150,
        title=_("성과지표별 평균 변화율 (개선이 +)"),
    )
    context = {"about": describe(report), "figures": figures, "kpis": reported, "chart": chart}
    progress(50)
    write_pdf("reports/pdf/outcomes.html", context, path)
