"""Property-based fuzzing of the whole REST API with schemathesis: whatever a client sends to any
operation of the OpenAPI schema (/api/schema/), valid or not, the API never answers 5xx.

Every operation is one pytest item per role, called in-process through the WSGI application (no
server, no broker). Staff, who may do the most, get schemathesis' coverage phase (every invalid
type, bound, enum value and method the schema implies, negative cases only) and its fuzzing phase;
an applicant gets the fuzzing phase. Derandomized: CI runs the same cases every time.
"""

import datetime
import logging
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from mentoring.models import MentoringSession
from reports.models import Outcome, Report
from tests.factories import (
    ApplicationFactory,
    ContributionFactory,
    EvaluationFactory,
    MentoringAssignmentFactory,
    SupplierFactory,
    fund_program,
    user_with_role,
)

FUZZ_SETTINGS = settings(
    deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


def load_schema(phases: dict):
    return schemathesis.openapi.from_wsgi(
        "/api/schema/", application, config=schemathesis.Config.from_dict({"phases": phases})
    )


staff_schema = load_schema({"coverage": {"generation": {"mode": "negative"}}})
applicant_schema = load_schema({"coverage": {"enabled": False}})

# Per resource (the path segment after /api/v1/), the id of a seeded object: generated path ids
# are sometimes swapped for it, so detail and action endpoints reach a real object, not only 404.
SEEDED_IDS: dict[str, int] = {}


@staff_schema.hook
@applicant_schema.hook
def flatmap_path_parameters(context, path_parameters):
    resource = context.operation.path.removeprefix("/api/v1/").split("/", 1)[0]
    seeded = SEEDED_IDS.get(resource)
    if seeded is None or not isinstance(path_parameters, dict) or "id" not in path_parameters:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, "id": seeded}])


@pytest.fixture
def seeded_world(db):
    """A funded program with a submitted application, an evaluation, a mentoring assignment with a
    session, an outcome, a contribution and a report."""
    application = ApplicationFactory(submitted=True)
    program = application.program
    fund_program(program, sponsor=2_000_000_000, government=3_000_000_000)
    ContributionFactory(program=program)
    EvaluationFactory(application__program=program)
    assignment = MentoringAssignmentFactory(application__program=program)
    session = MentoringSession.objects.create(
        assignment=assignment, held_on=datetime.date(2026, 3, 9), hours=2
    )
    outcome = Outcome.objects.create(
        application=assignment.application,
        kpi=Outcome.Kpi.PRODUCTIVITY,
        baseline=Decimal(100),
        result=Decimal(130),
        measured_on=datetime.date(2026, 6, 30),
    )
    report = Report.objects.create(
        kind=Report.Kind.FUND_STATUS, format=Report.Format.XLSX, program=program, status=Report.Status.FAILED
    )
    SEEDED_IDS.update(
        {
            "applications": application.pk,
            "companies": application.company_id,
            "programs": program.pk,
            "sponsors": program.sponsor_id,
            "suppliers": SupplierFactory().pk,
            "mentors": assignment.mentor_id,
            "mentoring-assignments": assignment.pk,
            "mentoring-sessions": session.pk,
            "outcomes": outcome.pk,
            "reports": report.pk,
        }
    )
    yield
    SEEDED_IDS.clear()


@pytest.fixture
def in_process_requests(caplog, eager_tasks):
    """Requests served in the test's thread and transaction, as Django's test client serves them:
    the end of a request must not close the connection the test runs in. Only server errors are
    logged (with their traceback), not the thousands of 4xx answers."""
    caplog.set_level(logging.ERROR, logger="django.request")
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(role, seeded_world, in_process_requests):
    """Token authentication as `role`, the token made directly: the token endpoint is throttled and
    guarded by axes."""
    token = Token.objects.create(user=user_with_role(role))
    return {"Authorization": f"Token {token.key}"}


# Each test is parametrized by its role: besides naming the role, the parametrization gives every
# operation's item its own node id ("...[GET /api/v1/programs/][staff]").
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff"])
@staff_schema.parametrize()
@settings(FUZZ_SETTINGS, max_examples=15)
def test_no_request_of_staff_gets_a_server_error(case, auth_headers):
    response = case.call(headers=auth_headers)
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["applicant"])
@applicant_schema.parametrize()
@settings(FUZZ_SETTINGS, max_examples=10)
def test_no_request_of_an_applicant_gets_a_server_error(case, auth_headers):
    response = case.call(headers=auth_headers)
    case.validate_response(response, checks=[not_a_server_error])
