import pytest

from program.templatetags.money import krw, krw_short


@pytest.mark.parametrize(
    "value,expected",
    [
        (3_000_000_000, "30억 원"),
        (42_000_000, "4,200만 원"),
        (120_000_000, "1억 2,000만 원"),
        (50_000_000_000, "500억 원"),
        (100_000_001, "100,000,001원"),
        (999, "999원"),
        (0, "0원"),
        (None, "–"),
    ],
)
def test_krw_short(value, expected):
    assert krw_short(value) == expected


def test_krw_has_separators():
    assert krw(40_000_001) == "40,000,001원"
    assert krw(None) == "–"


def test_english_pages_read_krw_and_the_full_amount():
    from django.utils import translation

    from program.templatetags.money import krw, krw_short

    with translation.override("en"):
        assert krw(30_000_000) == "KRW 30,000,000"
        assert krw_short(3_000_000_000) == "KRW 3,000,000,000"
    assert krw_short(3_000_000_000) == "30억 원"
