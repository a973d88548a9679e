"""The signed-in home (`/`, docs/domain.md §11): each role's work on one page, in sections.

Program sits below every app whose work a home shows (applications, money, mentoring, reports), so
it does not build the sections itself: each app registers its own under
`settings.PLUGINS["home_sections"]` (config/plugins.py) in `<app>/home.py`, with its template in
`<app>/templates/<app>/home/`. A section function takes the request and answers a `HomeSection`
(or a dict of the same keys), or None when it is not for this user; the home draws them by `order`.

Each section keeps to the user's scope through its app's own selectors and permissions, and runs a
fixed number of queries however many rows there are (tests/…/test_home.py checks both).
Queues that later features bring (agreements, spending, inspections, clawbacks) join the same way:
one more function registered, no change here.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from config.plugins import plugins


@dataclass(frozen=True)
class HomeSection:
    name: str  # the section's id on the page (`home-<name>`)
    title: str
    template: str
    order: int = 100
    context: Mapping[str, Any] = field(default_factory=dict)


def _section(value: HomeSection | Mapping[str, Any]) -> HomeSection:
    return value if isinstance(value, HomeSection) else HomeSection(**value)


def home_sections(request: HttpRequest) -> list[HomeSection]:
    """The sections for the signed-in user, in page order (then in their order in settings)."""
    found = [section for make in plugins("home_sections") if (section := make(request)) is not None]
    return sorted((_section(s) for s in found), key=lambda s: s.order)


def home_section_html(request: HttpRequest, section: HomeSection) -> SafeString:
    """One section's body, drawn from its app's template with its context."""
    body = render_to_string(section.template, {"section": section, **section.context}, request=request)
    return mark_safe(body)  # noqa: S308 (a template's output, escaped by the template)
