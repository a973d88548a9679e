"""Money for people, one rule everywhere (issue 17, item 4).

- `won`: the exact amount, `96,466,820원` (English `₩96,466,820`). Tables, lists, detail pages,
  forms, PDFs: an officer checks a figure against a ledger or a bank statement, so it is never
  rounded.
- `won_short`: the amount in 억/만, `2억 6,350만 원` (English `₩263.5M`), rounded to 만 원. Only in
  headline tiles and chart axes, where the size matters more than the last digit.
- `parse_won`: what people type in a money field, `5억 2,000만`, `4,200만원`, `520,000,000`. The
  HTML forms take these; the API keeps taking whole integers (SPEC §10).

static/js/apply.js and static/js/dashboard.js mirror these rules in the browser; the shared cases
are in tests/test_money.py. A helper module: it imports no app.
"""

import re

from django.utils.translation import get_language

EOK = 100_000_000  # 1억
MAN = 10_000  # 1만
MISSING = "–"  # the app's mark for "no figure" (templates use the same dash)
NBSP = "\u00a0"

# The largest amount parse_won reads: 18 digits fit a 64-bit database integer (config/numbers.py).
MAX_AMOUNT = 10**18 - 1


def _korean() -> bool:
    return (get_language() or "ko").startswith("ko")


def _whole(value) -> int | None:
    """`value` as an int, or None for "no figure" (None, "")."""
    if value is None or value == "":
        return None
    return int(value)


def won(value) -> str:
    """The exact amount: `96,466,820원` in Korean, `₩96,466,820` in English; `–` for none."""
    amount = _whole(value)
    if amount is None:
        return MISSING
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,}"
    return f"{sign}{digits}원" if _korean() else f"{sign}₩{digits}"


def _short_english(amount: int) -> str:
    """`₩263.5M`, `₩1.2B`, `₩950,000`: millions and billions with one decimal, dropped when zero."""
    for size, suffix in ((1_000_000_000_000, "T"), (1_000_000_000, "B"), (1_000_000, "M")):
        if amount >= size:
            text = f"{amount / size:,.1f}".removesuffix(".0")
            return f"₩{text}{suffix}"
    return f"₩{amount:,}"


def won_short(value) -> str:
    """For headline tiles and chart axes: `2억 6,350만 원`, `4,200만 원`, `30억 원` (rounded to 만 원;
    under 1만 원 exact), in English `₩263.5M`; `–` for none."""
    amount = _whole(value)
    if amount is None:
        return MISSING
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if not _korean():
        return sign + _short_english(amount)
    if amount < MAN:
        return f"{sign}{amount:,}원"
    man_total = (amount + MAN // 2) // MAN  # rounded half up to 만 원
    eok, man = divmod(man_total, MAN)
    # A no-break space before 원: a narrow tile breaks `36억 / 9,641만 원`, never `… 9,641만 / 원`.
    if not eok:
        return f"{sign}{man:,}만{NBSP}원"
    return f"{sign}{eok:,}억 {man:,}만{NBSP}원" if man else f"{sign}{eok:,}억{NBSP}원"


# One group of digits: plain (`4200`) or with thousands separators in their places (`4,200`).
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
_AMOUNT = re.compile(
    rf"(?:(?P<eok>{_NUMBER}) *억)? *(?:(?P<man>{_NUMBER}) *만)? *(?P<rest>{_NUMBER})? *(?P<unit>원)?"
)
FULL_WIDTH_DIGITS = re.compile("[０-９]")


def parse_won(text) -> int | None:
    """The whole won in `text` as people type it, else None.

    Takes ASCII digits with thousands separators, spaces and the units 억, 만 and a final 원:
    `520,000,000`, `5억`, `5억 2,000만`, `4,200만`, `4200만원`, `2억 6,350만 원`. Nothing else: no
    decimals (`1.5억`), no other digits (`５억`, `١٢`), no signs; a lower unit must be smaller than
    the one above it (`1억 12,000만` is a typing mistake, not 2억 2,000만)."""
    if not isinstance(text, str):
        return None
    text = text.replace(NBSP, " ").strip()
    if len(text) > 40:  # longer than any amount; int() of thousands of digits is slow or refused
        return None
    match = _AMOUNT.fullmatch(text)
    if not text or match is None or not any(match.group("eok", "man", "rest")):
        return None
    has_eok, has_man = match.group("eok") is not None, match.group("man") is not None
    eok, man, rest = (int((match.group(name) or "0").replace(",", "")) for name in ("eok", "man", "rest"))
    if has_eok and man >= MAN:
        return None
    if rest >= (MAN if has_man else EOK if has_eok else MAX_AMOUNT + 1):
        return None
    amount = eok * EOK + man * MAN + rest
    return amount if amount <= MAX_AMOUNT else None
