"""A funded project in any state after selection, with its agreement row, for the completion and
inspection tests (the agreement's own workflow is tested with its part)."""

import datetime

from django.utils import timezone

from applicants.models import Application
from applicants.services import application_transition
from projects.models import Agreement
from reports.models import Outcome
from tests.factories import ApplicationFactory, AttachmentFactory, ProgramFactory, UserFactory, fund_program

S = Application.Status
TARGETS = [
    {"kpi": "productivity", "baseline": "100", "target": "120"},
    {"kpi": "defect_rate", "baseline": "5", "target": "3"},
    {"kpi": "lead_time", "baseline": "10", "target": "7"},
]


def funded_project(staff, *, status=S.BUILDING, owner=None, agreement=True, program=None) -> Application:
    """Selected through the workflow (the split committed), then put in `status` directly: the agreement
    and deposit guards of the states between belong to the other parts."""
    program = program or ProgramFactory(agency=staff.agency)
    fund_program(program, sponsor=10**10, government=10**10)
    fields = {"company": owner.company} if owner else {}
    application = ApplicationFactory(program=program, evaluation=True, **fields)
    application_transition(application=application, action="select", actor=staff)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    if agreement:
        today = timezone.localdate()
        Agreement.objects.create(
            application=application,
            status=Agreement.Status.COUNTERSIGNED,
            starts_on=today - datetime.timedelta(days=150),
            original_ends_on=today + datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=30),
            kpi_targets=TARGETS,
        )
    return application


def owner_of(application) -> object:
    return UserFactory(applicant=True, company=application.company)


def ready_for_inspection(application, *, report=True, kpis=("productivity", "defect_rate", "lead_time")):
    """The completion report uploaded and a result entered for each of `kpis`."""
    if report:
        AttachmentFactory(application=application, kind="completion_report")
    results = {"productivity": 125, "defect_rate": 2, "lead_time": 6}
    baselines = {"productivity": 100, "defect_rate": 5, "lead_time": 10}
    for kpi in kpis:
        Outcome.objects.create(
            application=application,
            kpi=kpi,
            baseline=baselines[kpi],
            result=results[kpi],
            measured_on=timezone.localdate(),
        )


def passing(**overrides) -> dict:
    return {
        "installed": True,
        "operating": True,
        "data_collected": True,
        "kpis": {"productivity": True, "defect_rate": True, "lead_time": False},
        "audit_report": None,
        "result": "pass",
        "note": "",
        **overrides,
    }
