"""The staff application page, assembled from panels each app owns (STYLE.md convention 9).

The page's own parts (header, 신청 내용, 처리, company changes, history) are applicants'. Between them
come the panels listed in `settings.PLUGINS["application_panels"]`, in that order: applicants'
documents and evaluations (below), funds' payments, mentoring's mentors, reports' outcomes, each in
its app's `panels.py` with its template in `<app>/templates/<app>/panels/`. So applicants draws the
page without importing the apps above it (config/plugins.py).

A panel is a context function `(request, application, **overrides) -> dict | None` (None: nothing to
show now) made a `Panel` by `@panel(name=…, template=…, tab=…)`. Below the page's summary header and
its 처리 card the sections sit in tabs (TABS, in the order of an application's life); a panel names
the tab it belongs in, and within a tab the panels keep the settings' order. A tab with nothing in it
is not drawn. Each is drawn inside `<div id="panel-<name>">`,
the element its forms re-draw with htmx: a failed form answers that panel alone to an htmx request
and the whole page, the panel showing its errors, to a browser without JavaScript.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_staff
from applicants.messages import thread_context
from applicants.models import Application, Attachment
from applicants.permissions import can_assign_evaluator
from applicants.selectors import application_history, company_changes, declaration_latest, evaluator_choices
from applicants.services.applications import CHANGES_DUE_MAX_DAYS, changes_due_on_default
from applicants.workflow import FUNDED, STAFF, TRANSITIONS, actions_for
from config.files import is_previewable
from config.plugins import plugins

PanelContext = Callable[..., dict[str, Any] | None]

# The page's tabs: the key is the tab's URL fragment (#tab-<key>) and what a panel names.
OVERVIEW, HISTORY = "overview", "history"
TABS = (
    (OVERVIEW, _("개요")),
    ("documents", _("서류")),
    ("evaluation", _("평가")),
    ("agreement", _("협약·점검")),
    ("funds", _("자금·지급")),
    ("mentoring", _("멘토링")),
    ("outcomes", _("성과")),
    ("messages", _("메시지")),
    (HISTORY, _("이력")),
)
TAB_KEYS = frozenset(key for key, _label in TABS)


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: PanelContext
    tab: str = OVERVIEW

    def html(self, request: HttpRequest, application: Application, **overrides: Any) -> SafeString | None:
        """The panel in its frame, or None when it has nothing to show now."""
        context = self.context(request, application, **overrides)
        if context is None:
            return None
        body = render_to_string(self.template, {"application": application, **context}, request=request)
        return format_html('<div id="panel-{}" class="panel">{}</div>', self.name, mark_safe(body))  # noqa: S308


def panel(*, name: str, template: str, tab: str = OVERVIEW) -> Callable[[PanelContext], Panel]:
    """`@panel(name="payments", template="funds/panels/payments.html", tab="funds")` over a context
    function; a tab not in TABS is shown in the overview."""

    def make(context: PanelContext) -> Panel:
        return Panel(name=name, template=template, context=context, tab=tab if tab in TAB_KEYS else OVERVIEW)

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
    note: str = "",
    note_error: str | None = None,
    due_on: str = "",
    due_error: str | None = None,
    **overrides,
) -> HttpResponse:
    """The staff application page; `overrides` go to the panel named `panel` (a failed form and its
    errors), whose tab is the one open. To an htmx request, that panel alone. `note` and
    `note_error`: the 처리 card's note as typed and why its action was refused."""
    if panel is not None and is_htmx(request):
        return panel_response(request, application, name=panel, status=status, **overrides)
    # Shown in the header; one query each, however many rows the page lists.
    prefetch_related_objects([application], "program__agency", "company__partner_of")
    drawn = [
        (each, each.html(request, application, **(overrides if each.name == panel else {})))
        for each in page_panels()
    ]
    open_tab = next((each.tab for each in page_panels() if each.name == panel), OVERVIEW)
    staff_actions = actions_for(application.status, STAFF) if is_staff(request.user) else []
    context = {
        "application": application,
        "tabs": _tabs([(each.tab, html) for each, html in drawn if html is not None], open_tab=open_tab),
        "note": note,
        "note_error": note_error,
        **_due_field(application, due_on, due_error),
        # The ministry reads the page but acts on nothing (docs/domain.md §1): no buttons answering 403.
        "actions": [t for t in staff_actions if not t.elsewhere],
        "actions_elsewhere": [t for t in staff_actions if t.elsewhere],
        # 포기 after selection also releases the unpaid commitment: its confirmation says so.
        "funded": application.status in FUNDED,
        "history": application_history(user=request.user, application=application),
        "company_changes": company_changes(company_id=application.company_id),
        "declaration": declaration_latest(application_id=application.pk),
    }
    return render(request, "applicants/staff/detail.html", context, status=status)


def _due_field(application: Application, due_on: str, due_error: str | None) -> dict[str, Any]:
    """The 처리 card's 보완 기한: as typed after a refusal, else the default (applicants.services)."""
    today = timezone.localdate()
    return {
        # 보완요청 in screening, 보완(재점검) after a failed inspection item (SPEC §17).
        "can_request_changes": application.status
        in TRANSITIONS["request_changes"].sources | TRANSITIONS["request_rework"].sources,
        "due_on": due_on or changes_due_on_default(today).isoformat(),
        "due_error": due_error,
        "due_min": today,
        "due_max": today + datetime.timedelta(days=CHANGES_DUE_MAX_DAYS),
    }


def _tabs(panels: list[tuple[str, SafeString]], *, open_tab: str) -> list[dict[str, Any]]:
    """The tabs with something in them, each with its panels' HTML; the overview and the history
    always (the page's own sections)."""
    tabs = []
    for key, label in TABS:
        htmls = [html for tab, html in panels if tab == key]
        if htmls or key in (OVERVIEW, HISTORY):
            tabs.append({"key": key, "label": label, "panels": htmls, "open": key == open_tab})
    return tabs


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


@panel(name="documents", template="applicants/panels/documents.html", tab="documents")
def documents(request, application, **overrides) -> dict[str, Any]:
    """The program's required documents (docs/domain.md §10), each submitted or missing, then any other
    kind uploaded; the files under their kind, a PDF or an image with its preview."""
    prefetch_related_objects([application], "attachments")
    by_kind: dict[str, list] = {}
    for attachment in application.attachments.all():
        attachment.previewable = is_previewable(attachment.content_type)
        by_kind.setdefault(attachment.kind, []).append(attachment)
    required = list(application.program.required_documents)
    labels = dict(Attachment.Kind.choices)
    kinds = required + [kind for kind in by_kind if kind not in required]
    checklist = [
        {
            "kind": kind,
            "label": labels.get(kind, kind),
            "required": kind in required,
            "files": by_kind.get(kind, []),
        }
        for kind in kinds
    ]
    missing = sum(1 for item in checklist if item["required"] and not item["files"])
    return {"checklist": checklist, "missing": missing, "required": len(required)}


@panel(name="evaluations", template="applicants/panels/evaluations.html", tab="evaluation")
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


@panel(name="messages", template="applicants/panels/messages.html", tab="messages")
def message_thread(request, application, *, message_form: dict | None = None) -> dict[str, Any]:
    """문의·답변 (SPEC §19): the thread with its internal notes, and the post form for staff."""
    return thread_context(request, application, form=message_form)
