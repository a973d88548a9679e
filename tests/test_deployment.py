"""docker-compose.yml cannot be started here (no Docker engine); check what can be checked."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV_READ = re.compile(
    r"""env(?:str|bool|int|list)\(\s*"([A-Z_]+)"|os\.environ(?:\.get)?[\(\[]\s*"([A-Z_]+)\""""
)


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _settings_variables() -> set[str]:
    found = set()
    for path in (ROOT / "config").rglob("*.py"):
        for match in ENV_READ.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    return found - {"DJANGO_SETTINGS_MODULE"}


def _command(service) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_it_parses_and_names_the_five_services():
    assert set(_compose()["services"]) == {"web", "worker", "beat", "postgres", "redis"}


def test_each_service_runs_the_right_command():
    services = _compose()["services"]
    assert "gunicorn config.wsgi:application" in _command(services["web"])
    assert "manage.py migrate" in _command(services["web"])
    assert _command(services["worker"]).startswith("celery -A config worker")
    assert _command(services["beat"]).startswith("celery -A config beat")
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_app_services_use_the_settings_variables_and_reach_postgres_and_redis():
    services = _compose()["services"]
    known = _settings_variables() | {"DJANGO_SETTINGS_MODULE"}
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert set(env) <= known, f"{name} sets variables the settings never read: {set(env) - known}"
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert {"SECRET_KEY", "ALLOWED_HOSTS"} <= set(env)
        assert set(services[name]["depends_on"]) == {"postgres", "redis"}
    db_name = services["web"]["environment"]["DATABASE_URL"].rsplit("/", 1)[1]
    assert services["postgres"]["environment"]["POSTGRES_DB"] == db_name


def test_the_production_module_exists_and_the_image_builds_from_here():
    assert (ROOT / "config" / "settings" / "production.py").exists()
    assert _compose()["services"]["web"]["build"] == "."
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()


def test_every_variable_the_settings_read_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    undocumented = {name for name in _settings_variables() if f"`{name}`" not in readme}
    assert not undocumented, f"README does not document: {sorted(undocumented)}"
