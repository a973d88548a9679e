"""The staff list as CSV or XLSX: Korean headers, KRW as integers with separators in Excel; user
text never a formula (applicants.spreadsheet)."""

import csv
import io
import tempfile

from django.utils import timezone

from applicants.models import Application
from applicants.spreadsheet import csv_value, open_workbook, write_cell
from program.business_number import format_business_number
from program.choices import SupportLevel

COLUMNS = [
    ("id", "접수번호", 10),
    ("program", "사업", 30),
    ("company", "기업명", 20),
    ("business_number", "사업자등록번호", 15),
    ("region", "지역", 8),
    ("industry", "업종코드", 10),
    ("level", "지원 수준", 10),
    ("title", "과제명", 40),
    ("total_cost", "총사업비(원)", 16),
    ("status", "상태", 10),
    ("score", "평가점수", 10),
    ("submitted_at", "제출일시", 18),
]
MONEY = {"total_cost"}
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
    yield "\ufeff" + _csv_line([label for _key, label, _width in COLUMNS])
    for row in rows:
        yield _csv_line([row[key] for key, _label, _width in COLUMNS])


def write_xlsx(rows, path: str) -> None:
    """A sheet with a frozen header row, filters and the KRW number format; rows written as they come."""
    workbook = open_workbook(path)
    sheet = workbook.add_worksheet("신청서")
    header = workbook.add_format({"bold": True, "bg_color": "#DDE7F3", "border": 1})
    money = workbook.add_format({"num_format": '#,##0"원"'})
    for col, (_key, label, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width, money if _key in MONEY else None)
        sheet.write_string(0, col, label, header)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, (key, _label, _width) in enumerate(COLUMNS):
            write_cell(sheet, count, col, row[key], money if key in MONEY else None)
    sheet.autofilter(0, 0, max(count, 1), len(COLUMNS) - 1)
    workbook.close()


def xlsx_file(rows):
    """A temporary file holding the workbook, positioned at its start (closed by the response)."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # closed by the FileResponse
    write_xlsx(rows, handle.name)
    handle.seek(0)
    return handle
