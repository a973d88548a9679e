"""The rules of one row of an import file (SPEC §15.5): each cell's text to the value stored, or a Korean
message naming what is wrong. No database: the rows' form only; what they change is services' to find.

The cell texts come from imports/reading.py: XLSX numbers arrive as their digits (50000000.0 → "50000000",
a fraction as its decimal text), Excel date cells as ISO dates."""

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from applicants.models import Application, ParticipationBan
from applicants.services.bans import default_ends_on
from program.business_number import check_digit
from program.choices import SupportLevel

MAX_AMOUNT = 10**15  # 1,000조 원: more than any program's total; keeps the cell a 64-bit integer
FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_BAN_DAY, LAST_BAN_DAY = datetime.date(1980, 1, 1), datetime.date(2100, 12, 31)

_BUSINESS_NUMBER = re.compile(r"[0-9]{10}|[0-9]{3}-[0-9]{2}-[0-9]{5}")
_AMOUNT = re.compile(r"[0-9]{1,3}(,[0-9]{3})+|[0-9]+")
_DECIMAL = re.compile(r"[0-9][0-9,]*\.[0-9]+")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DOTTED_DAY = re.compile(r"([0-9]{4})\.\s*([0-9]{1,2})\.\s*([0-9]{1,2})\.?")
PERMANENT = ("영구", "permanent")


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def business_number(text: str) -> str:
    text = text.replace(" ", "")
    if not text:
        raise CellError(_("사업자등록번호를 입력해 주세요."))
    if not _BUSINESS_NUMBER.fullmatch(text):
        raise CellError(_("사업자등록번호는 숫자 10자리(예: 1234567890 또는 123-45-67890)로 입력해 주세요."))
    digits = text.replace("-", "")
    if check_digit(digits[:9]) != int(digits[9]):
        raise CellError(_("사업자등록번호의 검증번호(끝자리)가 맞지 않습니다. 번호를 다시 확인해 주세요."))
    return digits


def required_text(max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = " ".join(text.split())
        if not text:
            raise CellError(_("값을 입력해 주세요."))
        if len(text) > max_length:
            raise CellError(_("%(max)s자 이내로 입력해 주세요.") % {"max": max_length})
        return text

    return parse


def optional_text(max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = " ".join(text.split())
        if len(text) > max_length:
            raise CellError(_("%(max)s자 이내로 입력해 주세요.") % {"max": max_length})
        return text

    return parse


def year(text: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"[0-9]{4}", text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise CellError(
            _("연도는 %(first)s부터 %(last)s 사이의 정수로 입력해 주세요.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return int(text)


def amount(text: str) -> int:
    """Whole won, thousands separated by commas or not: `50000000`, `50,000,000`. No units, no decimals."""
    text = text.strip().replace(" ", "")
    if not text:
        raise CellError(_("금액을 입력해 주세요."))
    if _DECIMAL.fullmatch(text):
        raise CellError(_("금액은 원 단위 정수로 입력해 주세요. 소수는 쓸 수 없습니다."))
    if not _AMOUNT.fullmatch(text):
        raise CellError(_("금액은 0 이상의 정수(원)로 입력해 주세요. 예: 50000000 또는 50,000,000"))
    value = int(text.replace(",", ""))
    if value > MAX_AMOUNT:
        raise CellError(_("금액이 너무 큽니다."))
    return value


def day(text: str) -> datetime.date:
    """`2024-03-02`, `2024. 3. 2.` (or `2024.3.2`), or an Excel date cell (read as ISO)."""
    text = text.strip()
    match = _ISO_DAY.fullmatch(text) or _DOTTED_DAY.fullmatch(text)
    if match is None:
        raise CellError(_("날짜는 2024-03-02 또는 2024. 3. 2. 형식으로 입력해 주세요."))
    try:
        value = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(_("없는 날짜입니다: %(text)s") % {"text": text}) from None
    if not FIRST_BAN_DAY <= value <= LAST_BAN_DAY:
        raise CellError(_("날짜는 1980년부터 2100년 사이여야 합니다."))
    return value


def _choice_parser(choices: dict[str, str], message: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        key = "".join(text.split()).lower()
        if key not in choices:
            raise CellError(message % {"text": text.strip()})
        return choices[key]

    return parse


def _labels_and_codes(choices) -> dict[str, str]:
    """Korean label or code (case and spaces ignored) → code."""
    with translation.override("ko"):
        found = {"".join(str(label).split()).lower(): code for code, label in choices}
    return found | {code.lower(): code for code, _label in choices}


def level_parser() -> Callable[[str], str]:
    return _choice_parser(
        _labels_and_codes(SupportLevel.choices),
        _("알 수 없는 지원수준입니다: '%(text)s'. 기초, 고도화1, 고도화2 중 하나로 입력해 주세요."),
    )


def status_parser() -> Callable[[str], str]:
    return _choice_parser(
        _labels_and_codes(Application.Status.choices),
        _("알 수 없는 상태입니다: '%(text)s'. 선정, 협약, 구축, 완료 등으로 입력해 주세요."),
    )


def subject_parser() -> Callable[[str], str]:
    subjects = _labels_and_codes(ParticipationBan.SubjectType.choices)
    subjects |= {"기업": "company", "도입기업": "company", "대상기업": "company"}
    return _choice_parser(
        subjects, _("알 수 없는 대상입니다: '%(text)s'. 기업 또는 공급기업으로 입력해 주세요.")
    )


# Per kind: header → (parser, the stored field's name); and the natural key's fields (SPEC §15.5).
def row_rules(kind: str) -> dict[str, tuple[Callable[[str], Any], str]]:
    if kind == "support_records":
        return {
            "사업자등록번호": (business_number, "business_number"),
            "기업명": (required_text(100), "company_name"),
            "사업명": (required_text(200), "program_name"),
            "연도": (year, "year"),
            "지원수준": (level_parser(), "level"),
            "정부지원금": (amount, "government"),
            "상태": (status_parser(), "status"),
        }
    return {
        "사업자등록번호": (business_number, "business_number"),
        "대상": (subject_parser(), "subject_type"),
        "사유": (required_text(500), "reason"),
        "근거": (optional_text(200), "basis"),
        "시작일": (day, "starts_on"),
        "종료일": (lambda text: text, "ends_on"),  # judged with the start (ends_on_parse)
    }


NATURAL_KEYS = {
    "support_records": ("business_number", "program_name", "year"),
    "bans": ("subject_type", "business_number", "starts_on"),
}


def ends_on_parse(text: str, starts_on: datetime.date | None) -> datetime.date | None:
    """종료일: empty → starts_on + 3 years − 1 day (SPEC §15.2); `영구` → None (permanent); else a day
    not before the start."""
    text = text.strip()
    if text.lower() in PERMANENT:
        return None
    if not text:
        return default_ends_on(starts_on) if starts_on else None
    ends_on = day(text)
    if starts_on is not None and ends_on < starts_on:
        raise CellError(_("종료일은 시작일과 같거나 그 뒤여야 합니다."))
    return ends_on
