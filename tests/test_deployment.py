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
# The app's services: one image (the Dockerfile), the app's settings.
APP_SERVICES = ("migrate", "web-1", "web-2", "worker", "beat", "monitor")
# Variables an app service sets that the settings do not read, because another program in the
# container reads them.
THIRD_PARTY_VARIABLES = {
    "FLOWER_BASIC_AUTH": "Flower reads its options from FLOWER_* variables (the monitor's login)",
}


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
    assert set(_compose()["services"]) == {
        "migrate",
        "web-1",
        "web-2",
        "worker",
        "beat",
        "monitor",
        "postgres",
        "redis",
        "minio",
        "minio-init",
    }


def test_each_service_runs_the_right_command():
    services = _compose()["services"]
    for web in ("web-1", "web-2"):
        assert "gunicorn -c config/gunicorn.py config.wsgi:application" in _command(services[web])
        assert "migrate" not in _command(services[web])
    # Two web nodes on two published ports.
    assert {services["web-1"]["ports"][0], services["web-2"]["ports"][0]} == {"8000:8000", "8001:8000"}
    # Migrations run once, in the release step, never by a web replica.
    assert _command(services["migrate"]) == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"
    # Two workers that send the task events the monitor shows; one scheduler.
    assert _command(services["worker"]).startswith("celery -A config worker -E")
    assert services["worker"]["deploy"]["replicas"] == 2
    assert _command(services["beat"]).startswith("celery -A config beat")
    assert services["beat"]["deploy"]["replicas"] == 1
    assert _command(services["monitor"]) == "celery -A config flower --port=5555"
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_the_monitor_asks_for_a_login_and_is_not_published_publicly():
    monitor = _compose()["services"]["monitor"]
    assert monitor["environment"]["FLOWER_BASIC_AUTH"].startswith("${FLOWER_BASIC_AUTH:?")
    assert monitor["ports"] == ["127.0.0.1:5555:5555"]


def test_minio_serves_and_a_one_shot_step_creates_the_private_bucket():
    services = _compose()["services"]
    minio, init = services["minio"], services["minio-init"]
    assert minio["image"].startswith("minio/minio:")
    assert _command(minio) == "server /data --console-address :9001"
    assert minio["healthcheck"]["test"] == ["CMD", "mc", "ready", "local"]
    assert "ports" not in minio  # reached by the app on the compose network only
    assert init["image"].startswith("minio/mc:")
    assert init["depends_on"] == {"minio": {"condition": "service_healthy"}}
    assert init["restart"] == "no"
    script = _command(init)
    assert 'mc mb --ignore-existing "store/$$STORAGE_BUCKET"' in script
    assert 'mc anonymous set none "store/$$STORAGE_BUCKET"' in script
    # The bucket it creates is the app's, with the same credentials.
    app_env = services["web-1"]["environment"]
    assert init["environment"]["STORAGE_BUCKET"] == app_env["STORAGE_BUCKET"]
    assert init["environment"]["MINIO_ROOT_USER"] == minio["environment"]["MINIO_ROOT_USER"]
    assert app_env["STORAGE_ACCESS_KEY"] == minio["environment"]["MINIO_ROOT_USER"]
    assert app_env["STORAGE_SECRET_KEY"] == minio["environment"]["MINIO_ROOT_PASSWORD"]


def test_app_services_use_the_settings_variables_and_reach_the_shared_services():
    services = _compose()["services"]
    known = _settings_variables() | {"DJANGO_SETTINGS_MODULE"} | set(THIRD_PARTY_VARIABLES)
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert set(env) <= known, f"{name} sets variables the settings never read: {set(env) - known}"
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        # Redis: db 0 the broker, db 1 the cache the rate limits count in (accounts/security.py).
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert env["CACHE_URL"] == "redis://redis:6379/1"
        assert {"SECRET_KEY", "ALLOWED_HOSTS"} <= set(env)
        # Every file in the object store; JSON logs.
        assert env["STORAGE_ENDPOINT_URL"] == "http://minio:9000"
        assert {"STORAGE_BUCKET", "STORAGE_ACCESS_KEY", "STORAGE_SECRET_KEY", "STORAGE_REGION"} <= set(env)
        assert env["LOG_FORMAT"] == "json"
        assert "MEDIA_ROOT" not in env and "volumes" not in services[name]  # no disk shared
    for name in ("web-1", "web-2", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert set(depends_on) == {"postgres", "redis", "minio", "migrate", "minio-init"}
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}
        assert depends_on["minio-init"] == {"condition": "service_completed_successfully"}
    assert set(services["migrate"]["depends_on"]) == {"postgres", "redis"}
    db_name = services["web-1"]["environment"]["DATABASE_URL"].rsplit("/", 1)[1]
    assert services["postgres"]["environment"]["POSTGRES_DB"] == db_name
    assert "media" not in _compose()["volumes"]


def test_the_production_module_exists_and_the_image_builds_from_here():
    assert (ROOT / "config" / "settings" / "production.py").exists()
    assert all(_compose()["services"][name]["build"] == "." for name in APP_SERVICES)
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
