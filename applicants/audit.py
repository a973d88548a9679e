"""applicants' audit actions in words (asked through `audit_labels`, program/audit.py)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applicants.filters import company_search
from applicants.models import Application, Company
from applicants.workflow import TRANSITIONS
from program.audit import Labels

LABELS: Labels = {
    # A workflow action is named as on its button (docs/domain.md §4).
    **{f"application.{name}": transition.label for name, transition in TRANSITIONS.items()},
    "application.create": _("신청서 작성"),
    "application.update": _("신청서 수정"),
    "application.attachment_add": _("서류 등록"),
    "application.attachment_delete": _("서류 삭제"),
    "application.message": _("메시지 작성"),
    "evaluation.assign": _("평가위원 배정"),
    "evaluation.submit": _("평가 제출"),
    "company.register": _("기업 등록"),
    "company.update": _("기업정보 변경"),
    # 참여제한 (SPEC §15.2)
    "ban.record": _("참여제한 등록"),
    "ban.lift": _("참여제한 해제"),
    # ---- part h6: retention (SPEC §20)
    "company.anonymise": _("개인정보 익명화"),
}


def audit_labels() -> Labels:
    return LABELS


# How many companies one audit search reaches at most (the audit page says so): a word common to
# many names narrows to the first of them instead of an unbounded list of ids.
AUDIT_COMPANIES_MAX = 20


def audit_subjects(*, search: str) -> Q:
    """The audit events about the companies `search` names (기업명 or 사업자등록번호) and about their
    applications (`audit_subjects`, program/selectors.py): two subqueries the database answers from
    its indexes (company name and number, application company, the events' target), in one query."""
    companies = Company.objects.filter(company_search(search)).order_by("pk").values("pk")
    companies = companies[:AUDIT_COMPANIES_MAX]
    applications = Application.objects.filter(company__in=companies).order_by().values("pk")
    return Q(content_type=ContentType.objects.get_for_model(Company), object_id__in=companies) | Q(
        content_type=ContentType.objects.get_for_model(Application), object_id__in=applications
    )
