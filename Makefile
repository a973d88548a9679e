# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PY := $(VENV)/bin/python
PYTEST_ARGS ?= -n auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install lint migrations-check browser messages

# Install the app, create the embedded SQLite database with demo data, and serve it.
demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "  상생형 스마트공장 데모:  http://$(HOST):$(PORT)/   (Ctrl-C 로 종료)"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

# Install everything the tests need and run the whole suite (SQLite by default;
# PostgreSQL and Redis when DATABASE_URL and CELERY_BROKER_URL are set).
test: $(VENV)/.installed browser
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's chromium (never a browser downloaded by Playwright) and need
# Korean fonts for readable screenshots. Installed from the distribution when missing.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "installing chromium and fonts-noto-cjk (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk; \
	fi

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run

# Refresh the English catalogue from the source strings, then compile it (both files are committed).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --no-location --no-wrap --no-obsolete --ignore=.venv --ignore=node_modules \
		--ignore=.test-media --ignore=media --ignore=staticfiles --ignore=*.egg-info --ignore=test-artifacts
	$(PY) manage.py compilemessages --ignore=.venv

# Performance benchmark (docs/performance.md): load the national-scale synthetic data set into a
# PostgreSQL database once (skipped when it is already loaded; `python -m bench.load --reset`
# reloads), then time the sponsor dashboard, which fails above 150 ms median. DATABASE_URL given on
# the command line wins; one from the environment (e.g. a test database) does not.
.PHONY: bench
bench: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_bench
bench: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.load --if-empty
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.dashboard
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.suggestions
