"""사업자등록번호 (docs/domain.md §6): accept `1234567890` or `123-45-67890`, store 10 digits, show
`123-45-67890`."""

import re

from django.core.exceptions import ValidationError
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from config.constraints import FieldCheckConstraint

WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_ACCEPTED = re.compile(r"^([0-9]{10}|[0-9]{3}-[0-9]{2}-[0-9]{5})$")


def check_digit(first_nine: str) -> int:
    """The 10th digit that makes `first_nine` a valid number."""
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=True))
    total += digits[8] * 5 // 10
    return (10 - total % 10) % 10


def normalize_business_number(value: str) -> str:
    """The stored 10 digits, or ValidationError with a Korean message."""
    value = (value or "").strip()
    if not _ACCEPTED.match(value):
        raise ValidationError(
            _("사업자등록번호는 숫자 10자리(예: 1234567890 또는 123-45-67890)로 입력해 주세요."),
            code="invalid_format",
        )
    digits = value.replace("-", "")
    if check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("유효하지 않은 사업자등록번호입니다. 번호를 다시 확인해 주세요."),
            code="invalid_check_digit",
        )
    return digits


def validate_business_number(value: str) -> None:
    normalize_business_number(value)


def format_business_number(digits: str) -> str:
    """`1234567890` → `123-45-67890`; anything else is returned as it is."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return digits
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def ten_digits_constraint(name: str) -> FieldCheckConstraint:
    """The database's own check that a stored business number is exactly 10 characters."""
    return FieldCheckConstraint(
        condition=Exact(Length("business_number"), 10),
        name=name,
        field="business_number",
        violation_error_message=_("사업자등록번호는 숫자 10자리여야 합니다."),
    )
