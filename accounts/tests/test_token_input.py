"""What the token endpoint accepts (found by the randomized API fuzzing, issue 13): a username longer
than any username reached axes' record of the failed attempt (255 characters) and failed the
request on PostgreSQL with a 500."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # DRF keeps the token endpoint's request history in the default cache
    yield
    cache.clear()


@pytest.mark.parametrize("length", [151, 256, 5_000])
def test_a_username_longer_than_any_is_a_field_error_and_no_attempt(length):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "a" * length, "password": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "username" in response.json()
    assert not AccessAttempt.objects.exists()
