"""The application workflow of docs/domain.md §4 as data: which action, by whom, from which states, to which.

applicants.services.application_transition is the one place that applies it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applicants.models import Application

S = Application.Status
OWNER = "owner"  # the applicant whose company the application belongs to
STAFF = "staff"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # lazily translated
    sources: frozenset[str]
    target: str
    by: frozenset[str]
    note_required: bool = False
    due_required: bool = False  # a due date comes with it (request_rework, SPEC §4)
    # Taken on another part of the page, not by a 처리 button: what the page says instead (lazily translated).
    elsewhere: str = ""


def _t(action, label, sources, target, by, note_required=False, due_required=False, elsewhere=""):
    return Transition(
        action, label, frozenset(sources), target, frozenset(by), note_required, due_required, elsewhere
    )


_BEFORE_COMPLETED = set(S.values) - {S.COMPLETED, S.REJECTED, S.WITHDRAWN, S.TERMINATED}

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("submit", pgettext_lazy("action", "제출"), {S.DRAFT, S.CHANGES_REQUESTED}, S.SUBMITTED, {OWNER}),
        _t("start_screening", pgettext_lazy("action", "요건검토 시작"), {S.SUBMITTED}, S.SCREENING, {STAFF}),
        _t(
            "request_changes",
            pgettext_lazy("action", "보완요청"),
            {S.SCREENING},
            S.CHANGES_REQUESTED,
            {STAFF},
            note_required=True,
        ),
        _t(
            "start_evaluation", pgettext_lazy("action", "선정평가 시작"), {S.SCREENING}, S.EVALUATION, {STAFF}
        ),
        _t("select", pgettext_lazy("action", "선정"), {S.EVALUATION}, S.SELECTED, {STAFF}),
        _t(
            "reject",
            pgettext_lazy("action", "탈락"),
            {S.SCREENING, S.EVALUATION},
            S.REJECTED,
            {STAFF},
            note_required=True,
        ),
        _t(
            "sign_agreement",
            pgettext_lazy("action", "협약 체결"),
            {S.SELECTED},
            S.AGREEMENT,
            {STAFF},
            # countersigning the agreement the SME signed performs it (SPEC §16)
            elsewhere=_(
                "협약 체결은 협약·점검 탭에서 합니다: 협약서를 작성·발송하고, "
                "기업이 서명하면 '서명 확인'을 누릅니다."
            ),
        ),
        _t("start_build", pgettext_lazy("action", "구축 시작"), {S.AGREEMENT}, S.BUILDING, {STAFF}),
        _t(
            "submit_completion",
            pgettext_lazy("action", "완료점검 요청"),
            {S.BUILDING},
            S.COMPLETION_REVIEW,
            {OWNER},
        ),
        _t("complete", pgettext_lazy("action", "완료"), {S.COMPLETION_REVIEW}, S.COMPLETED, {STAFF}),
        _t("withdraw", pgettext_lazy("action", "포기"), _BEFORE_COMPLETED, S.WITHDRAWN, {OWNER, STAFF}),
        _t(
            "request_rework",
            pgettext_lazy("action", "보완(재점검)"),
            {S.COMPLETION_REVIEW},
            S.BUILDING,
            {STAFF},
            note_required=True,
            due_required=True,
        ),
        _t(
            "terminate",
            pgettext_lazy("action", "협약해지"),
            {S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW},
            S.TERMINATED,
            {STAFF},
            note_required=True,
        ),
    )
}

# States after selection whose committed, unpaid money a withdrawal releases.
FUNDED = frozenset({S.SELECTED, S.AGREEMENT, S.BUILDING, S.COMPLETION_REVIEW})


def actions_for(status: str, party: str) -> list[Transition]:
    """The actions `party` (OWNER or STAFF) may take from `status`, in workflow order."""
    return [t for t in TRANSITIONS.values() if status in t.sources and party in t.by]
