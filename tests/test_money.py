"""One money rule (issue 17, item 4): `won` exact, `won_short` in 억/만 for headlines, `parse_won` for
what people type. PARSE_CASES is also run against static/js/apply.js's parser in the browser
(tests/browser/test_money.py), so the two read every case the same way."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from config.money import MAX_AMOUNT, parse_won, won, won_short

# (typed, amount or None): the shared table for the Python and the JavaScript parser.
PARSE_CASES = [
    ("520,000,000", 520_000_000),
    ("520000000", 520_000_000),
    ("5억", 500_000_000),
    ("5 억", 500_000_000),
    ("5억 2,000만", 520_000_000),
    ("5억2000만원", 520_000_000),
    ("4,200만", 42_000_000),
    ("4200만원", 42_000_000),
    ("2억 6,350만 원", 263_500_000),
    ("1억 2,345만 6,789원", 123_456_789),
    ("96,466,820원", 96_466_820),
    ("  150,000,000  ", 150_000_000),
    ("0", 0),
    ("", None),
    ("원", None),
    ("억", None),
    ("５억", None),  # full-width digits
    ("١٢", None),  # other Unicode digits
    ("①50,000,000", None),
    ("1.5억", None),
    ("-5억", None),
    ("1,50,000", None),  # separators out of place
    ("1억 12,000만", None),  # a lower unit as large as the one above
    ("1만 12000", None),
    ("5억 원 2천", None),
    ("일억", None),
    ("9" * 19, None),
]


@pytest.mark.parametrize("typed,expected", PARSE_CASES)
def test_parse_won_reads_what_people_type(typed, expected):
    assert parse_won(typed) == expected


def test_parse_won_refuses_what_is_not_text():
    assert parse_won(None) is None
    assert parse_won(500) is None


@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_parse_won_reads_back_won(amount):
    assert parse_won(won(amount)) == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_won_reads_back_won_short_within_half_a_man(amount):
    """The headline figure is the amount rounded to 만 원, never more."""
    assert abs(parse_won(won_short(amount)) - amount) <= 5_000


@pytest.mark.parametrize(
    "amount,exact,short",
    [
        (96_466_820, "96,466,820원", "9,647만 원"),
        (263_500_000, "263,500,000원", "2억 6,350만 원"),
        (3_000_000_000, "3,000,000,000원", "30억 원"),
        (42_000_000, "42,000,000원", "4,200만 원"),
        (120_000_000, "120,000,000원", "1억 2,000만 원"),
        (199_999_999, "199,999,999원", "2억 원"),
        (9_999, "9,999원", "9,999원"),
        (0, "0원", "0원"),
        (-42_000_000, "-42,000,000원", "-4,200만 원"),
        (None, "–", "–"),
        ("", "–", "–"),
    ],
)
def test_won_in_korean(amount, exact, short):
    with translation.override("ko"):
        assert won(amount) == exact
        assert won_short(amount).replace("\u00a0", " ") == short
        assert not won_short(amount).endswith(" 원")  # 원 never starts a line on its own


@pytest.mark.parametrize(
    "amount,exact,short",
    [
        (96_466_820, "₩96,466,820", "₩96.5M"),
        (263_500_000, "₩263,500,000", "₩263.5M"),
        (3_000_000_000, "₩3,000,000,000", "₩3B"),
        (1_250_000_000_000, "₩1,250,000,000,000", "₩1.2T"),
        (950_000, "₩950,000", "₩950,000"),
        (-42_000_000, "-₩42,000,000", "-₩42M"),
        (None, "–", "–"),
    ],
)
def test_won_in_english_has_no_korean_units(amount, exact, short):
    with translation.override("en"):
        assert won(amount) == exact
        assert won_short(amount) == short
        assert "억" not in won_short(amount) and "만" not in won_short(amount)


def test_the_template_filters_follow_the_page_language():
    template = Template("{% load money %}{{ a|won }} / {{ a|won_short }} / {{ none|won }}")
    with translation.override("ko"):
        assert (
            template.render(Context({"a": 263_500_000, "none": None}))
            == "263,500,000원 / 2억 6,350만\u00a0원 / –"
        )
    with translation.override("en"):
        assert template.render(Context({"a": 263_500_000, "none": None})) == "₩263,500,000 / ₩263.5M / –"


def test_dates_have_one_format_per_language():
    import datetime

    template = Template('{{ d|date }} {{ d|date:"SHORT_DATE_FORMAT" }} {{ t|date:"SHORT_DATETIME_FORMAT" }}')
    context = Context({"d": datetime.date(2026, 12, 1), "t": datetime.datetime(2026, 12, 1, 14, 5)})
    with translation.override("ko"):
        # no-break spaces inside a date: it never breaks across lines
        assert (
            template.render(context).replace("\u00a0", "_") == "2026._12._1. 2026._12._1. 2026._12._1._14:05"
        )
    with translation.override("en"):
        assert template.render(context) == "2026-12-01 2026-12-01 2026-12-01 14:05"


# Money written by hand in a template: a number filter (intcomma, floatformat, stringformat) or a
# bare {{ value }} directly followed by 원, 만 or 억. Counts with intcomma (건, 명) are fine.
BY_HAND = re.compile(
    r"\{\{[^}]*\}\}\s*(?:원|만\s*원|억)|\|\s*(?:intcomma|floatformat|stringformat:\"[^\"]*\")[^}]*\}\}\s*(?:원|만|억)"
)
# Dates written by hand: every date shows in the language's format (config/formats/), except an
# `<input type="date">` value and a `<time datetime>`, which are machine-read ISO.
DATE_BY_HAND = re.compile(
    r"\|date:[\"'](?!SHORT_DATE_FORMAT|SHORT_DATETIME_FORMAT|DATE_FORMAT|DATETIME_FORMAT|c[\"'])([^\"']*)[\"']"
)


def _templates():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_no_template_formats_money_by_hand():
    templates = _templates()
    assert len(templates) > 30
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BY_HAND.search(line) or "|krw" in line
    ]
    assert offenders == [], "use {{ x|won }} or {{ x|won_short }} ({% load money %})"


def test_no_template_formats_dates_by_hand():
    offenders = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in DATE_BY_HAND.finditer(line):
                # ISO for machines: an <input type="date">'s value, a <time>'s datetime attribute.
                in_datetime = re.search(r'datetime="\{\{[^}]*$', line[: match.start()]) is not None
                machine_read = match.group(1) == "Y-m-d" and (
                    'type="date"' in line or "value=" in line or in_datetime
                )
                if not machine_read:
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {match.group(0)}")
    assert offenders == [], 'use {{ d|date:"SHORT_DATE_FORMAT" }} (config/formats/)'


@pytest.mark.parametrize(
    "line",
    ["<td>{{ a.total|intcomma }}원</td>", "{{ row.amount }} 원", "{{ x|floatformat:1 }}억", "{{ v }}만 원"],
)
def test_the_money_check_sees_money_written_by_hand(line):
    assert BY_HAND.search(line)


@pytest.mark.parametrize("line", ["{{ n|intcomma }}건", "{{ a|won }}", "{{ a|won_short }} · {{ n }}명"])
def test_the_money_check_leaves_counts_and_the_filters_alone(line):
    assert not BY_HAND.search(line)


@pytest.mark.parametrize(
    "typed,expected", [("5억", 500_000_000), ("4,200만원", 42_000_000), ("520,000,000", 520_000_000)]
)
def test_the_total_cost_field_takes_korean_units(typed, expected):
    from applicants.forms import KrwField

    assert KrwField(min_value=1).clean(typed) == expected


def test_the_total_cost_field_names_full_width_digits():
    from django.core.exceptions import ValidationError

    from applicants.forms import KrwField

    with pytest.raises(ValidationError, match="반각 숫자"):
        KrwField().clean("５억")
