"""Settings shared by every mode, read from the environment.

Defaults make `make run` work on a bare machine: SQLite, console e-mail,
Celery tasks run in-process. Production overrides live in `production.py`.
"""

import os
from collections.abc import Iterator, MutableMapping
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class SetVariables(MutableMapping):
    """The environment without its empty variables. `CACHE_URL=` (a compose file or a
    systemd unit listing every variable) means "not set": the `.env` file's value fills it
    (read_env's setdefault finds nothing there), else each setting takes its default or says
    it is required, where the empty value stopped the settings with "Invalid cache schema" or
    a ValueError."""

    def __init__(self, variables: MutableMapping[str, str]):
        self.variables = variables

    def __getitem__(self, name: str) -> str:
        value = self.variables[name]
        if value == "":
            raise KeyError(name)
        return value

    def __setitem__(self, name: str, value: str) -> None:
        self.variables[name] = value

    def __delitem__(self, name: str) -> None:
        del self.variables[name]

    def __iter__(self) -> Iterator[str]:
        return (name for name, value in self.variables.items() if value != "")

    def __len__(self) -> int:
        return sum(1 for _name in self)


class Env(environ.Env):
    ENVIRON = SetVariables(os.environ)


Env.read_env(BASE_DIR / ".env", overwrite=False)
env = Env()

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "django_htmx",
    "axes",
    "csp",
    "apps.accounts",
    "apps.programmes",
    "apps.rules",
    "apps.applications",
    "apps.reviews",
    "apps.notifications",
]

MIDDLEWARE = [
    "mobility_portal.page_cache.RecordReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.LoginRequiredMiddleware",
    "apps.accounts.middleware.StaffIdleTimeoutMiddleware",
    "apps.accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.middleware.FormAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mobility_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.roles",
                "apps.accounts.context_processors.language_next",
                "apps.notifications.context_processors.unread_notifications",
            ],
            "builtins": [
                "mobility_portal.templatetags.dates",
                "mobility_portal.templatetags.numbers",
            ],
        },
    },
]

# Form templates are looked up like pages' (templates/forms/bootstrap.html for BootstrapForm).
FORM_RENDERER = "mobility_portal.form_rendering.FormRenderer"

WSGI_APPLICATION = "mobility_portal.wsgi.application"

# DATABASE_URL declared but left empty (as CI files and containers do) is unset, as every
# variable is (SetVariables): the SQLite default.
DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 binds parameters on the server, so a statement a connection runs again and again
    # is prepared: PostgreSQL parses it once and soon reuses its plan (planning the dossier's
    # joins costs more than running them). PREPARED_STATEMENTS=false behind a transaction-mode
    # pooler (PgBouncer before 1.22), which cannot keep a session's prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        # Prepared from a connection's third run of the statement; Django's default is never.
        prepare_threshold=2 if env.bool("PREPARED_STATEMENTS", default=True) else None,
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two requests that read, then write in one transaction (a decision locks the dossier
    # first) would each hold a read lock and wait for the other's: "database is locked" at
    # once, a 500. IMMEDIATE takes the write lock when the transaction begins, and the timeout
    # lets the second one wait for it; WAL lets pages be read meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.accounts.backends.RoleBackend",
]

# Brute force: 5 failed logins on one account, from wherever they come, lock that account for
# 15 minutes (a 429 page). Only the account: behind a load balancer every client has its
# address, and a lock by address would shut the whole school out after anyone's five typos.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# The login form's field, normalised as RoleBackend reads it (without these, axes looked for
# an "email" field, counted every failure under no account and locked everybody out at once).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "apps.accounts.throttle.login_name"
# axes warns when the lock ignores the address, for set-ups that lock by user agent or cookie,
# which an attacker rotates; an attacker cannot rotate the account they are after.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Staff sessions end after 30 idle minutes (apps.accounts.middleware); others keep the default.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English written day first, as the school's international readers do (mobility_portal/formats).
FORMAT_MODULE_PATH = ["mobility_portal.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="mobilite@example.org")

REDIS_URL = env("REDIS_URL", default="")

# One process (runserver, tests): its own memory. Several web processes or machines must share
# one cache (CACHE_URL=redis://host:6379/1): filter menus and report counts are kept there until
# their tables change (mobility_portal/caching.py), and sessions are read from it.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "mobility_portal.redis_cache.ReusedClientRedisCache"
    # A Redis that stops answering must not hold requests (and every write) for minutes: the
    # cache is then read as empty (mobility_portal/caching.py).
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 1, "socket_timeout": 1}
    )
SHARED_CACHE = CACHES["default"]["BACKEND"] not in (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
# Pages kept per session until a table they read changes (mobility_portal/page_cache.py).
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
# Without a broker, tasks run in-process (eager) and Celery needs no connection at all.
CELERY_TASK_ALWAYS_EAGER = not env("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hold up the request that queued the task: the outbox row
# stays pending and the relay below delivers it later.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "relay-pending-notifications": {
        "task": "apps.notifications.tasks.relay_pending",
        "schedule": env.float("NOTIFICATION_RELAY_SECONDS", default=30.0),
    },
    "call-closing-reminders": {
        "task": "apps.notifications.tasks.remind_closing_calls",
        "schedule": 6 * 3600.0,
    },
    "course-plan-reminders": {
        "task": "apps.notifications.tasks.remind_advisors",
        "schedule": 6 * 3600.0,
    },
    "delete-expired-queue-exports": {
        "task": "apps.reviews.tasks.delete_expired_queue_exports",
        "schedule": 3600.0,
    },
    # Files a rolled-back transaction left, no row naming them (mobility_portal/storage_sweep.py).
    "delete-orphan-files": {
        "task": "apps.applications.tasks.delete_orphan_files",
        "schedule": 24 * 3600.0,
    },
}
# The queue's Excel export of more applications than this is written by a worker rather than
# in the request (about 0.25 ms of CPU per application: 2,000 take half a second); the officer
# waits on a page of its own and downloads the file there, for QUEUE_EXPORT_KEEP_HOURS, after
# which beat's hourly task deletes it. An export that has not moved for
# QUEUE_EXPORT_STALE_MINUTES is reported as stopped (its worker died or never got it).
QUEUE_EXPORT_INLINE_MAX = env.int("QUEUE_EXPORT_INLINE_MAX", default=2000)
QUEUE_EXPORT_KEEP_HOURS = env.int("QUEUE_EXPORT_KEEP_HOURS", default=24)
QUEUE_EXPORT_STALE_MINUTES = env.int("QUEUE_EXPORT_STALE_MINUTES", default=15)
# A study advisor is reminded of the course plans that have waited this many days or more for
# their decision, at most once in as many days (apps/notifications/reminders.py).
COURSE_PLAN_REMINDER_DAYS = env.int("COURSE_PLAN_REMINDER_DAYS", default=7)
# A student hears of their advisor's changed decisions once for the changes of this many
# minutes (the e-mail waits for them; 0: each change at once). apps/notifications/events.py
COURSE_DECISION_CHANGES_GROUPED_MINUTES = env.int(
    "COURSE_DECISION_CHANGES_GROUPED_MINUTES", default=15
)

# Outbox delivery: attempts, exponential back-off (base × 2^(attempt − 1)), and how long a
# claimed row may stay "sending" before the relay assumes its worker died.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
NOTIFICATION_STALE_SECONDS = env.int("NOTIFICATION_STALE_SECONDS", default=600)
# A row handed to the workers is not handed again by the relay before this lease ends.
NOTIFICATION_QUEUE_LEASE_SECONDS = env.int("NOTIFICATION_QUEUE_LEASE_SECONDS", default=120)
# Below the stale delay, so a hung SMTP server cannot make the relay send a row twice.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DRI_MAILBOX = env("DRI_MAILBOX", default="")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

COUNTRIES_FIRST = ["FR"]

# Contacts shown on the programmes page; the school sets its own in the environment.
DRI_CONTACT_NAME = env("DRI_CONTACT_NAME", default="Direction des Relations Internationales")
DRI_CONTACT_EMAIL = env("DRI_CONTACT_EMAIL", default="international@example.org")
INTERNSHIP_CONTACT_NAME = env(
    "INTERNSHIP_CONTACT_NAME", default="Pôle projet professionnel et stages"
)
INTERNSHIP_CONTACT_EMAIL = env("INTERNSHIP_CONTACT_EMAIL", default="stages@example.org")

# The sending institution in learning agreements and Erasmus Without Paper exports.
SCHOOL_NAME = env("SCHOOL_NAME", default="École d'ingénieurs")
SCHOOL_HEI_ID = env("SCHOOL_HEI_ID", default="school.example")
SCHOOL_COUNTRY = env("SCHOOL_COUNTRY", default="FR")
SCHOOL_ISCED_F_CODE = env("SCHOOL_ISCED_F_CODE", default="0710")

CATALOGUE_PAGE_SIZE = 20
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
UPLOAD_QUOTA_BYTES = env.int("UPLOAD_QUOTA_BYTES", default=50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A call's seat allocation posts one decision per applicant (the review, then the confirmation,
# which also sends what the page showed of each: two fields an applicant):
# Django's default of 1,000 fields refused, with a 400, every call of about 1,000 applicants or
# more (1,278 in the largest call at 10,000 students). The body stays capped by the size above.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Nothing of a file is kept past MAX_UPLOAD_SIZE, in memory or on disk (apps.applications.uploads).
FILE_UPLOAD_HANDLERS = [
    "apps.applications.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
