"""The report generators (docs/domain.md §9): one per kind and format, each writing a complete file at a
path and reporting progress (0–99) through a callback. Which formats each kind comes in is
decided here: XLSX for all, PDF for program_status and outcomes, CSV for applications_export."""

from collections.abc import Callable

from reports.generators import applications, fund_status, outcomes, program_status
from reports.models import Report

K, F = Report.Kind, Report.Format

GENERATORS: dict[tuple[str, str], Callable] = {
    (K.FUND_STATUS, F.XLSX): fund_status.write_xlsx,
    (K.PROGRAM_STATUS, F.XLSX): program_status.write_xlsx,
    (K.PROGRAM_STATUS, F.PDF): program_status.write_pdf_report,
    (K.OUTCOMES, F.XLSX): outcomes.write_xlsx,
    (K.OUTCOMES, F.PDF): outcomes.write_pdf_report,
    (K.APPLICATIONS_EXPORT, F.XLSX): applications.write_xlsx,
    (K.APPLICATIONS_EXPORT, F.CSV): applications.write_csv,
}
FORMATS: dict[str, list[str]] = {
    kind: [fmt for fmt in F.values if (kind, fmt) in GENERATORS] for kind in K.values
}
CONTENT_TYPES = {
    F.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    F.PDF: "application/pdf",
    F.CSV: "text/csv; charset=utf-8",
}


def generate(report: Report, path: str, progress: Callable[[float], None]) -> None:
    """Write the report's file at `path` (which it may overwrite), calling `progress` on the way."""
    GENERATORS[(report.kind, report.format)](report, path, progress)
