"""KRW for people: `1,234,000원`, and in 억/만 units where that reads better (`30억 원`, `4,200만 원`)."""

import functools

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

EOK = 100_000_000
MAN = 10_000


@functools.lru_cache(maxsize=16)
def _krw_pattern(language: str | None) -> str:
    """`%(amount)s원` in `language`, which is the active one when this is called: translated once
    per language, not once per amount (a page of a few hundred amounts spent most of its time in
    gettext)."""
    return _("%(amount)s원")


@register.filter
def krw(value) -> str:
    if value is None or value == "":
        return "–"
    return _krw_pattern(get_language()) % {"amount": f"{int(value):,}"}


@register.filter
def krw_short(value) -> str:
    """Whole 억 and 만 units; amounts that don't divide evenly keep their exact digits."""
    if value is None or value == "":
        return "–"
    if not (get_language() or "ko").startswith("ko"):
        return krw(value)  # 억/만 are Korean units; other languages read the full amount
    value = int(value)
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value >= EOK and value % MAN == 0:
        eok, man = divmod(value // MAN, MAN)
        return f"{sign}{eok:,}억 {man:,}만 원" if man else f"{sign}{eok:,}억 원"
    if value >= MAN and value % MAN == 0:
        return f"{sign}{value // MAN:,}만 원"
    return f"{sign}{value:,}원"
