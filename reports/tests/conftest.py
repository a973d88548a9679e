"""Fixtures shared by the report and outcome tests."""

import pytest

from accounts.models import Role
from applicants.models import Application
from tests.factories import ApplicationFactory, ProgramFactory, UserFactory


@pytest.fixture
def isolated_media(settings, tmp_path, eager_tasks):
    """Files under this test's own MEDIA_ROOT; tasks in-process even where a broker is configured."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def owner():
    return UserFactory(applicant=True)


@pytest.fixture
def completed(owner):
    return ApplicationFactory(company=owner.company, status=Application.Status.COMPLETED)


@pytest.fixture
def program():
    return ProgramFactory()


@pytest.fixture
def sponsor_user(program):
    return UserFactory(role=Role.SPONSOR, sponsor=program.sponsor)
