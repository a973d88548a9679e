# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PY := $(VENV)/bin/python
PYTEST_ARGS ?= -n auto

.PHONY: demo test install lint migrations-check

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
test: $(VENV)/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

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
