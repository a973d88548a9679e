"""Projects' sections of the signed-in home (program/home.py, `settings.PLUGINS["home_sections"]`):
what waits after selection (SPEC §16, §17).

Staff see, for their agency's programs, the agreements to draft and to countersign, the changes to
decide and the completions to inspect; an SME what it owes: an agreement to sign, a completion to
submit, a rework due. Both read through `application_list` (the user's scope) and run a fixed number
of queries however many rows there are.
"""

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.utils.translation import gettext as _

from accounts.roles import is_applicant, is_staff
from applicants.models import Application
from applicants.selectors import application_list
from program.home import HomeSection
from projects.models import Agreement, AgreementChange, Inspection
from projects.selectors_sponsor import ProjectState, awaiting_inspection, rework_due_on, with_project_state

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    Project = WithAnnotations[Application, ProjectState]

S = Application.Status
A = Agreement.Status
HOME_ROWS = 10

TO_DRAFT = Q(status=S.SELECTED) & (Q(agreement_status__isnull=True) | Q(agreement_status=A.DRAFT))
TO_COUNTERSIGN = Q(status=S.SELECTED, agreement_status=A.SIGNED_BY_SME)


def _pending_change():
    return Exists(
        AgreementChange.objects.filter(application=OuterRef("pk"), status=AgreementChange.Status.PENDING)
    )


def staff_agreement_todo(request) -> HomeSection | None:
    """Staff: how many of their agency's funded projects wait on them, and the oldest of them with
    a link to their 협약·점검 tab. Three queries: the counts, the changes, the rows."""
    user = request.user
    if not is_staff(user):
        return None
    mine = with_project_state(application_list(user=user)).order_by()
    figures = mine.aggregate(
        to_draft=Count("pk", filter=TO_DRAFT),
        to_countersign=Count("pk", filter=TO_COUNTERSIGN),
        to_inspect=Count("pk", filter=awaiting_inspection()),
    )
    changes = AgreementChange.objects.filter(
        status=AgreementChange.Status.PENDING, application__in=application_list(user=user).values("pk")
    ).aggregate(count=Count("pk"), since=Min("requested_at"))
    queues = [
        _queue(_("협약서 작성"), figures["to_draft"], status=S.SELECTED),
        _queue(_("기업 서명 완료 — 체결 대기"), figures["to_countersign"], status=S.SELECTED),
        _queue(_("협약변경 검토"), changes["count"]),
        _queue(_("완료점검 대기"), figures["to_inspect"], status=S.COMPLETION_REVIEW),
    ]
    rows = []
    waiting = (
        mine.annotate(pending_change=_pending_change())
        .filter(TO_DRAFT | TO_COUNTERSIGN | awaiting_inspection() | Q(pending_change=True))
        .order_by(F("decided_at").asc(nulls_last=True), "pk")[:HOME_ROWS]
    )
    for application in waiting:
        rows.append({"application": application, "what": _staff_step(application)})
    return HomeSection(
        name="agreements",
        title=_("협약·점검 할 일"),
        template="projects/home/staff.html",
        order=20,
        context={"queues": queues, "rows": rows, "changes_since": changes["since"]},
    )


def _queue(label: str, count: int, **query: str) -> dict[str, Any]:
    return {"label": label, "count": count, "query": urlencode(query) if query else ""}


def _staff_step(application: "Project") -> str:
    if application.status == S.SELECTED:
        if application.agreement_status == A.SIGNED_BY_SME:
            return _("기업 서명 완료 — 체결 대기")
        if application.agreement_status in (None, A.DRAFT):
            return _("협약서 작성")
    awaiting = application.inspection_result in (None, Inspection.Result.REWORK)
    if application.status == S.COMPLETION_REVIEW and awaiting:
        return _("완료점검 대기")
    return _("협약변경 검토")


def applicant_project_todo(request) -> HomeSection | None:
    """An SME: the agreement awaiting its signature, the completion to submit (with the agreement's
    end), a rework due. None when nothing waits on it. One query."""
    user = request.user
    if not is_applicant(user) or not user.company_id:
        return None
    owed = (
        with_project_state(application_list(user=user))
        .filter(Q(status=S.SELECTED, agreement_status=A.SENT) | Q(status=S.BUILDING))
        .order_by("agreement_ends_on", "pk")[:HOME_ROWS]
    )
    rows = [_sme_row(application) for application in owed]
    if not rows:
        return None
    return HomeSection(
        name="my-projects",
        title=_("협약·사업 할 일"),
        template="projects/home/applicant.html",
        order=10,
        context={"rows": rows},
    )


def _sme_row(application: "Project") -> dict[str, Any]:
    rework_due = rework_due_on(application)
    if application.status == S.SELECTED:
        what, due = _("협약서 서명"), None
    elif rework_due:
        what, due = _("완료점검 보완"), rework_due
    else:
        what, due = _("완료보고 제출"), application.agreement_ends_on
    return {"application": application, "what": what, "due": due, "rework": bool(rework_due)}
