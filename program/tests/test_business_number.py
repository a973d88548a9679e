import pytest
from django.core.exceptions import ValidationError

from program.business_number import (
    check_digit,
    format_business_number,
    normalize_business_number,
)

# Computed by hand with the docs/domain.md §6 rule: weights 1,3,7,1,3,7,1,3,5, plus floor(d9*5/10).
VALID = ["1248100998", "2208162517", "1018212348"]


def test_check_digit_follows_the_rule():
    # 1+6+28+8+3+0+0+27+45 = 118, + floor(9*5/10) = 4 → 122 → (10 - 2) % 10 = 8
    assert check_digit("124810099") == 8
    # 1+0+7+8+6+7+2+9+20 = 60, + floor(4*5/10) = 2 → 62 → 8
    assert check_digit("101821234") == 8
    # 000000001: 1*5 = 5, + floor(5/10) = 0 → 5 → 5.  000000002: 2*5 = 10, + floor(10/10) = 1 → 11 → 9
    assert check_digit("000000001") == 5
    assert check_digit("000000002") == 9


@pytest.mark.parametrize("number", VALID)
def test_it_accepts_valid_numbers_with_and_without_hyphens(number):
    hyphenated = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    assert normalize_business_number(number) == number
    assert normalize_business_number(hyphenated) == number
    assert normalize_business_number(f"  {hyphenated} ") == number


@pytest.mark.parametrize(
    "value",
    [
        "",
        "123456789",
        "12345678901",
        "123-4567890",
        "12-345-67890",
        "abcdefghij",
        "123 45 67890",
        "１２３４５６７８９０",
    ],
)
def test_it_refuses_malformed_input_in_korean(value):
    with pytest.raises(ValidationError) as excinfo:
        normalize_business_number(value)
    assert excinfo.value.code == "invalid_format"
    assert "사업자등록번호" in str(excinfo.value.messages[0])


@pytest.mark.parametrize("number", VALID)
def test_it_refuses_a_wrong_check_digit(number):
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    for value in (wrong, f"{wrong[:3]}-{wrong[3:5]}-{wrong[5:]}"):
        with pytest.raises(ValidationError) as excinfo:
            normalize_business_number(value)
        assert excinfo.value.code == "invalid_check_digit"
        assert "유효하지 않은" in str(excinfo.value.messages[0])


def test_it_formats_for_display():
    assert format_business_number("1248100998") == "124-81-00998"
    assert format_business_number("123") == "123"
