from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.numbers import is_ascii_digits


def validate_ksic_manufacturing(value: str) -> None:
    """KSIC section C (manufacturing): five ASCII digits whose division is 10–34."""
    if not (len(value) == 5 and is_ascii_digits(value) and 10 <= int(value[:2]) <= 34):
        raise ValidationError(
            _("업종코드는 제조업(C) 한국표준산업분류 5자리 코드(10xxx–34xxx)여야 합니다."),
            code="invalid_ksic",
        )
