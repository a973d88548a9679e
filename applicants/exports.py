"""The staff list as CSV or XLSX: Korean headers, KRW as integers with separators in Excel; written
by the product's one spreadsheet writer, so user text is never a formula (config.spreadsheet)."""

import csv
import io
import tempfile

from django.utils import timezone

from applicants.models import Application
from config.spreadsheet import Book, Column, csv_value
from program.business_number import format_business_number
from program.choices import SupportLevel

# (key of export_rows' dicts, column)
COLUMNS = [
    ("id", Column("접수번호", 10)),
    ("program", Column("사업", 30)),
    ("company", Column("기업명", 20)),
    ("business_number", Column("사업자등록번호", 15)),
    ("region", Column("지역", 8)),
    ("industry", Column("업종코드", 10)),
    ("level", Column("지원 수준", 10)),
    ("title", Column("과제명", 40)),
    ("total_cost", Column("총사업비(원)", 16, "money")),
    ("status", Column("상태", 10)),
    ("score", Column("평가점수", 10)),
    ("submitted_at", Column("제출일시", 18)),
]
STATUS = dict(Application.Status.choices)
LEVEL = dict(SupportLevel.choices)


def export_rows(queryset):
    """One dict per application, read in chunks so that memory stays flat on large lists."""
    fields = (
        "id", "program__title", "company__name", "company__business_number", "company__region",
        "company__industry_code", "level", "title", "total_cost", "status", "score", "submitted_at",
    )  # fmt: skip
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        (pk, program, company, number, region, industry, level, title, total, status, score, submitted) = row
        yield {
            "id": pk,
            "program": program,
            "company": company,
            "business_number": format_business_number(number),
            "region": region,
            "industry": industry,
            "level": str(LEVEL.get(level, level)),
            "title": title,
            "total_cost": total,
            "status": str(STATUS.get(status, status)),
            "score": float(score) if score is not None else None,
            "submitted_at": timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "",
        }


def _csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_value(value) for value in values])
    return buffer.getvalue()


def csv_chunks(rows):
    """CSV text line by line, for a streaming response; the BOM makes Excel read Korean UTF-8."""
    yield "\ufeff" + _csv_line([column.label for _key, column in COLUMNS])
    for row in rows:
        yield _csv_line([row[key] for key, _column in COLUMNS])


def write_xlsx(rows, path: str) -> None:
    """One sheet, 신청서, with a frozen and filtered header row; rows written as they come."""
    book = Book(path)
    table = book.table("신청서", [column for _key, column in COLUMNS])
    table.extend([row[key] for key, _column in COLUMNS] for row in rows)
    table.close()
    book.close()


def xlsx_file(rows):
    """A temporary file holding the workbook, positioned at its start (closed by the response)."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # closed by the FileResponse
    write_xlsx(rows, handle.name)
    handle.seek(0)
    return handle
