"""Who sees a project's inspections (SPEC §17). Outside scope answers 404.

Staff record them (their agency's projects) and the ministry reads them, as with every application;
the SME's own people read theirs; the program's sponsor reads them too (the inspection is what its
money was checked against, SPEC issue 19 item 5). Evaluators and mentors see none."""

from accounts.roles import is_applicant, is_official, is_sponsor_user, is_staff
from applicants.models import Application
from applicants.permissions import application_outside_agency


def can_read_inspections(user, application: Application) -> bool:
    """For an application `user` already sees (applicants.selectors.application_visible)."""
    return is_official(user) or is_applicant(user) or is_sponsor_user(user)


def can_record_inspection(user, application: Application) -> bool:
    return is_staff(user) and not application_outside_agency(user, application)
