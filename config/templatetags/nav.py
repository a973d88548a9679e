"""`{% load nav %}`: the KRDS breadcrumb and pagination (issue 17, item 1).

`{% breadcrumb _("사업 관리") programs_url program.title %}` — label/url pairs, then the current
page's label; renders templates/includes/breadcrumb.html (which documents both ways to use it).
`{% page_links page %}` — what templates/includes/pagination.html draws: a window of page numbers
around the current one plus the first and last, each link keeping the request's query string.

Registered by name in settings.TEMPLATES (config is not an installed app).
"""

from typing import Any

from django import template
from django.core.paginator import Page

register = template.Library()

# Two pages each side of the current one and the first and last page: at most nine items, which
# fit a 390 px screen on two lines (components.css lets the row wrap).
ON_EACH_SIDE = 2
ON_ENDS = 1


@register.inclusion_tag("includes/breadcrumb.html")
def breadcrumb(*parts: Any) -> dict[str, Any]:
    """Crumbs from alternating labels and URLs; the last, odd argument is the current page."""
    if len(parts) % 2 != 1:
        raise template.TemplateSyntaxError("breadcrumb takes label/url pairs and the current page's label")
    pairs = [(parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
    return {"crumbs": [*pairs, (parts[-1], None)]}


def page_window(page: Page, *, on_each_side: int = ON_EACH_SIDE, on_ends: int = ON_ENDS) -> list[int | None]:
    """The page numbers to show, `None` where a run of pages is left out (drawn as an ellipsis)."""
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends)
    return [n if isinstance(n, int) else None for n in numbers]


def page_url(query: Any, number: int, anchor: str = "") -> str:
    """`?…&page=n`: every other parameter of the request kept (filters, sort, tab, page size)."""
    params = query.copy()
    params["page"] = str(number)
    return f"?{params.urlencode()}" + (f"#{anchor}" if anchor else "")


@register.simple_tag(takes_context=True)
def page_links(context: template.Context, page: Page, anchor: str = "") -> dict[str, Any]:
    """Everything the pagination include needs: prev/next URLs (or None) and the numbered links."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return {
        "previous": page_url(query, page.previous_page_number(), anchor) if page.has_previous() else None,
        "next": page_url(query, page.next_page_number(), anchor) if page.has_next() else None,
        "numbers": [
            {"number": n, "url": page_url(query, n, anchor), "current": n == page.number} if n else None
            for n in page_window(page)
        ],
    }
