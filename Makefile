# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PY := $(VENV)/bin/python
PYTEST_ARGS ?= -n auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install lint typecheck migrations-check browser system-packages messages

# Install the app, create the embedded SQLite database with demo data, and serve it under the demo
# settings (config/settings/demo.py): DEBUG off, so a wrong address shows the 404 page rather than
# the debug page (--insecure: runserver still serves the static files), and the "데모 데이터"
# notice on every page. seed_demo prints every login.
DEMO := DJANGO_SETTINGS_MODULE=config.settings.demo
demo: $(VENV)/.installed system-packages
	$(DEMO) $(PY) manage.py migrate --noinput
	$(DEMO) $(PY) manage.py seed_demo
	@echo
	@echo "  상생형 스마트공장 데모:  http://$(HOST):$(PORT)/   (Ctrl-C 로 종료)"
	@echo
	$(DEMO) $(PY) manage.py runserver --insecure $(HOST):$(PORT)

# Install everything the tests need and run the whole suite (SQLite by default;
# PostgreSQL and Redis when DATABASE_URL and CELERY_BROKER_URL are set).
test: $(VENV)/.installed browser
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# System packages from the distribution, installed when missing (as root, or through sudo):
# Korean fonts and the Pango libraries WeasyPrint renders PDF reports with (the app needs them);
# for the tests also Debian's chromium (never a browser downloaded by Playwright) and poppler-utils
# (pdftoppm, to look at rendered PDFs).
APP_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(APP_PACKAGES) chromium poppler-utils
define apt_install
	@if ! dpkg-query -W -f='$${Status}\n' $(1) 2>/dev/null | grep -qv "not-installed" \
		|| dpkg-query -W -f='$${Status}\n' $(1) 2>&1 | grep -qE "not-installed|no packages"; then \
		echo "installing $(1) (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(1); \
	fi
endef
system-packages:
	$(call apt_install,$(APP_PACKAGES))
browser:
	$(call apt_install,$(TEST_PACKAGES))

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# mypy with the Django and DRF plugins over the modules listed in pyproject.toml ([tool.mypy] files).
typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

migrations-check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

# Refresh the English catalogue from the source strings, then compile it (both files are committed).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --no-location --no-wrap --no-obsolete --ignore=.venv --ignore=node_modules \
		--ignore=.test-media --ignore=media --ignore=staticfiles --ignore=*.egg-info --ignore=test-artifacts
	$(PY) manage.py compilemessages --ignore=.venv

# Performance benchmark (docs/performance.md): load the national-scale synthetic data set into a
# PostgreSQL database once (skipped when it is already loaded; `python -m bench.load --reset`
# reloads), migrate it, then run the suite (bench/suite.py): one table, exit 1 on any missed target.
# DATABASE_URL given on the command line wins; one from the environment (e.g. a test database) does not.
.PHONY: bench
bench: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_bench
bench: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.load --if-empty
	DATABASE_URL='$(DATABASE_URL)' $(PY) manage.py migrate --noinput
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.suite

# Two web nodes, a worker and an object store on one machine (issue 16, bench/two_nodes.py): clients
# alternate nodes uploading documents and asking for reports; every write that answered success must
# be in the database exactly once. A scratch PostgreSQL database (migrated, rows left) and a Redis db.
# Not in CI. DATABASE_URL / CELERY_BROKER_URL given on the command line win.
.PHONY: bench-two-nodes
bench-two-nodes: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_two_nodes
bench-two-nodes: CELERY_BROKER_URL = redis://127.0.0.1:6379/9
bench-two-nodes: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' CELERY_BROKER_URL='$(CELERY_BROKER_URL)' $(PY) -m bench.two_nodes
