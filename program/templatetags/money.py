"""KRW for people: `1,234,000원`, and in 억/만 units where that reads better (`30억 원`, `4,200만 원`)."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

EOK = 100_000_000
MAN = 10_000


@register.filter
def krw(value) -> str:
    if value is None or value == "":
        return "–"
    return _("%(amount)s원") % {"amount": f"{int(value):,}"}


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
