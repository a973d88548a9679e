import pytest


@pytest.mark.django_db
def test_it_reports_database_and_broker(client, settings):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    expected_broker = "in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["broker"] == expected_broker
    assert body["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_says_degraded_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    body = client.get("/health/").json()
    assert body == {"status": "degraded", "database": "ok", "broker": "unavailable"}


def test_it_refuses_other_methods(client):
    assert client.post("/health/").status_code == 405
