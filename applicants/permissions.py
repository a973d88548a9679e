"""Who may see and do what with applications (docs/domain.md §1). Outside a user's scope means 404.

Officials see by agency (docs/domain.md §1): staff the applications of their agency's programs, the ministry
every agency's; the ministry changes nothing (403). Every page, endpoint, export and service that reads
or acts on an application, its evaluations, documents or committee asks the scopes below.
"""

from django.db.models import Q

from accounts.roles import is_applicant, is_evaluator, is_mentor, is_official, is_sponsor_user, is_staff
from applicants.models import Application, Company
from applicants.workflow import FUNDED
from program.permissions import agency_scope, can_act_in_agency, is_outside_agency

S = Application.Status
# A sponsor sees the projects its money supports: its programs' applications from selection on,
# terminated ones too (its money may be owed back, SPEC §18.4).
SPONSOR_VISIBLE = (*FUNDED, S.COMPLETED, S.TERMINATED)


def application_scope(user) -> Q | None:
    """The applications `user` may see, as a filter; None means none at all."""
    if is_official(user):
        return agency_scope(user, "program__agency")
    if is_applicant(user):
        return Q(company_id=user.company_id) if user.company_id else None
    if is_evaluator(user):
        return Q(evaluator_assignments__evaluator=user)
    if is_sponsor_user(user):
        return Q(program__sponsor_id=user.sponsor_id, status__in=SPONSOR_VISIBLE)
    if is_mentor(user):
        return Q(mentoring_assignments__mentor__user=user)
    return None


def evaluation_scope(user) -> Q | None:
    """The evaluations `user` may see: officials those of their agency scope's applications, an
    evaluator its own; None means none at all."""
    if is_official(user):
        return agency_scope(user, "application__program__agency")
    if is_evaluator(user):
        return Q(evaluator=user)
    return None


def application_outside_agency(user, application: Application) -> bool:
    """An official whose agency scope does not hold the application (answered 404: docs/domain.md §1).
    The application's program is loaded with it wherever it is locked or listed: no query."""
    return is_outside_agency(user, application.program.agency_id)


def is_owner(user, application: Application) -> bool:
    """An active applicant of the company the application belongs to."""
    return is_applicant(user) and user.company_id == application.company_id


def can_edit_application(user, application: Application) -> bool:
    return is_owner(user, application) and application.status in (S.DRAFT, S.CHANGES_REQUESTED)


def can_create_application(user) -> bool:
    return is_applicant(user) and bool(user.company_id)


def can_change_company(user, company: Company) -> bool:
    """Staff, and the company's own people, change its registration (audited, §4). Companies are a
    shared register (docs/domain.md §1): any agency's staff; the ministry reads them only (403)."""
    return is_staff(user) or (user.is_active and user.company_id == company.pk)


def can_assign_evaluator(user, application: Application) -> bool:
    """Staff of the application's agency put evaluators on its committee; its owner and the ministry
    see it but may not (403)."""
    return can_act_in_agency(user, application.program.agency_id)


def can_register_supplier(user) -> bool:
    """Staff register suppliers; everyone signed in may read them."""
    return is_staff(user)
