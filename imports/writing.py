"""Import files written: the templates offered for download, the samples in docs/samples/ and the bench's
100,000-row files. XLSX through the product's one spreadsheet writer (config/spreadsheet.py, rows
streamed to disk), CSV in UTF-8 with a BOM so that Excel opens the Korean headers as Korean."""

import csv
from collections.abc import Iterable, Sequence

from config.spreadsheet import Book, Column, csv_value
from imports.reading import HEADERS

WIDTHS = {"사업자등록번호": 16, "기업명": 20, "사업명": 36, "사유": 36, "근거": 28, "정부지원금": 16}
# Numbers that are amounts: a number cell with thousands separators in the XLSX.
KINDS = {"정부지원금": "money", "연도": "text"}


def write_xlsx(path: str, kind: str, rows: Iterable[Sequence]) -> None:
    book = Book(path)
    columns = [Column(title, WIDTHS.get(title, 12), KINDS.get(title, "text")) for title in HEADERS[kind]]
    table = book.table("가져오기", columns)
    table.extend(rows)
    table.close()
    book.close()


def write_csv(path: str, kind: str, rows: Iterable[Sequence]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS[kind])
        writer.writerows([csv_value(value) for value in row] for row in rows)


def write_file(path: str, kind: str, fmt: str, rows: Iterable[Sequence]) -> None:
    (write_xlsx if fmt == "xlsx" else write_csv)(path, kind, rows)
