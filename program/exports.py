"""The audit trail as a workbook (`/staff/audit/export.xlsx`): the page's rows in the page's words,
written by the product's one spreadsheet writer (config/spreadsheet.py)."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.spreadsheet import Book, Column
from program.audit import AuditRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[Column]:
    return [
        Column(_("일시"), 18),
        Column(_("수행자"), 14),
        Column(_("행위"), 16),
        Column(_("대상"), 40),
        Column(_("내용"), 60),
        Column(_("변경 내용"), 60),
        Column(_("메모"), 40),
    ]


def _values(row: AuditRow) -> list:
    changes = "\n".join(
        f"{change.label}: {change.before} → {change.after}"
        if change.before
        else f"{change.label}: {change.after}"
        for change in row.changes
    )
    when = timezone.localtime(row.event.created_at).strftime("%Y-%m-%d %H:%M:%S")
    return [when, row.actor, str(row.action), row.target, row.sentence, changes, row.note]


def audit_export_response(rows: list[AuditRow]) -> FileResponse:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # closed by the FileResponse
    book = Book(handle.name)
    table = book.table(_("감사 기록"), _columns())
    table.extend(_values(row) for row in rows)
    table.close()
    book.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(handle, as_attachment=True, filename=f"audit-{stamp}.xlsx", content_type=XLSX)
