"""`applications_export` (docs/domain.md §9): the staff list with its filters, row by row (XLSX or CSV),
with the agreement's status and period and the newest inspection's result after the list's columns
(issue 19 item 5).

Rows are read in chunks (`iterator(chunk_size=2000)`) and written as they come, so memory stays
flat however many applications there are (docs/performance.md); the agreement and inspection of a
chunk's rows are read in one query per chunk.
"""

import csv
import io
from itertools import islice

from django.http import QueryDict

from applicants.exports import COLUMNS as LIST_COLUMNS
from applicants.exports import export_rows
from applicants.filters import ApplicationFilter
from applicants.models import Application
from config.spreadsheet import Book, Column, csv_value
from projects.selectors_sponsor import agreement_status_label, inspection_result_label, with_project_state
from reports.generators.progress import ticking
from reports.generators.scope import report_applications
from reports.models import Report

CHUNK = 2000
COLUMNS = [
    *LIST_COLUMNS,
    ("agreement_status", Column("협약 상태", 10)),
    ("agreement_starts_on", Column("협약 시작일", 12)),
    ("agreement_ends_on", Column("협약 종료일", 12)),
    ("inspection_result", Column("완료점검 결과", 12)),
]
FILTER_KEYS = ("status", "program", "level", "region", "industry", "submitted_after", "submitted_before", "q")
DEFAULT_ORDERING = "-submitted_at"


def filter_data(filters: dict) -> QueryDict:
    """The staff list's query string as stored in Report.filters."""
    data = QueryDict(mutable=True)
    for key, value in filters.items():
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            data.setlist(key, [str(item) for item in value])
        else:
            data[key] = str(value)
    data.setdefault("ordering", DEFAULT_ORDERING)
    return data


def report_export_queryset(report: Report):
    filterset = ApplicationFilter(
        filter_data(report.filters), queryset=report_applications(report, rows=True)
    )
    if not filterset.is_valid():  # validated on request; a stored filter can't turn invalid
        raise ValueError(filterset.errors.as_json())
    return filterset.qs


def _rows(report: Report, progress, start: float = 5, end: float = 97):
    queryset = report_export_queryset(report)
    total = queryset.count()
    progress(start)
    rows = with_project_columns(export_rows(queryset))
    return ticking(rows, total=total, progress=progress, start=start, end=end)


def with_project_columns(rows):
    """The list's rows, each with its agreement's status, current period and newest inspection
    result: one query per chunk of rows, whatever their number."""
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        projects = with_project_state(Application.objects.filter(pk__in=[r["id"] for r in chunk]))
        fields = ("agreement_status", "agreement_starts_on", "agreement_ends_on", "inspection_result")
        state = {pk: values for pk, *values in projects.order_by().values_list("pk", *fields)}
        for row in chunk:
            status, starts_on, ends_on, result = state.get(row["id"]) or (None, None, None, None)
            yield {
                **row,
                "agreement_status": agreement_status_label(status) if status else "",
                "agreement_starts_on": starts_on.isoformat() if starts_on else "",
                "agreement_ends_on": ends_on.isoformat() if ends_on else "",
                "inspection_result": inspection_result_label(result),
            }


def write_xlsx(report: Report, path: str, progress) -> None:
    """One sheet, 신청서, the list's columns then the project's."""
    book = Book(path)
    table = book.table("신청서", [column for _key, column in COLUMNS])
    table.extend([row[key] for key, _column in COLUMNS] for row in _rows(report, progress))
    table.close()
    book.close()


def _csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_value(value) for value in values])
    return buffer.getvalue()


def write_csv(report: Report, path: str, progress) -> None:
    """The BOM makes Excel read Korean UTF-8."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff" + _csv_line([column.label for _key, column in COLUMNS]))
        for row in _rows(report, progress):
            handle.write(_csv_line([row[key] for key, _column in COLUMNS]))
