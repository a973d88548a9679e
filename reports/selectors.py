"""Who sees which reports (docs/domain.md §1, §9). A report outside a user's scope answers 404."""

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.roles import is_sponsor_user, is_staff
from reports.models import Report


def report_visible(user) -> QuerySet[Report]:
    """Staff: every report. A sponsor user: the reports its sponsor's people asked for (always scoped
    to the sponsor) and the scheduled reports of its programs. Anyone else: none."""
    reports = Report.objects.select_related("program", "sponsor", "requested_by")
    if is_staff(user):
        return reports
    if not is_sponsor_user(user):
        return reports.none()
    own = Q(sponsor_id=user.sponsor_id) | Q(program__sponsor_id=user.sponsor_id)
    asked_by_sponsor = Q(requested_by__role=Role.SPONSOR, requested_by__sponsor_id=user.sponsor_id)
    return reports.filter(own & (asked_by_sponsor | Q(scheduled=True)))


def report_get_visible(*, user, report_id: int) -> Report | None:
    return report_visible(user).filter(pk=report_id).first()
