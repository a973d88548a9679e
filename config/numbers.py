"""Whole numbers typed by users: ASCII digits only.

Python's `str.isdigit()` is true for '²' and '①' (which `int()` then refuses: a 500) and `int()`
itself takes any Unicode decimal digit ('١٢'), so neither may judge user input on its own.
"""

import re

_WHOLE = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"-?[0-9]+")


def is_ascii_digits(value: str) -> bool:
    """True for one or more of 0–9 and nothing else."""
    return isinstance(value, str) and _WHOLE.fullmatch(value) is not None


# At most 18 digits: every such number fits a 64-bit database integer, and int() refuses strings of
# more than 4,300 digits with a ValueError.
MAX_DIGITS = 18


def parse_whole_number(value, *, signed: bool = False) -> int | None:
    """The int written in ASCII digits (with one leading '-' if `signed`; at most MAX_DIGITS), else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not (_SIGNED if signed else _WHOLE).fullmatch(value) or len(value.lstrip("-")) > MAX_DIGITS:
        return None
    return int(value)
