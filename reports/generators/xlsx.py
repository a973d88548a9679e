"""Workbooks written row by row (xlsxwriter `constant_memory`): Korean headers, the KRW format,
a frozen header row and filters on every table, and native Excel charts. Cells are written by
applicants.spreadsheet: user text is always a text cell, never a formula."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from applicants.spreadsheet import is_number, open_workbook, write_cell

KRW = '#,##0"원"'
NUMBER = "#,##0"
NUMBER_FORMATS = {
    "text": None,
    "money": KRW,
    "count": "#,##0",
    "percent": '0.0"%"',
    "score": "0.00",
    "number": NUMBER,  # a measured figure: its own decimals, cell by cell (see decimals())
    "date": "yyyy-mm-dd",
}
# Measured figures (outcomes, mentoring hours) are kept to 4 places. Excel has no format that shows
# 52 as "52" and 52.5 as "52.5" with thousands separators ("#,##0.####" shows "52."), so each cell
# gets the format of exactly the decimals its value has.
MAX_DECIMALS = 4
CHART_COLORS = ["#2F6FB3", "#E08A2E", "#3C9D5D", "#8E5BB5", "#C0504D"]


def decimals(value) -> int:
    """The decimal places `value` has, at most MAX_DECIMALS: 52 → 0, 52.5 → 1, 0.125 → 3."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-MAX_DECIMALS)).normalize()
    exponent = exact.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN: as before, no number of places to give
        raise TypeError(f"not a finite number: {value!r}")
    return max(0, -exponent)


@dataclass(frozen=True)
class Column:
    label: str | Promise  # written as str(label)
    width: float = 14
    kind: str = "text"  # a key of NUMBER_FORMATS


class Table:
    """One sheet holding one table: header in row 1 (frozen, filtered), then the rows."""

    def __init__(self, book: "Book", name: str, columns: Sequence[Column]):
        self.book = book
        self.name = name
        self.columns = list(columns)
        self.sheet = book.workbook.add_worksheet(name)
        self.row = 0
        for col, column in enumerate(self.columns):
            self.sheet.set_column(col, col, column.width, book.formats[column.kind])
            self.sheet.write_string(0, col, str(column.label), book.formats["header"])
        self.sheet.freeze_panes(1, 0)

    def append(self, values: Sequence, kinds: Sequence[str] | None = None) -> None:
        """One row; `kinds` overrides the columns' formats for this row (e.g. a KRW value)."""
        self.row += 1
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = kinds[col] if kinds else self.columns[col].kind
            write_cell(self.sheet, self.row, col, value, self.book.cell_format(kind, value))

    def extend(self, rows: Iterable[Sequence]) -> None:
        for values in rows:
            self.append(values)

    def close(self) -> None:
        self.sheet.autofilter(0, 0, max(self.row, 1), len(self.columns) - 1)

    def chart(
        self,
        *,
        title: str,
        category_col: int,
        value_cols: Sequence[int],
        kind: str = "column",
        at: str | None = None,
        rows: int | None = None,
        number_format: str | None = None,
    ) -> None:
        """A native chart of some columns of this table (the first `rows` rows), beside the table."""
        last = min(self.row, rows) if rows else self.row
        if last < 1:
            return
        chart = self.book.workbook.add_chart({"type": kind})
        for index, col in enumerate(value_cols):
            color = CHART_COLORS[index % len(CHART_COLORS)]
            chart.add_series(
                {
                    "name": [self.name, 0, col],
                    "categories": [self.name, 1, category_col, last, category_col],
                    "values": [self.name, 1, col, last, col],
                    "fill": {"color": color},
                    "border": {"color": color},
                }
            )
        chart.set_title({"name": title, "name_font": {"name": "맑은 고딕", "size": 12}})
        chart.set_legend({"position": "bottom" if len(value_cols) > 1 else "none"})
        font = {"num_font": {"name": "맑은 고딕"}}
        values_axis = {**font, "num_format": number_format} if number_format else font
        # A column chart's values run up the y axis; a bar chart's along the x axis.
        chart.set_y_axis(values_axis if kind == "column" else font)
        chart.set_x_axis(font if kind == "column" else values_axis)
        height = 320 if kind == "column" else max(320, 24 * last + 80)
        chart.set_size({"width": 720, "height": height})
        self.sheet.insert_chart(at or xlsxwriter.utility.xl_rowcol_to_cell(1, len(self.columns) + 1), chart)


class Book:
    """A workbook at `path`; add tables with `table()`, then `close()`."""

    def __init__(self, path: str):
        self.workbook = open_workbook(path)
        self.formats = {kind: self._format(pattern) for kind, pattern in NUMBER_FORMATS.items()}
        self.formats["header"] = self.workbook.add_format(
            {"bold": True, "bg_color": "#DDE7F3", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        self.formats["label"] = self.workbook.add_format({"bold": True})
        self.decimal_formats = [
            self._format(NUMBER + ("." + "0" * places if places else ""))
            for places in range(MAX_DECIMALS + 1)
        ]

    def _format(self, pattern: str | None):
        return self.workbook.add_format({"num_format": pattern}) if pattern else None

    def cell_format(self, kind: str, value):
        if kind == "number" and is_number(value):
            return self.decimal_formats[decimals(value)]
        return self.formats[kind]

    def table(self, name: str, columns: Sequence[Column]) -> Table:
        return Table(self, name, columns)

    def info(self, about: dict, extra: Sequence[tuple[str, object, str]] = ()) -> None:
        """The 정보 sheet: what the report covers and when it was made, then any totals."""
        table = self.table(_("정보"), [Column(_("항목"), 22), Column(_("내용"), 48)])
        table.append([_("보고서"), about["title"]])
        table.append([_("대상"), about["scope"]])
        table.append([_("기간"), about["period"]])
        table.append([_("작성일시"), about["made_at"]])
        table.append([_("구분"), _("정기 보고서") if about["scheduled"] else _("요청 보고서")])
        for label, value, kind in extra:
            table.append([label, value], kinds=["text", kind])
        table.close()

    def close(self) -> None:
        self.workbook.close()
