"""`applications_export` (docs/domain.md §9): the staff list with its filters, row by row (XLSX or CSV).

Rows are read in chunks (`iterator(chunk_size=2000)`) and written as they come, so memory stays
flat however many applications there are (docs/performance.md).
"""

from django.http import QueryDict

from applicants.exports import csv_chunks, export_rows
from applicants.exports import write_xlsx as write_export_xlsx
from applicants.filters import ApplicationFilter
from reports.generators.progress import ticking
from reports.generators.scope import report_applications
from reports.models import Report

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
    return ticking(export_rows(queryset), total=total, progress=progress, start=start, end=end)


def write_xlsx(report: Report, path: str, progress) -> None:
    write_export_xlsx(_rows(report, progress), path)


def write_csv(report: Report, path: str, progress) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for line in csv_chunks(_rows(report, progress)):
            handle.write(line)
