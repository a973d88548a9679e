import pytest

from applicants import services
from tests.factories import (
    ApplicationFactory,
    EvaluationFactory,
    EvaluatorAssignmentFactory,
    ProgramFactory,
    SupplierFactory,
    UserFactory,
    fund_program,
)

PASSWORD = "correct-horse-42"  # tests.factories.UserFactory's


@pytest.fixture
def staff():
    return UserFactory(role="staff")


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.fixture
def selected(staff, owner):
    """An application of `owner`'s company selected by `staff` (funds committed, split computed)."""
    program = ProgramFactory(agency=staff.agency)
    fund_program(program, sponsor=1_000_000_000, government=1_000_000_000)
    application = ApplicationFactory(
        evaluation=True,
        program=program,
        company=owner.company,
        supplier=SupplierFactory(),
        total_cost=123_456_000,
    )
    assignment = EvaluatorAssignmentFactory(application=application, assigned_by=staff)
    EvaluationFactory(application=application, evaluator=assignment.evaluator)
    return services.application_transition(application=application, action="select", actor=staff)
