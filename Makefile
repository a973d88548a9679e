# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PY := $(VENV)/bin/python
PYTEST_ARGS ?= -n auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install lint typecheck migrations-check browser system-packages messages assets node

# Install the app, create the embedded SQLite database with demo data, and serve it under the demo
# settings (config/settings/demo.py): DEBUG off, so a wrong address shows the 404 page rather than
# the debug page (--insecure: runserver still serves the static files), and the "데모 데이터"
# notice on every page. seed_demo prints every login.
DEMO := DJANGO_SETTINGS_MODULE=config.settings.demo
demo: $(VENV)/.installed system-packages assets
	$(DEMO) $(PY) manage.py migrate --noinput
	$(DEMO) $(PY) manage.py seed_demo
	@echo
	@echo "  상생형 스마트공장 데모:  http://$(HOST):$(PORT)/   (Ctrl-C 로 종료)"
	@echo
	$(DEMO) $(PY) manage.py runserver --insecure $(HOST):$(PORT)

# Install everything the tests need and run the whole suite (SQLite by default;
# PostgreSQL and Redis when DATABASE_URL and CELERY_BROKER_URL are set).
test: $(VENV)/.installed browser assets
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# System packages from the distribution, installed when missing (as root, or through sudo):
# Korean fonts and the Pango libraries WeasyPrint renders PDF reports with (the app needs them);
# for the tests also Debian's chromium (never a browser downloaded by Playwright) and poppler-utils
# (pdftoppm, to look at rendered PDFs).
APP_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(APP_PACKAGES) chromium poppler-utils
# npm, for `make assets` (KRDS from package-lock.json); the image gets it from its node stage instead.
# Installed from Debian only when no npm is on the PATH: a machine with another Node.js build (e.g.
# nodesource's, which carries its own npm) keeps it — Debian's npm package conflicts with it.
NODE_PACKAGES := nodejs npm
define apt_install
	@if ! dpkg-query -W -f='$${Status}\n' $(1) 2>/dev/null | grep -qv "not-installed" \
		|| dpkg-query -W -f='$${Status}\n' $(1) 2>&1 | grep -qE "not-installed|no packages"; then \
		echo "installing $(1) (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(1); \
	fi
endef
system-packages: node
	$(call apt_install,$(APP_PACKAGES))
node:
	@command -v npm >/dev/null 2>&1 || { \
		echo "installing $(NODE_PACKAGES) (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(NODE_PACKAGES); }
browser:
	$(call apt_install,$(TEST_PACKAGES))

install: $(VENV)/.installed

# KRDS, the government design system (static/vendor/README.md): node_modules exactly as package-lock.json
# pins it (npm ci checks every package's sha512), no install scripts run. The stamp is newer than the
# lock once installed: a changed lock installs again, an unchanged one costs nothing.
ASSETS_STAMP := node_modules/.assets-installed
assets: node $(ASSETS_STAMP)
$(ASSETS_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	test -d node_modules/krds-uiux/resources
	touch $@

# The environment is exactly requirements-dev.lock (every package at its version, every file checked
# against its sha256), then the project itself, editable, with no dependency of its own and no build
# isolation: setuptools comes from the lock too, nothing is fetched unpinned. The stamp holds the
# lock's checksum, so tests/test_lock.py knows the environment was made from this lock. A changed
# lock (or pyproject.toml) installs again.
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	sha256sum requirements-dev.lock > $@

# Reproducible installs. Two lock files, made from pyproject.toml for Python 3.11 on Linux x86_64
# (the image is python:3.11-slim-bookworm), every file with its sha256:
#   requirements.lock      the app's runtime packages: the image (Dockerfile);
#   requirements-dev.lock  runtime + the dev extra: make install, CI.
# Both also hold pip and setuptools (pyproject's `install` group), which install and build the
# project without build isolation. The runtime lock is constrained by the dev lock: the same versions,
# a subset. The versions already in a lock are kept (uv reads the output file as its preferences), so
# re-locking upgrades nothing by itself: only what pyproject.toml now asks for changes.
# uv rather than pip-tools: the same requirements format and preferences, in a second instead of
# minutes, and a binary of its own, so it can lock while the environment is stale or being rebuilt.
# Its version is pyproject's pin (the dev extra); `make lock` installs it when the venv lacks it.
UV := $(VENV)/bin/uv
LOCK_COMPILE = $(abspath $(UV)) pip compile pyproject.toml --group install --generate-hashes --quiet \
	--python-version 3.11 --python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock"
LOCK_WRITE = $(LOCK_COMPILE) --extra dev --output-file requirements-dev.lock \
	&& $(LOCK_COMPILE) --constraint requirements-dev.lock --output-file requirements.lock

.PHONY: lock lock-check
$(UV):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "$$(grep -o '"uv==[^"]*"' pyproject.toml | tr -d '"')"

lock: $(UV)
	$(LOCK_WRITE)

# Fails when the locks are not what pyproject.toml asks for (a package added, removed or re-pinned
# there and `make lock` not run): compile again into a scratch directory, with the committed locks as
# the preferences, and compare. Names the packages that differ.
lock-check: $(UV)
	@scratch="$$(mktemp -d)" && trap 'rm -rf "$$scratch"' EXIT \
	&& cp pyproject.toml requirements.lock requirements-dev.lock "$$scratch"/ \
	&& (cd "$$scratch" && $(LOCK_WRITE)) \
	&& stale=0 && for lock in requirements.lock requirements-dev.lock; do \
		if ! diff -q "$$lock" "$$scratch/$$lock" >/dev/null; then \
			stale=1; echo "$$lock is stale: pyproject.toml asks for other packages. Run \`make lock\`."; \
			diff "$$lock" "$$scratch/$$lock" | grep -E '^[<>] [A-Za-z0-9]' \
				| sed -e 's/^< /    locked, not wanted: /' -e 's/^> /    wanted, not locked: /' -e 's/ \\$$//'; \
		fi; \
	done && test "$$stale" = 0 && echo "requirements.lock and requirements-dev.lock match pyproject.toml"

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

# Issue 18's figures (bench/inbox.py, docs/performance.md): on the loaded bench database, add once
# 1,000,000 notifications, 500,000 messages and 100,000 open change requests (`python -m bench.inbox
# --drop` takes them away), then time the inbox, the thread and the reminder run; exit 1 on a missed
# target. The reminders' e-mail tasks go to CELERY_BROKER_URL (a Redis db of its own; nothing consumes them).
.PHONY: bench-inbox
bench-inbox: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_bench
bench-inbox: CELERY_BROKER_URL = redis://127.0.0.1:6379/10
bench-inbox: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.load --if-empty
	DATABASE_URL='$(DATABASE_URL)' $(PY) manage.py migrate --noinput
	DATABASE_URL='$(DATABASE_URL)' CELERY_BROKER_URL='$(CELERY_BROKER_URL)' $(PY) -m bench.inbox

# Issue 20's figures (bench/execution.py, docs/performance.md): on the loaded bench database, add once
# 1,000,000 spending lines, the SME's deposits and 3,000 clawbacks (`python -m bench.execution --drop`
# takes them away), then time the staff review queue, one settlement and the invoice-number check;
# exit 1 on a missed target.
.PHONY: bench-execution
bench-execution: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_bench
bench-execution: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.load --if-empty
	DATABASE_URL='$(DATABASE_URL)' $(PY) manage.py migrate --noinput
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.execution

# Issue 21's import figures (bench/imports.py, docs/performance.md): 100,000 support records written as
# XLSX and as CSV, each checked and written through imports' services in a child process (then again:
# every row unchanged); seconds and peak RSS; exit 1 above 60 s or 300 MB. A scratch PostgreSQL database.
.PHONY: bench-imports
bench-imports: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_imports
bench-imports: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.imports

# Issue 21's support history figures (bench/history.py, docs/performance.md): on the loaded bench
# database, add once 500,000 imported support records over 200,000 business numbers (`python -m
# bench.history --drop` takes them away), then time company_history + company_warnings for 200
# companies (p50/p95 per company, target 20 ms); exit 1 on a missed target.
.PHONY: bench-history
bench-history: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_bench
bench-history: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.load --if-empty
	DATABASE_URL='$(DATABASE_URL)' $(PY) manage.py migrate --noinput
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.history

# Issue 22's figures (bench/accounts.py, docs/performance.md): on the loaded bench database, add once
# 20,000 applicant users with their consent and 1,000,000 API tokens (`python -m bench.accounts --drop`
# takes them away), then time the token check, the retention selection and one anonymisation (rolled
# back); exit 1 on a missed target.
.PHONY: bench-accounts
bench-accounts: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_bench
bench-accounts: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.load --if-empty
	DATABASE_URL='$(DATABASE_URL)' $(PY) manage.py migrate --noinput
	DATABASE_URL='$(DATABASE_URL)' $(PY) -m bench.accounts

# Two web nodes, a worker and an object store on one machine (issue 16, bench/two_nodes.py): clients
# alternate nodes uploading documents and asking for reports; every write that answered success must
# be in the database exactly once. A scratch PostgreSQL database (migrated, rows left) and a Redis db.
# Not in CI. DATABASE_URL / CELERY_BROKER_URL given on the command line win.
.PHONY: bench-two-nodes
bench-two-nodes: DATABASE_URL = postgres://postgres@127.0.0.1:5432/smartfactory_two_nodes
bench-two-nodes: CELERY_BROKER_URL = redis://127.0.0.1:6379/9
bench-two-nodes: $(VENV)/.installed
	DATABASE_URL='$(DATABASE_URL)' CELERY_BROKER_URL='$(CELERY_BROKER_URL)' $(PY) -m bench.two_nodes
