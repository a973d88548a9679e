"""The staff application page, assembled from panels each app owns (STYLE.md convention 9).

The page's own parts (header, 신청 내용, 처리, company changes, history) are applicants'. Between them
come the panels listed in `settings.PLUGINS["application_panels"]`, in that order: applicants'
documents and evaluations (below), funds' payments, mentoring's mentors, reports' outcomes, each in
its app's `panels.py` with its template in `<app>/templates/<app>/panels/`. So applicants draws the
page without importing the apps above it (config/plugins.py).

A panel is a context function `(request, application, **overrides) -> dict | None` (None: nothing to
show now) made a `Panel` by `@panel(name=…, template=…)`. Each is drawn inside `<div id="panel-<name>">`,
the element its forms re-draw with htmx: a failed form answers that panel alone to an htmx request
and the whole page, the panel showing its errors, to a browser without JavaScript.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.roles import is_staff
from applicants.models import Application
from applicants.permissions import can_assign_evaluator
from applicants.selectors import application_history, company_changes, evaluator_choices
from applicants.workflow import FUNDED, STAFF, actions_for
from config.plugins import plugins

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: PanelContext

    def html(self, request: HttpRequest, application: Application, **overrides: Any) -> SafeString | None:
        """The panel in its frame, or None when it has nothing to show now."""
        context = self.context(request, application, **overrides)
        if context is None:
            return None
        body = render_to_string(self.template, {"application": application, **context}, request=request)
        return format_html('<div id="panel-{}" class="panel">{}</div>', self.name, mark_safe(body))  # noqa: S308


def panel(*, name: str, template: str) -> Callable[[PanelContext], Panel]:
    """`@panel(name="payments", template="funds/panels/payments.html")` over a context function."""

    def make(context: PanelContext) -> Panel:
        return Panel(name=name, template=template, context=context)

    return make


def page_panels() -> list[Panel]:
    return plugins("application_panels")  # type: ignore[return-value]


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- the page and a panel alone ----------------------------------------------------------------------


def application_page(
    request: HttpRequest,
    application: Application,
    *,
    status: int = 200,
    panel: str | None = None,
    **overrides,
) -> HttpResponse:
    """The staff application page; `overrides` go to the panel named `panel` (a failed form and its
    errors). To an htmx request, that panel alone."""
    if panel is not None and is_htmx(request):
        return panel_response(request, application, name=panel, status=status, **overrides)
    drawn = (
        each.html(request, application, **(overrides if each.name == panel else {})) for each in page_panels()
    )
    context = {
        "application": application,
        # The ministry reads the page but acts on nothing (docs/domain.md §1): no buttons answering 403.
        "actions": actions_for(application.status, STAFF) if is_staff(request.user) else [],
        # 포기 after selection also releases the unpaid commitment: its confirmation says so.
        "funded": application.status in FUNDED,
        "history": application_history(user=request.user, application=application),
        "company_changes": company_changes(company_id=application.company_id),
        "panels": [html for html in drawn if html is not None],
    }
    return render(request, "applicants/staff/detail.html", context, status=status)


def panel_response(
    request: HttpRequest, application: Application, *, name: str, status: int = 200, **overrides
) -> HttpResponse:
    """One panel's HTML alone (a panel's GET view, a failed form to htmx); an empty hidden frame when
    the panel has nothing to show, so the element it replaces stays in place."""
    found = next((each for each in page_panels() if each.name == name), None)
    if found is None:
        raise Http404
    html = found.html(request, application, **overrides)
    if html is None:
        html = format_html('<div id="panel-{}" class="panel" hidden></div>', name)
    return HttpResponse(html, status=status)


def panel_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """After a panel's form succeeded: the redirect, or to htmx `HX-Redirect` to the same URL, so the
    messages and the other panels are drawn afresh. A URL that differs from the page's only by its
    #anchor would just scroll, so htmx is also told to reload (`HX-Refresh`)."""
    if not is_htmx(request):
        return redirect(url)
    response = HttpResponse()
    response["HX-Redirect"] = url
    if "#" in url:
        response["HX-Refresh"] = "true"
    return response


# --- applicants' panels ------------------------------------------------------------------------------


@panel(name="documents", template="applicants/panels/documents.html")
def documents(request, application, **overrides) -> dict[str, Any]:
    prefetch_related_objects([application], "attachments")
    return {"documents": application.attachments.all()}


@panel(name="evaluations", template="applicants/panels/evaluations.html")
def evaluations(request, application, *, assign_error: str | None = None) -> dict[str, Any]:
    """The committee's scores and members; staff add a member while the application is in evaluation
    (docs/domain.md §5); the ministry sees the committee without the form."""
    prefetch_related_objects([application], "evaluations__evaluator", "evaluator_assignments__evaluator")
    in_evaluation = application.status == Application.Status.EVALUATION
    can_assign = in_evaluation and can_assign_evaluator(request.user, application)
    assigned = {a.evaluator_id for a in application.evaluator_assignments.all()}
    return {
        "can_assign": can_assign,
        "evaluators": [u for u in evaluator_choices() if u.pk not in assigned] if can_assign else [],
        "assign_error": assign_error,
    }
