"""Settings shared by every environment; everything that differs comes from the environment.

Unset DATABASE_URL means the embedded SQLite database; unset CELERY_BROKER_URL means tasks run
in-process (eager). Set both to run on PostgreSQL and Redis with real workers.
"""

import datetime
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import envbool, envint, envlist, envstr
from config.logs import logging_config
from config.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = envstr("SECRET_KEY", "django-insecure-local-development-key-change-me")
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "accounts",
    "program",
    "funds",
    "applicants",
    "mentoring",
    "projects",
    "execution",
    "imports",
    "reports",
    "ops",
]

# Where an app plugs into the apps below it (config/plugins.py, docs/architecture.md): a lower
# app calls what is registered under a name, in this order, and never imports the app above it.
PLUGINS: dict[str, list[str]] = {
    # The staff application page's panels, in page order (applicants/panels.py).
    "application_panels": [
        "mentoring.panels.mentors",  # mentors assigned and suggested, one-click assign (§7)
        "funds.panels.payments",  # payments made, what is still owed, record a payment (§3.3)
        "applicants.panels.documents",  # the uploaded documents
        "applicants.panels.evaluations",  # scores, the committee, assign an evaluator (§5)
        "projects.panels.agreement.agreement",  # the agreement: draft, send, signatures (SPEC §16)
        "projects.panels.changes.changes",  # agreement changes asked for and decided (SPEC §16)
        "projects.panels.inspections.inspection",  # the completion inspection (SPEC §17)
        "execution.panels.spending.spending",  # spending lines, their flags and review (SPEC §18.1)
        "execution.panels.settlement.settlement",  # deposits, the settlement, clawbacks (SPEC §18.2-18.4)
        "reports.panels.outcomes",  # KPI outcomes once the application is over (§8)
        "applicants.panels.message_thread",  # the thread with the SME and internal notes (§19)
        "funds.panels.support_history",  # the overview: support history and its warnings (SPEC §15.4)
    ],
    # Inside every workflow action's transaction, before the status changes (applicants.services).
    "application_transition": [
        # Refusals first, so nothing moves money for an action that is then refused.
        "projects.services.agreements.application_transition",  # sign_agreement: a countersigned agreement
        "projects.services.inspections.application_transition",  # complete needs a passing inspection
        "reports.completion.application_transition",  # submit_completion needs a result per KPI target
        "applicants.services.bans.application_transition",  # submit refused to a banned company (§15.2)
        "execution.services.deposits.application_transition",  # start_build needs a deposit (§18.2)
        "execution.services.settlement.application_transition",  # complete needs a confirmed settlement
        "funds.effects.application_transition",  # commit on select, release on withdraw and terminate (§3)
        # After the release: what a terminated project was paid goes to a clawback (SPEC §4, §18.4).
        "execution.services.clawbacks.application_transition",
    ],
    # When an application's total cost is set or changes (applicants.services).
    "application_cost_changed": [
        "funds.effects.application_cost_changed",  # the split computed again by the worker (§3.2)
    ],
    # Audit actions in words: each app names its own (program/audit.py asks them in this order).
    "audit_labels": [
        "program.audit.audit_labels",
        "accounts.audit.audit_labels",
        "applicants.audit.audit_labels",
        "funds.audit.audit_labels",
        "mentoring.audit.audit_labels",
        "projects.audit.audit_labels",
        "execution.audit.audit_labels",
        "imports.audit.audit_labels",
        "reports.audit.audit_labels",
    ],
    "audit_values": [
        "funds.audit.audit_values",
        "mentoring.audit.audit_values",
        "reports.audit.audit_values",
    ],
    # accounts' events (SPEC §20) reach the audit trail, which sits above accounts (accounts/audit.py).
    "account_audit": [
        "program.services.audit_event_record",
    ],
    # Audit events about the company a search names and its applications (program/selectors.py).
    "audit_subjects": [
        "applicants.audit.audit_subjects",
    ],
    # Inside a payment's transaction, after its split (funds.services.disbursement_record): each may
    # refuse it or fix its parts per pot.
    "payment_rules": [
        "execution.services.deposits.payment_rule",  # 409 sme_share_unpaid (SPEC §18.2)
        "execution.services.settlement.payment_rule",  # after confirmation: the exact balances (§18.3)
    ],
    "program_saved": [
        "funds.services.fund_budget_sync",  # the government pot follows the matching budget (§3.3)
    ],
    # The signed-in home's sections (program/home.py, SPEC §11): each answers for its roles, None for
    # the others; the home orders them by their `order`. Agreements, spending, inspections and
    # clawbacks (issues 19-20) add their queues here when they land.
    # Reminders from beat (applicants/services/reminders.py): change requests are built in; agreements and
    # clawbacks (SPEC §16, §18) register a function returning their ReminderSource here.
    "reminder_sources": [
        # agreements sent and not yet signed by the SME: due 14 days after sending
        "projects.agreement_reminders.agreements_awaiting_signature",
        # open clawbacks: 3 days before and on their due date (SPEC §19)
        "execution.reminders.clawbacks_due",
    ],
    "home_sections": [
        "reports.home.sponsor_figures",  # a sponsor's headline figures and supported projects
        "applicants.home.staff_queues",  # to screen, to evaluate, to decide; deadlines
        "projects.home.staff_agreement_todo",  # agreements to draft/countersign, changes, inspections
        "execution.home.staff_execution_todo",  # spending to review, settlements, clawbacks overdue
        "applicants.home.applicant_applications",  # an SME's applications and next steps
        "projects.home.applicant_project_todo",  # an SME's agreement to sign, completion, rework due
        "execution.home.applicant_spending",  # an SME's spending register and clawbacks due
        "applicants.home.evaluator_todo",  # what an evaluator still has to score
        "applicants.home.ministry_overview",  # every agency's applications by stage
        "mentoring.home.mentor_assignments",  # a mentor's assignments and sessions due
        "funds.home.staff_payments",  # committed and not yet paid, per program
        "funds.home.ministry_funds",  # every agency's committed and paid
        "mentoring.home.staff_mentoring",  # assignments ending or overdue, applications waiting
        "reports.home.report_status",  # reports failed, running, ready
    ],
}

MIDDLEWARE = [
    # First: every line logged for a request carries its id (config/request_id.py), and the request
    # is counted and timed whatever answers it (config/metrics.py).
    "config.request_id.RequestIdMiddleware",
    "config.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A view that cannot reach the database answers 503 (config/middleware.py), not a bare 500.
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL character in the path, query string or a form body answers 400 (config/parsers.py).
    "config.middleware.NulCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a locked-out login into the lock-out page (accounts.security.lockout_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # `roles.staff`, `roles.sponsor`, …: base.html's menu asks accounts/roles.py.
                "accounts.context_processors.roles",
                # `inbox_unread`: the header's count of unread notices (one query, for signed-in users).
                "program.context_processors.inbox",
            ],
            # `{% load money %}`: `won` and `won_short` (config/money.py), for every app's templates.
            "libraries": {
                "money": "config.templatetags.money",
                "badges": "config.templatetags.badges",
                "nav": "config.templatetags.nav",
            },
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        # A connection that died with a database restart is noticed and replaced.
        conn_health_checks=True,
    )
}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Behind PgBouncer in transaction pooling, consecutive queries of one request may reach different
# server connections: a server-side cursor (a named cursor living across statements) would vanish
# under the next one, and a connection kept open by Django (CONN_MAX_AGE) only holds a PgBouncer
# client slot that PgBouncer already multiplexes, so both are off. (Prepared statements, the other
# trap of transaction pooling, are already off: Django sets psycopg's prepare_threshold to None.)
DATABASE_PGBOUNCER = envbool("DATABASE_PGBOUNCER", False)
# psycopg's connection pool in each process (Django 5.1+, OPTIONS["pool"]); 0 = no pool. Django
# refuses the pool together with persistent connections, so CONN_MAX_AGE is 0 with it.
DATABASE_POOL_MAX_SIZE = envint("DATABASE_POOL_MAX_SIZE", 0)
DATABASE_POOL_MIN_SIZE = envint("DATABASE_POOL_MIN_SIZE", 1)
DATABASE_POOL_TIMEOUT_SECONDS = 10  # a request waits this long for a free connection, then fails
if USING_POSTGRES and DATABASE_PGBOUNCER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if USING_POSTGRES and DATABASE_POOL_MAX_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(DATABASE_POOL_MIN_SIZE, DATABASE_POOL_MAX_SIZE),
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": DATABASE_POOL_TIMEOUT_SECONDS,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
# The rate limits per client address count here (accounts/security.py): with CACHE_URL (a Redis
# database) every web process shares the count; unset, each process keeps its own (the demo).
CACHE_URL = envstr("CACHE_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that is down costs a request a second, not a hang (the limits then let it by).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Login lock-out (django-axes, accounts/security.py) --------------------------------------
AUTHENTICATION_BACKENDS = [
    "accounts.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
# One username from one address: a mistyping user does not lock out a colleague behind the same NAT.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_VERBOSE = False
# The client's address, for the lock-out and the rate limits alike (accounts.security.client_ip):
# REMOTE_ADDR, or behind AXES_IPWARE_PROXY_COUNT trusted proxies the address the outermost one saw.
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_IPWARE_PROXY_COUNT = envint("AXES_IPWARE_PROXY_COUNT", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, money ----------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
# One date format per language: `2026. 12. 1.` in Korean, ISO `2026-12-01` in English
# (config/formats/<lang>/formats.py); `{{ d|date }}` and `{{ d|date:"SHORT_DATE_FORMAT" }}` follow it.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic writes and whitenoise serves from (CI and the tests collect into a scratch directory).
STATIC_ROOT = Path(envstr("STATIC_ROOT") or BASE_DIR / "staticfiles")
# KRDS (the government design system) straight from the pinned npm package: `make assets` installs
# node_modules from package-lock.json; static/vendor/README.md says which files the pages use.
STATICFILES_DIRS = [BASE_DIR / "static", ("krds", BASE_DIR / "node_modules" / "krds-uiux" / "resources")]
STATICFILES_FINDERS = [
    "config.staticfiles.AppFileSystemFinder",  # STATICFILES_DIRS, minus KRDS files no page uses
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Every stored file (documents, reports) is private: never under STATIC or a public MEDIA_URL;
# a view checks access, then streams it or hands out a short-lived signed URL (config/files.py).
# Unset STORAGE_BUCKET: files on this machine's disk under MEDIA_ROOT (one machine, the demo).
# Set: an S3-protocol object store (MinIO, any S3) that every web node and worker share.
STORAGE_BUCKET = envstr("STORAGE_BUCKET")
STORAGE_ENDPOINT_URL = envstr("STORAGE_ENDPOINT_URL")
STORAGE_ACCESS_KEY = envstr("STORAGE_ACCESS_KEY")
STORAGE_SECRET_KEY = envstr("STORAGE_SECRET_KEY")
STORAGE_REGION = envstr("STORAGE_REGION", "us-east-1")
# False: downloads are streamed through the app. True: after the app's check, a 302 to a signed URL.
STORAGE_SIGNED_URLS = envbool("STORAGE_SIGNED_URLS", False)
STORAGE_URL_EXPIRY = envint("STORAGE_URL_EXPIRY", 60)


def object_storage(
    *, bucket: str, endpoint_url: str, access_key: str, secret_key: str, region: str, expiry: int
) -> dict[str, Any]:
    """django-storages' S3 backend on `bucket`: private objects, signed URLs that expire, and a
    second file under a name already taken gets a name of its own instead of replacing the first."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region,
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "querystring_expire": expiry,
            "file_overwrite": False,
            "addressing_style": "path",  # MinIO and the test server have no per-bucket host names
        },
    }


STORAGES = {
    "default": (
        object_storage(
            bucket=STORAGE_BUCKET,
            endpoint_url=STORAGE_ENDPOINT_URL,
            access_key=STORAGE_ACCESS_KEY,
            secret_key=STORAGE_SECRET_KEY,
            region=STORAGE_REGION,
            expiry=STORAGE_URL_EXPIRY,
        )
        if STORAGE_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- E-mail (notifications) ---------------------------------------------------------------
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# The outbox (program/outbox.py): an SMTP exchange gives up after EMAIL_TIMEOUT seconds; a failed mail is
# tried again after EMAIL_RETRY_BACKOFF seconds, doubled each time, and failed after EMAIL_MAX_ATTEMPTS tries.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
EMAIL_RETRY_BACKOFF = envint("EMAIL_RETRY_BACKOFF", 30)
EMAIL_MAX_ATTEMPTS = envint("EMAIL_MAX_ATTEMPTS", 8)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "상생형 스마트공장 <noreply@smartfactory.local>")

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL")
# Without a broker every task runs in-process, right where it is enqueued.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_TASK_DEFAULT_QUEUE") or "celery"
# Crontab times are Asia/Seoul (CELERY_TIMEZONE). Reports are produced by reports.tasks.
CELERY_BEAT_SCHEDULE = {
    "reports-fund-status-monthly": {
        "task": "reports.scheduled",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
        "args": ("fund_status",),
    },
    "reports-program-status-quarterly": {
        "task": "reports.scheduled",
        "schedule": crontab(minute=30, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
        "args": ("program_status",),
    },
    # Re-enqueues reports left pending (broker down) or running after a lost worker.
    # Every minute, so that a report whose worker died is resumed soon after its heartbeat stops.
    "reports-sweep": {"task": "reports.sweep", "schedule": crontab(minute="*")},
    # Re-sends cost-share tasks kept in the outbox (funds.outbox) while Redis was down.
    "funds-cost-share-sweep": {"task": "funds.sweep_cost_share_requests", "schedule": crontab(minute="*/5")},
    # Re-sends e-mails of the outbox (program.outbox) whose task a broker outage or a dead worker lost.
    "program-email-sweep": {"task": "program.email_sweep", "schedule": crontab(minute="*")},
    # Reminders of what falls due in three days and today (applicants/services/reminders.py).
    "applicants-due-reminders": {
        "task": "applicants.send_due_reminders",
        "schedule": crontab(minute=0, hour=9),
    },
    # ---- part D (issue 20): staff's weekly digest of spending awaiting review (execution/tasks.py)
    "execution-spending-digest": {
        "task": "execution.send_spending_digest",
        "schedule": crontab(minute=0, hour=9, day_of_week="mon"),
    },
}
# While a report runs, a thread of its worker touches Report.heartbeat_at every REPORT_HEARTBEAT_SECONDS;
# a `running` report whose heartbeat is older than REPORT_HEARTBEAT_STALE has lost its worker
# (killed, out of memory). The sweeper then resumes it once: REPORT_MAX_ATTEMPTS runs in all, and a
# report whose second run dies too is failed with a message.
REPORT_HEARTBEAT_SECONDS = envint("REPORT_HEARTBEAT_SECONDS", 20)
REPORT_HEARTBEAT_STALE = envint("REPORT_HEARTBEAT_STALE", 120)
REPORT_MAX_ATTEMPTS = 2

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Our own tokens first (accounts/tokens.py): hashed, expiring, revocable; a request without
    # `Authorization: Token` passes to the session, and an anonymous one still answers 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # No NUL character and no JSON nested deeper than 32 levels in a body: 400, not 500 (config/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "config.parsers.FormParser",
        "config.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # Rates per client address (accounts.security.ClientAddressThrottle): the token endpoint and sign-up.
    "DEFAULT_THROTTLE_RATES": {
        "auth-token": envstr("API_TOKEN_RATE", "10/minute"),
        "signup": envstr("SIGNUP_RATE", "10/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "상생형 스마트공장 사업관리 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the app itself (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "applicants.models.Application.Status",
        "ProgramStatusEnum": "program.models.Program.Status",
        "ReportKindEnum": "reports.models.Report.Kind",
        "AgreementChangeKindEnum": "projects.models.AgreementChange.Kind",
        "ImportRunKindEnum": "imports.models.ImportRun.Kind",
        "ImportRunStatusEnum": "imports.models.ImportRun.Status",
    },
}

# --- Content-Security-Policy (django-csp) ------------------------------------------------------
# Every script is a static file and data reaches it through json_script (type="application/json",
# never executed): no 'unsafe-inline' anywhere, the Swagger UI page (/api/docs/) included: its init
# script is served from a URL (config/urls.py) and its styles from static/css/swagger.css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Operations: logs, request id, metrics, Sentry (issue 16 item 7) -----------------------------
# One handler on the root logger for Django, gunicorn and Celery (config/logs.py): LOG_FORMAT=json
# (the production default) or text, each line with its time, level, logger and request id.
LOG_FORMAT = envstr("LOG_FORMAT", "text")
LOG_LEVEL = envstr("LOG_LEVEL", "INFO")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
# Workers log through LOGGING too (config/celery.py), not through a root handler Celery installs.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# GET /metrics/ (config/metrics.py): Prometheus's format for whoever holds the token
# (Authorization: Bearer <token>); unset, it answers 404 like any unknown address.
METRICS_TOKEN = envstr("METRICS_TOKEN")
# Errors to Sentry when a DSN is set (config/sentry.py); no personal data leaves with them.
SENTRY_DSN = envstr("SENTRY_DSN")
SENTRY_ENVIRONMENT = envstr("SENTRY_ENVIRONMENT", "production")
SENTRY_TRACES_SAMPLE_RATE = float(envstr("SENTRY_TRACES_SAMPLE_RATE") or 0)
if SENTRY_DSN:
    sentry_init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE)
PLUGINS["metrics"] = [
    # Figures computed when Prometheus scrapes /metrics/ (config/metrics.py): (name, help, value).
    "funds.metrics.metrics",  # cost-share requests waiting in the outbox
    "reports.metrics.metrics",  # reports queued or running
]

# --- Issue 22, part h5: password reset and change, the profile (SPEC §20; accounts/limits.py) -------
# accounts' mails (a password-reset link, an e-mail address changed) go through program's outbox and
# the task queue: `account_email(subject=, body=, address=)`, as accounts imports no app above it.
PLUGINS["account_email"] = [
    "program.notifications.account_email",
]
# Rates as "<count>/<second|minute|hour|day>", counted in the default cache (shared with CACHE_URL).
# Reset requests per client address (over it: a Korean 429 page) and per e-mail address typed (over
# it: the same neutral answer, and no mail, so that nobody can fill a mailbox with reset links).
PASSWORD_RESET_IP_RATE = envstr("PASSWORD_RESET_IP_RATE", "10/hour")
PASSWORD_RESET_ADDRESS_RATE = envstr("PASSWORD_RESET_ADDRESS_RATE", "3/hour")
# Wrong current passwords per account on the password change page (and the profile's e-mail change):
# over it the page answers 429 without checking, so a left-open session cannot be used to guess it.
PASSWORD_CHECK_RATE = envstr("PASSWORD_CHECK_RATE", "5/hour")
# ---- part h4 of issue 22: API tokens (SPEC §20, accounts/tokens.py) -----------------------------
# A token issued by `POST /api/v1/auth/token/` or the page /account/tokens/ works this many days.
API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", 30)
# Tokens expired or revoked longer ago than this are deleted by the daily sweep below.
API_TOKEN_KEEP_DAYS = envint("API_TOKEN_KEEP_DAYS", 30)
CELERY_BEAT_SCHEDULE["accounts-api-token-sweep"] = {
    "task": "accounts.api_token_sweep",
    "schedule": crontab(minute=15, hour=4),
}
# --- Two-factor sign-in (issue 22 item 1, SPEC §20; accounts/otp.py, accounts/middleware.py) ---------
# django-otp's TOTP devices and recovery codes (static tokens). Required for staff, the ministry, sponsor
# users and superusers; a session that owes its code reaches only the two-factor pages
# (accounts.middleware.TwoFactorMiddleware, after AuthenticationMiddleware and django-otp's OTPMiddleware).
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1, "accounts.middleware.TwoFactorMiddleware"
)
# The name an authenticator app shows beside the account (the otpauth:// URI's issuer).
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "상생형 스마트공장")
# django-otp's own throttling: after n wrong codes in a row the next try waits factor × 2^(n-1) seconds.
OTP_TOTP_THROTTLE_FACTOR = envint("OTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
# The code step's lock-out, as axes' for passwords: OTP_FAILURE_LIMIT wrong codes in a row lock the
# user's second factor for OTP_LOCKOUT_MINUTES (a right code is refused too), on the page and the API.
OTP_FAILURE_LIMIT = envint("OTP_FAILURE_LIMIT", 5)
OTP_LOCKOUT_MINUTES = envint("OTP_LOCKOUT_MINUTES", 15)
# --- part h6 (issue 22): consent, personal-data export, retention (SPEC §20) ---------------------
# The version of the 개인정보 수집·이용 동의 text (accounts/templates/accounts/consent/privacy_text.html):
# change it in the same commit as the text, and every applicant is asked again at their next page.
# Not read from the environment: the version names a text that ships with the code.
PRIVACY_CONSENT_VERSION = "2026-12-01"
# Personal data of a company whose applications all ended rejected or withdrawn this many years ago,
# and whose users have not signed in since, is anonymised by the beat task (applicants/retention.py).
RETENTION_YEARS = envint("RETENTION_YEARS", 5)
# After sign-in and messages: an applicant who has not agreed to the current text reaches only the
# consent page (accounts/consent_middleware.py).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "accounts.consent_middleware.ConsentRequiredMiddleware",
)
# What `GET me/export/` gives a user beyond their account: each app's sections about them.
PLUGINS["personal_data_export"] = [
    "applicants.personal_data.personal_data",  # company, applications, messages, declarations, evaluations
]
CELERY_BEAT_SCHEDULE["applicants-anonymise-expired"] = {
    "task": "applicants.anonymise_expired",
    "schedule": crontab(minute=30, hour=3),  # daily at 03:30, before anyone signs in
}
