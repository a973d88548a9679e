import copy

import pytest


@pytest.mark.django_db
def test_it_reports_database_and_broker(client, settings):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    expected_broker = "in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["broker"] == expected_broker
    assert body["pages"] == "ok"
    assert body["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_says_degraded_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    body = client.get("/health/").json()
    assert body == {"status": "degraded", "database": "ok", "broker": "unavailable", "pages": "ok"}


@pytest.mark.django_db
def test_it_fails_when_the_static_manifest_is_missing(client, settings, tmp_path):
    """The production storage without a collected manifest: every page would answer 500."""
    storages = copy.deepcopy(settings.STORAGES)
    storages["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = storages
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["pages"] == "unavailable"
    assert response.json()["status"] == "degraded"


@pytest.mark.django_db
def test_it_fails_when_the_base_template_cannot_render(client, settings, tmp_path):
    (tmp_path / "base.html").write_text("{% url 'no-such-page' %}")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["pages"] == "unavailable"


def test_it_refuses_other_methods(client):
    assert client.post("/health/").status_code == 405
