"""Who sees which reports (docs/domain.md §1, §9). A report outside a user's scope answers 404."""

from django.db.models import QuerySet

from reports.models import Report
from reports.permissions import report_scope


def report_visible(user) -> QuerySet[Report]:
    """The reports `user` may see (reports.permissions.report_scope): staff their agency's, the
    ministry every one, a sponsor user its sponsor's; anyone else none."""
    reports = Report.objects.select_related("program", "sponsor", "requested_by")
    scope = report_scope(user)
    return reports.none() if scope is None else reports.filter(scope)


def report_get_visible(*, user, report_id: int) -> Report | None:
    return report_visible(user).filter(pk=report_id).first()
