"""Checks of what a person types about their account (SPEC §20: the profile's phone)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# A Korean number in ASCII digits, with or without hyphens: mobile and area codes (010-1234-5678,
# 02-123-4567, 031-1234-5678), internet numbers (070-…) and the 15xx/16xx/18xx company numbers
# (1588-1234). [0-9], not \d: \d takes any script's digits ('١٢'), which no phone dials.
PHONE_PATTERN = r"\A(0[0-9]{1,2}-?[0-9]{3,4}-?[0-9]{4}|1[5-9][0-9]{2}-?[0-9]{4})\Z"

validate_phone = RegexValidator(
    PHONE_PATTERN,
    message=_("전화번호는 숫자와 하이픈(-)으로 적어 주세요(예: 010-1234-5678, 02-123-4567)."),
    code="phone",
)
