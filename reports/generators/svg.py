"""Bar charts as inline SVG, drawn on the server for the PDF reports (no JavaScript)."""

from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLORS = ["#2F6FB3", "#E08A2E", "#3C9D5D", "#8E5BB5"]
FONT = "Noto Sans CJK KR"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(
    items: Sequence[tuple[str, Sequence[float | None]]],
    *,
    series: Sequence[str] = (),
    width: int = 640,
    label_width: int = 130,
    bar: int = 14,
    fmt: Callable[[float], str] = _number,
    title: str = "",
) -> SafeString:
    """Horizontal bars, one group per item (one bar per series), with negative values to the left
    of a zero line. `items`: (label, [value per series]); a None value draws no bar."""
    values = [v for _label, group in items for v in group if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    value_width = 90
    plot = width - label_width - value_width
    zero = label_width + plot * (-low / span)
    group_count = max(len(series), 1)
    row = bar * group_count + 10
    top = 24 if title else 4
    legend = 22 if len(series) > 1 else 0
    height = top + row * len(items) + legend + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10" role="img">'
    ]
    if title:
        parts.append(f'<text x="0" y="14" font-size="12" font-weight="bold">{escape(title)}</text>')
    for index, (label, group) in enumerate(items):
        y = top + index * row
        parts.append(
            f'<text x="{label_width - 6}" y="{y + row / 2 + 3:.1f}" text-anchor="end">{escape(label)}</text>'
        )
        for position, value in enumerate(group):
            if value is None:
                continue
            length = plot * abs(value) / span
            x = zero if value >= 0 else zero - length
            by = y + position * bar + 4
            color = COLORS[position % len(COLORS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{by:.1f}" width="{max(length, 0.5):.1f}" height="{bar - 2}" '
                f'fill="{color}"/>'
            )
            tx = x + length + 4 if value >= 0 else x - 4
            anchor = "start" if value >= 0 else "end"
            parts.append(
                f'<text x="{tx:.1f}" y="{by + bar - 5:.1f}" text-anchor="{anchor}" font-size="9">'
                f"{escape(fmt(value))}</text>"
            )
    bottom = top + row * len(items)
    parts.append(
        f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{bottom}" stroke="#666" stroke-width="0.8"/>'
    )
    if legend:
        x = label_width
        for position, name in enumerate(series):
            color = COLORS[position % len(COLORS)]
            parts.append(f'<rect x="{x}" y="{bottom + 8}" width="10" height="10" fill="{color}"/>')
            parts.append(f'<text x="{x + 14}" y="{bottom + 17}">{escape(name)}</text>')
            x += 24 + 11 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every label and value above is escaped)
