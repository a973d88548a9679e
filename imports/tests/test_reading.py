"""Reading and checking import files (SPEC §15.5): whole-file errors, per-row Korean errors, formats."""

import datetime
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports import reading, rules
from imports.reading import ImportFileError, check
from imports.tests.helpers import ban_row, csv_bytes, support_row, xlsx_bytes
from tests.factories import valid_business_number

pytestmark = pytest.mark.django_db  # the rules read the choices' labels only; no row is written


def _check(content: bytes, kind: str = "support_records", name: str = "a.csv"):
    return check(io.BytesIO(content), name, kind)


def _errors(content: bytes, kind: str = "support_records", name: str = "a.csv"):
    return [(e.row, e.column, e.message) for e in _check(content, kind, name).errors]


def _file_error(content: bytes, name: str = "a.csv", kind: str = "support_records") -> ImportFileError:
    with pytest.raises(ImportFileError) as raised:
        _check(content, kind, name)
    return raised.value


def test_a_clean_file_is_all_valid():
    result = _check(csv_bytes([support_row(), support_row()]))
    assert (result.rows, result.valid, result.error_count, result.errors) == (2, 2, 0, [])


def test_each_cell_error_names_row_column_and_what_is_wrong():
    number = valid_business_number()
    wrong_digit = number[:9] + str((int(number[9]) + 1) % 10)
    rows = [
        support_row(사업자등록번호=wrong_digit),
        support_row(사업자등록번호="12345"),
        support_row(기업명=" "),
        support_row(연도="2024.5"),
        support_row(지원수준="고급"),
        support_row(정부지원금="1,000만"),
        support_row(정부지원금="1500.5"),
        support_row(정부지원금="-5"),
        support_row(상태="끝남"),
        support_row(사업명=""),
    ]
    assert _errors(csv_bytes(rows)) == [
        (
            2,
            "사업자등록번호",
            "사업자등록번호의 검증번호(끝자리)가 맞지 않습니다. 번호를 다시 확인해 주세요.",
        ),
        (
            3,
            "사업자등록번호",
            "사업자등록번호는 숫자 10자리(예: 1234567890 또는 123-45-67890)로 입력해 주세요.",
        ),
        (4, "기업명", "값을 입력해 주세요."),
        (5, "연도", "연도는 2000부터 2100 사이의 정수로 입력해 주세요."),
        (6, "지원수준", "알 수 없는 지원수준입니다: '고급'. 기초, 고도화1, 고도화2 중 하나로 입력해 주세요."),
        (7, "정부지원금", "금액은 0 이상의 정수(원)로 입력해 주세요. 예: 50000000 또는 50,000,000"),
        (8, "정부지원금", "금액은 원 단위 정수로 입력해 주세요. 소수는 쓸 수 없습니다."),
        (9, "정부지원금", "금액은 0 이상의 정수(원)로 입력해 주세요. 예: 50000000 또는 50,000,000"),
        (10, "상태", "알 수 없는 상태입니다: '끝남'. 선정, 협약, 구축, 완료 등으로 입력해 주세요."),
        (11, "사업명", "값을 입력해 주세요."),
    ]


def test_a_row_repeating_an_earlier_key_is_an_error_on_the_later_row():
    first = support_row()
    other_year = support_row(사업자등록번호=first["사업자등록번호"], 연도="2024")
    repeat = dict(first, 정부지원금="1")
    result = _check(csv_bytes([first, other_year, repeat]))
    assert (result.rows, result.valid) == (3, 2)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (4, "", "2행과 사업자등록번호·사업명·연도가 같은 중복 행입니다.")
    ]


def test_codes_labels_dashes_and_spaces_are_accepted():
    number = valid_business_number()
    dashed = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    rows = [
        support_row(사업자등록번호=dashed, 지원수준="advanced2", 상태="completed", 정부지원금="0"),
        support_row(지원수준="고도화 2", 상태=" 선정 ", 정부지원금="120000000"),
    ]
    assert _check(csv_bytes(rows)).errors == []


def test_cp949_and_utf8_without_bom_are_read():
    rows = [support_row(기업명="한글기업"), support_row()]
    for encoding in ("cp949", "euc-kr", "utf-8"):
        assert _check(csv_bytes(rows, encoding=encoding)).valid == 2


def test_header_order_is_free_extra_columns_ignored_spaces_around_ignored():
    headers = [" 상태", "비고", "정부지원금 ", "연도", "지원수준", "사업명", "기업명", "사업자등록번호"]
    assert _check(csv_bytes([support_row(), support_row()], headers=headers)).valid == 2


def test_missing_headers_are_named():
    headers = ["사업자등록번호", "기업명", "연도", "지원수준", "정부지원금"]
    error = _file_error(csv_bytes([support_row()], headers=headers))
    assert error.code == "wrong_headers"
    assert error.message.startswith("필요한 열이 없습니다: 사업명, 상태.")


def test_whole_file_errors():
    assert _file_error(b"").message == "빈 파일입니다. 내용이 있는 XLSX 또는 CSV 파일을 올려 주세요."
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    assert _file_error(png, "사진.xlsx").code == "not_a_spreadsheet"
    assert _file_error(png, "사진.csv").code == "not_a_spreadsheet"
    assert _file_error(b"PK\x03\x04" + bytes(100), "a.xlsx").code == "not_a_spreadsheet"
    assert _file_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "a.xls").message.startswith(
        "예전 엑셀"
    )
    assert _file_error(csv_bytes([])).code == "no_rows"
    assert _file_error(b"\r\n\r\n").code == "empty_file"


def test_a_50_mb_file_is_refused_with_the_limit():
    big = io.BytesIO()
    big.write(csv_bytes([support_row()]))
    big.seek(50 * 1024 * 1024 - 1)
    big.write(b"\n")
    with pytest.raises(ImportFileError) as raised:
        check(big, "big.csv", "support_records")
    assert raised.value.code == "file_too_large"
    assert "20.0\xa0MB" in raised.value.message


def test_xlsx_with_numbers_and_excel_dates():
    number = valid_business_number()
    rows = [[int(number), "가나", "상생형", 2023, "기초", 50000000, "완료"]]
    result = check(io.BytesIO(xlsx_bytes(rows)), "a.xlsx", "support_records")
    assert (result.valid, result.errors) == (1, [])
    bans = [[number, "공급기업", "허위 서류", "", datetime.datetime(2024, 3, 2), datetime.date(2025, 3, 1)]]
    rows_read = list(reading.parsed_rows(io.BytesIO(xlsx_bytes(bans, "bans")), "b.xlsx", "bans"))
    assert rows_read[0].values == {
        "business_number": number,
        "subject_type": "supplier",
        "reason": "허위 서류",
        "basis": "",
        "starts_on": datetime.date(2024, 3, 2),
        "ends_on": datetime.date(2025, 3, 1),
    }


def test_xlsx_decimal_amount_is_refused():
    rows = [[valid_business_number(), "가나", "상생형", 2023, "기초", 1500.5, "완료"]]
    errors = check(io.BytesIO(xlsx_bytes(rows)), "a.xlsx", "support_records").errors
    assert [(e.row, e.column) for e in errors] == [(2, "정부지원금")]


def test_ban_dates_defaults_and_order():
    rows = [
        ban_row(시작일="2024. 3. 2.", 종료일=""),
        ban_row(시작일="2024-03-02", 종료일="영구"),
        ban_row(시작일="2024-03-02", 종료일="2024-03-01"),
        ban_row(시작일="2024/03/02"),
        ban_row(시작일="2024-02-30"),
        ban_row(대상="협력사"),
    ]
    parsed = list(reading.parsed_rows(io.BytesIO(csv_bytes(rows, "bans")), "b.csv", "bans"))
    assert parsed[0].values["ends_on"] == datetime.date(2027, 3, 1)
    assert parsed[1].values["ends_on"] is None
    assert [(e.column, e.message) for p in parsed[2:] for e in p.errors] == [
        ("종료일", "종료일은 시작일과 같거나 그 뒤여야 합니다."),
        ("시작일", "날짜는 2024-03-02 또는 2024. 3. 2. 형식으로 입력해 주세요."),
        ("시작일", "없는 날짜입니다: 2024-02-30"),
        ("대상", "알 수 없는 대상입니다: '협력사'. 기업 또는 공급기업으로 입력해 주세요."),
    ]


def test_errors_kept_are_capped_and_all_counted():
    rows = [support_row(연도="x") for _ in range(30)]
    result = check(io.BytesIO(csv_bytes(rows)), "a.csv", "support_records", errors_kept=10)
    assert (result.error_count, len(result.errors)) == (30, 10)


@given(st.integers(min_value=0, max_value=rules.MAX_AMOUNT))
def test_amounts_read_back_with_or_without_commas(value):
    assert rules.amount(str(value)) == value
    assert rules.amount(f"{value:,}") == value


@given(st.text(alphabet="0123456789,.-만원 ", max_size=12))
def test_an_amount_is_an_int_or_a_korean_error(text):
    try:
        value = rules.amount(text)
    except rules.CellError as error:
        assert error.message.startswith("금액")
    else:
        assert isinstance(value, int) and value >= 0


@given(st.dates(min_value=rules.FIRST_BAN_DAY, max_value=rules.LAST_BAN_DAY))
def test_days_read_back_in_both_forms(day):
    assert rules.day(day.isoformat()) == day
    assert rules.day(f"{day.year}. {day.month}. {day.day}.") == day
