"""`program_status` (docs/domain.md §9): applications by status, support level and region, scores and
mentoring, per program. XLSX and PDF."""

from django.db.models import Avg, Case, Count, IntegerField, Max, Min, Q, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Application
from applicants.permissions import SPONSOR_VISIBLE
from config.money import won_short
from config.spreadsheet import Book, Column
from mentoring.models import MentoringAssignment, MentoringSession
from program.choices import Region, SupportLevel
from projects.models import Agreement, AgreementChange, Inspection
from reports.generators.pdf import write_pdf
from reports.generators.scope import describe, report_applications
from reports.generators.svg import bar_chart
from reports.generators.xlsx import info_sheet
from reports.models import Report

S = Application.Status
FUNDED = Q(status__in=SPONSOR_VISIBLE)
# Score bands, highest first: (lower bound, label). The bonus can take a score past 100.
SCORE_BANDS = [
    (90, gettext_lazy("90점 이상")),
    (80, gettext_lazy("80~90점")),
    (70, gettext_lazy("70~80점")),
    (60, gettext_lazy("60~70점")),
    (0, gettext_lazy("60점 미만")),
]


def _band():
    whens = [When(score__gte=low, then=Value(index)) for index, (low, _label) in enumerate(SCORE_BANDS)]
    return Case(*whens, output_field=IntegerField())


def _round(value, places=2):
    return None if value is None else round(float(value), places)


def _by(applications, field: str, choices) -> list[dict]:
    rows = {
        row[field]: row
        for row in applications.values(field)
        .annotate(
            count=Count("id"), funded=Count("id", filter=FUNDED), total_cost=Sum("total_cost", default=0)
        )
        .order_by()
    }
    empty = {"count": 0, "funded": 0, "total_cost": 0}
    return [
        {"code": code, "label": str(label), **{k: rows.get(code, empty)[k] for k in empty}}
        for code, label in choices
    ]


def _by_program(applications) -> list[dict]:
    rows = (
        applications.values("program_id", "program__title", "program__year", "program__sponsor__name")
        .annotate(
            applied=Count("id", filter=~Q(status=S.DRAFT)),
            funded=Count("id", filter=FUNDED),
            completed=Count("id", filter=Q(status=S.COMPLETED)),
            rejected=Count("id", filter=Q(status=S.REJECTED)),
            withdrawn=Count("id", filter=Q(status=S.WITHDRAWN)),
            total_cost=Sum("total_cost", filter=~Q(status=S.DRAFT), default=0),
            mean_score=Avg("score"),
        )
        .order_by("-program__year", "program__title", "program_id")
    )
    return [
        {
            "program_id": row["program_id"],
            "title": row["program__title"],
            "year": row["program__year"],
            "sponsor": row["program__sponsor__name"],
            **{k: row[k] for k in ("applied", "funded", "completed", "rejected", "withdrawn", "total_cost")},
            "mean_score": _round(row["mean_score"]),
        }
        for row in rows
    ]


def _scores(applications) -> dict:
    scored = applications.filter(score__isnull=False)
    summary = scored.aggregate(count=Count("id"), mean=Avg("score"), low=Min("score"), high=Max("score"))
    counts = {
        row["band"]: row["count"]
        for row in scored.values(band=_band()).annotate(count=Count("id")).order_by()
    }
    return {
        "count": summary["count"],
        "mean": _round(summary["mean"]),
        "min": _round(summary["low"]),
        "max": _round(summary["high"]),
        "bands": [
            {"label": str(label), "count": counts.get(i, 0)} for i, (_low, label) in enumerate(SCORE_BANDS)
        ],
    }


def _mentoring(applications) -> dict:
    A = MentoringAssignment.Status
    assignments = MentoringAssignment.objects.filter(application__in=applications).aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=A.ACTIVE)),
        ended=Count("id", filter=Q(status=A.ENDED)),
        cancelled=Count("id", filter=Q(status=A.CANCELLED)),
        mentors=Count("mentor", distinct=True),
        applications=Count("application", distinct=True),
    )
    sessions = MentoringSession.objects.filter(assignment__application__in=applications).aggregate(
        count=Count("id"),
        hours=Sum("hours"),
        visits=Count("id", filter=Q(mode=MentoringSession.Mode.VISIT)),
        online=Count("id", filter=Q(mode=MentoringSession.Mode.ONLINE)),
    )
    wanting = applications.filter(FUNDED, wants_mentoring=True).count()
    return {
        "assignments": assignments,
        "sessions": {**sessions, "hours": _round(sessions["hours"] or 0, 1)},
        "funded_wanting": wanting,
    }


def _projects(applications) -> dict:
    """협약·점검 (SPEC §16, §17): the agreements by status, the approved extensions, the inspections
    by result (every inspection, reworks counted each time). Three queries."""
    agreements = Agreement.objects.filter(application__in=applications).aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in Agreement.Status.values}
    )
    extensions = AgreementChange.objects.filter(
        application__in=applications,
        kind=AgreementChange.Kind.EXTENSION,
        status=AgreementChange.Status.APPROVED,
    ).aggregate(count=Count("id"), projects=Count("application", distinct=True))
    inspections = Inspection.objects.filter(application__in=applications).aggregate(
        **{result: Count("id", filter=Q(result=result)) for result in Inspection.Result.values}
    )
    return {
        "agreements": [
            {"code": code, "label": str(label), "count": agreements[code]}
            for code, label in Agreement.Status.choices
        ],
        "extensions": extensions,
        "inspections": [
            {"code": code, "label": str(label), "count": inspections[code]}
            for code, label in Inspection.Result.choices
        ],
    }


def _project_items(projects: dict) -> list[tuple[str, object, str]]:
    """The 협약·점검 summary as (label, value, kind) lines, for the sheet and the PDF."""
    return [
        *(
            (_("협약 %(status)s") % {"status": row["label"]}, row["count"], "count")
            for row in projects["agreements"]
        ),
        (_("승인된 기간 연장"), projects["extensions"]["count"], "count"),
        *(
            (_("완료점검 %(result)s") % {"result": row["label"]}, row["count"], "count")
            for row in projects["inspections"]
        ),
    ]


def program_status_figures(report: Report) -> dict:
    """Applications of the report's programs (submitted in its period, if it has one), counted by
    status, level, region and program, with scores, mentoring and the agreements and inspections.
    Plain data. Thirteen queries."""
    applications = report_applications(report)
    by_status = _by(applications, "status", S.choices)
    by_program = _by_program(applications)
    return {
        "totals": {
            "applied": sum(row["count"] for row in by_status if row["code"] != S.DRAFT),
            "funded": sum(row["funded"] for row in by_status),
            "completed": next(row["count"] for row in by_status if row["code"] == S.COMPLETED),
            "total_cost": sum(row["total_cost"] for row in by_status if row["code"] != S.DRAFT),
            "programs": len(by_program),
        },
        "by_status": by_status,
        "by_level": _by(applications, "level", SupportLevel.choices),
        "by_region": _by(applications, "company__region", Region.choices),
        "by_program": by_program,
        "scores": _scores(applications),
        "mentoring": _mentoring(applications),
        "projects": _projects(applications),
    }


def _mentoring_items(mentoring: dict) -> list[tuple[str, object, str]]:
    a, s = mentoring["assignments"], mentoring["sessions"]
    return [
        (_("멘토링 희망 선정과제"), mentoring["funded_wanting"], "count"),
        (_("멘토링 배정"), a["total"], "count"),
        (_("진행중 배정"), a["active"], "count"),
        (_("종료 배정"), a["ended"], "count"),
        (_("취소 배정"), a["cancelled"], "count"),
        (_("참여 멘토"), a["mentors"], "count"),
        (_("멘토링 받은 과제"), a["applications"], "count"),
        (_("멘토링 일지"), s["count"], "count"),
        (_("방문"), s["visits"], "count"),
        (_("온라인"), s["online"], "count"),
        (_("멘토링 시간 합계"), s["hours"], "number"),
    ]


def write_xlsx(report: Report, path: str, progress) -> None:
    figures = program_status_figures(report)
    progress(40)
    book = Book(path)
    summary = book.table(
        _("사업별 현황"),
        [
            Column(_("사업"), 34), Column(_("연도"), 7, "count"), Column(_("주관기관"), 18),
            Column(_("신청"), 9, "count"), Column(_("선정·진행"), 9, "count"), Column(_("완료"), 9, "count"),
            Column(_("탈락"), 9, "count"), Column(_("포기"), 9, "count"), Column(_("총사업비"), 18, "money"),
            Column(_("평균 점수"), 10, "score"),
        ],
    )  # fmt: skip
    for row in figures["by_program"]:
        keys = ("title", "year", "sponsor", "applied", "funded", "completed", "rejected", "withdrawn")
        summary.append([*(row[k] for k in keys), row["total_cost"], row["mean_score"]])
    summary.close()
    for name, rows, first in (
        (_("상태별"), figures["by_status"], _("상태")),
        (_("지원수준별"), figures["by_level"], _("지원 수준")),
        (_("지역별"), figures["by_region"], _("지역")),
    ):
        table = book.table(
            name,
            [Column(first, 14), Column(_("건수"), 9, "count"), Column(_("선정"), 9, "count"),
             Column(_("총사업비"), 18, "money")],
        )  # fmt: skip
        table.extend([row["label"], row["count"], row["funded"], row["total_cost"]] for row in rows)
        table.close()
        table.chart(
            title=_("%(by)s 신청·선정 건수") % {"by": first},
            category_col=0,
            value_cols=[1, 2],
            kind="bar" if len(rows) > 8 else "column",
        )
    progress(70)
    scores = figures["scores"]
    table = book.table(_("평가점수"), [Column(_("점수 구간"), 14), Column(_("건수"), 9, "count")])
    table.extend([band["label"], band["count"]] for band in scores["bands"])
    table.close()
    table.chart(
        title=_("평가점수 분포 (평균 %(mean)s점)") % {"mean": scores["mean"] or "–"},
        category_col=0,
        value_cols=[1],
    )
    mentoring = book.table(_("멘토링"), [Column(_("항목"), 22), Column(_("값"), 12, "count")])
    for label, value, kind in _mentoring_items(figures["mentoring"]):
        mentoring.append([label, value], kinds=["text", kind])
    mentoring.close()
    projects = book.table(_("협약·점검"), [Column(_("항목"), 22), Column(_("건수"), 12, "count")])
    for label, value, kind in _project_items(figures["projects"]):
        projects.append([label, value], kinds=["text", kind])
    projects.close()
    totals = figures["totals"]
    info_sheet(
        book,
        describe(report),
        [
            (_("신청 건수"), totals["applied"], "count"),
            (_("선정·진행·완료 건수"), totals["funded"], "count"),
            (_("신청 총사업비"), totals["total_cost"], "money"),
            (_("평균 평가점수"), scores["mean"], "score"),
        ],
    )
    book.close()


def write_pdf_report(report: Report, path: str, progress) -> None:
    figures = program_status_figures(report)
    progress(40)
    level_series = [_("신청"), _("선정")]
    context = {
        "about": describe(report),
        "figures": figures,
        "total_cost": won_short(figures["totals"]["total_cost"]),
        "mentoring": [(label, value) for label, value, _kind in _mentoring_items(figures["mentoring"])],
        "projects": [(label, value) for label, value, _kind in _project_items(figures["projects"])],
        "regions": [row for row in figures["by_region"] if row["count"]],
        "charts": {
            "status": bar_chart(
                [(row["label"], [row["count"]]) for row in figures["by_status"] if row["count"]],
                title=_("상태별 신청 건수"),
            ),
            "level": bar_chart(
                [(row["label"], [row["count"], row["funded"]]) for row in figures["by_level"]],
                series=level_series,
                title=_("지원수준별 신청·선정 건수"),
            ),
            "region": bar_chart(
                [
                    (row["label"], [row["count"], row["funded"]])
                    for row in figures["by_region"]
                    if row["count"]
                ],
                series=level_series,
                title=_("지역별 신청·선정 건수"),
            ),
            "scores": bar_chart(
                [(band["label"], [band["count"]]) for band in figures["scores"]["bands"]],
                title=_("평가점수 분포"),
            ),
            "cost": bar_chart(
                [(row["label"], [row["total_cost"]]) for row in figures["by_level"]],
                fmt=won_short,
                title=_("지원수준별 총사업비"),
            ),
        },
    }
    progress(50)
    write_pdf("reports/pdf/program_status.html", context, path)
