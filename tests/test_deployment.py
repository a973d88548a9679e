"""docker-compose.yml and the Dockerfile cannot be run here (no Docker engine): check what can be
checked, and run the production settings themselves (collectstatic, check --deploy, gunicorn)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

from tests.workers import free_port

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


def test_it_parses_and_names_the_services():
    assert set(_compose()["services"]) == {"migrate", "web", "worker", "beat", "postgres", "redis"}


def test_each_service_runs_the_right_command():
    services = _compose()["services"]
    assert "gunicorn config.wsgi:application" in _command(services["web"])
    # Migrations run once, in the release step, never by a web replica.
    assert _command(services["migrate"]) == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    assert "migrate" not in _command(services["web"])
    assert _command(services["worker"]).startswith("celery -A config worker")
    assert _command(services["beat"]).startswith("celery -A config beat")
    assert services["beat"]["deploy"]["replicas"] == 1  # one scheduler
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
        # The rate limits count in Redis, shared by every process (accounts/security.py).
        assert env["CACHE_URL"].startswith("redis://redis:6379/")
        assert set(services[name]["depends_on"]) == {"postgres", "redis", "migrate"}
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert set(services["migrate"]["depends_on"]) == {"postgres", "redis"}
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


# --- The image and a production deployment (issue 13, item 1) ----------------------------------


def _dockerfile_runs() -> list[str]:
    """The Dockerfile's RUN instructions, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.strip()[len("RUN ") :] for line in text.splitlines() if line.strip().startswith("RUN ")]


def _app_packages() -> set[str]:
    match = re.search(r"^APP_PACKAGES := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    return set(match.group(1).split())


def test_the_image_installs_the_system_packages_the_makefile_lists():
    """Korean fonts and Pango (WeasyPrint's PDF reports): the same list as `make system-packages`."""
    assert {"fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0"} <= _app_packages()
    apt_run = next(run for run in _dockerfile_runs() if "apt-get install" in run)
    # Run the instruction with apt-get (and rm) replaced by echo: what would it install?
    script = f'apt-get() {{ echo "apt-get $*"; }}; rm() {{ :; }}; {apt_run}'
    result = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    install = next(line for line in result.stdout.splitlines() if line.startswith("apt-get install"))
    assert _app_packages() <= set(install.split()), install


def test_the_image_collects_static_files_under_the_production_settings():
    collect = [run for run in _dockerfile_runs() if "collectstatic" in run]
    assert len(collect) == 1
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in collect[0]
    assert "config.settings.local" not in collect[0]


THIRD_PARTY_STATIC = ["admin", "rest_framework", "drf_spectacular_sidecar"]


def _production_env(tmp_path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CACHE_URL", "DEBUG", "SECURE_SSL_REDIRECT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    return env


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result


def test_a_production_deployment_serves_its_pages_and_static_files(tmp_path):
    """What CI does (.ci/run), on a scratch SQLite database: collect static files and check the
    deployment under the production settings, start gunicorn, fetch pages through config.smoke."""
    from config import smoke

    env = _production_env(tmp_path)
    # The project's own static files (where a broken reference stops the manifest); the third-party
    # bundles, a minute of compression on a small machine, are collected by CI and the image build.
    _manage(env, "collectstatic", "--noinput", *[f"--ignore={name}" for name in THIRD_PARTY_STATIC])
    assert (tmp_path / "static" / "staticfiles.json").exists()
    _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    _manage(env, "migrate", "--noinput")
    base_url = f"http://127.0.0.1:{free_port()}"
    log = (tmp_path / "gunicorn.log").open("w")
    gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "1"]
    server = subprocess.Popen(
        [*gunicorn, "--bind", base_url.removeprefix("http://")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert smoke.wait(base_url, seconds=60), (tmp_path / "gunicorn.log").read_text()[-4000:]
        assert smoke.check(base_url) == [], (tmp_path / "gunicorn.log").read_text()[-4000:]
        status, body = smoke.fetch(f"{base_url}/health/")
        assert status == 200 and '"pages": "ok"' in body
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
