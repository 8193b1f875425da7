"""Settings shared by every environment. Values come from the environment (django-environ)."""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file (or the one ENV_FILE names; empty means none) fills what the environment lacks.
# The test settings never read it, so a developer's file cannot change what the suite runs against.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and not os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".test"):
    environ.Env.read_env(ENV_FILE, overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "config.apps.HireloopAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "adminsortable2",
    "simple_history",
    "django_celery_beat",
    "hiring",
    "rubrics",
    "interviews",
    "tools",  # top floor: demo and bench commands
    "careers",  # top floor: the public careers site (/careers/)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "careers.middleware.PublicLocaleMiddleware",
    "careers.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {{ when|local_time }} and {{ user|person_name }} in every template (hiring.display).
            "builtins": ["hiring.templatetags.hireloop"],
            # {% quick_result_list cl %}: the admin lists' rows (config/templates/admin/change_list.html).
            "libraries": {"admin_rows": "hiring.admin_rows"},
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A reused connection (CONN_MAX_AGE > 0, e.g. a worker's) is checked before its first query of a
# request or task, so that a restarted PostgreSQL costs one reconnect, not a failed task.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env.bool("DATABASE_JIT", default=False):
    # The admin's queries are short, but the planner's estimates for some (subqueries over big
    # tables) pass PostgreSQL's JIT threshold, and compiling them takes hundreds of milliseconds
    # where running them takes a few. DATABASE_JIT=true leaves JIT to the server's settings.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Covering indexes (INCLUDE columns) are PostgreSQL's; SQLite builds the same index on its key
    # columns alone, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The public pages (careers site) speak English and French (careers/locale, .mo files committed);
# careers.middleware.PublicLocaleMiddleware picks the visitor's language there only: the admin
# stays in LANGUAGE_CODE.
LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# Admin times name their zone ("7 Dec 2026, 14:30 CET"); each staff user's zone is activated for
# their requests by hiring.middleware.StaffTimeZoneMiddleware.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (résumés) live in the "private" storage: a folder that no URL serves (or a private
# bucket, see README "Uploaded files"), read only by the permission-checked download views of
# hiring/uploads.py. Nothing is served under MEDIA_URL in any settings; MEDIA_ROOT is where
# résumés were kept before, read once by the migration that moved them.
HIRELOOP_PRIVATE_ROOT = env("HIRELOOP_PRIVATE_ROOT", default=str(BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": HIRELOOP_PRIVATE_ROOT,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# The largest file one upload field accepts (a larger one is refused with a form error).
HIRELOOP_UPLOAD_MAX_MB = env.int("HIRELOOP_UPLOAD_MAX_MB", default=10)
# The largest whole post the careers site accepts (an application form with its résumé and the
# files of its questionnaire); a larger one is answered 413 before its body is read.
HIRELOOP_APPLY_MAX_REQUEST_MB = env.int("HIRELOOP_APPLY_MAX_REQUEST_MB", default=25)
# The candidate portal (/portal/): how long a sign-in link works (it works once), and how long the
# session it opens lasts.
HIRELOOP_PORTAL_LINK_HOURS = env.int("HIRELOOP_PORTAL_LINK_HOURS", default=72)
HIRELOOP_PORTAL_SESSION_DAYS = env.int("HIRELOOP_PORTAL_SESSION_DAYS", default=14)

LOGIN_URL = "admin:login"
# Where a login goes when ?next= is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"

# The cache: per process (locmem) by default; several web hosts share one through CACHE_URL
# (redis://host:6379/1), so that rate limits count every host's requests.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: console by default; production sets EMAIL_URL (smtp://...).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Hireloop <hireloop@localhost>")
# Seconds an SMTP conversation may hang before it counts as a transient error (retried later)
# instead of holding a worker's batch (and its claimed rows) until the task time limit.
EMAIL_TIMEOUT = EMAIL_CONFIG.get("EMAIL_TIMEOUT") or env.int("EMAIL_TIMEOUT", default=30)

# Celery: with no broker configured, tasks run inline (eager) after commit.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Connections are closed by config/celery.py after CONN_MAX_AGE, like a request's; Celery's own
# fix-up would close them after every task (one PostgreSQL backend started per task) unless this
# is set. It then still recycles them every so many tasks.
CELERY_DB_REUSE_MAX = 10_000
CELERY_WORKER_SEND_TASK_EVENTS = False
# Publishing happens in the request, right after its commit: a broker that refuses connections or
# accepts them and never answers must cost seconds, not minutes. CELERY_PUBLISH_TIMEOUT bounds the
# connection and each socket operation (Redis: socket timeouts; RabbitMQ: connect, read and write
# timeouts), and a publish is retried twice, quickly. A failed publish leaves the outbox rows
# pending for the sweeper (interviews/notifications/publishing.py).
CELERY_PUBLISH_TIMEOUT = env.float("CELERY_PUBLISH_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_PUBLISH_TIMEOUT
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Tasks finish in seconds; the visibility timeout (Redis) only has to outlast the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": CELERY_PUBLISH_TIMEOUT,
    "socket_timeout": CELERY_PUBLISH_TIMEOUT,
    "read_timeout": CELERY_PUBLISH_TIMEOUT,
    "write_timeout": CELERY_PUBLISH_TIMEOUT,
}

# Notifications (interviews.notifications): the outbox and its Celery tasks.
# EMAIL_BACKEND may name any backend class directly (tests and benchmarks use a mail sink).
EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_CONFIG.get("EMAIL_BACKEND"))
NOTIFICATIONS_BASE_URL = env("NOTIFICATIONS_BASE_URL", default="http://127.0.0.1:8000")
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env("NOTIFICATIONS_ICS_DOMAIN", default="hireloop.localhost")
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BASE = env.int("NOTIFICATIONS_RETRY_BASE", default=30)  # seconds, doubled per attempt
# A claimed row whose worker has not finished after this many seconds is taken over (worker lost).
NOTIFICATIONS_CLAIM_TIMEOUT = env.int("NOTIFICATIONS_CLAIM_TIMEOUT", default=300)
# The sweeper re-enqueues rows left pending this long (their message was lost, or never published
# because the broker was down). Short, so that emails go out about a minute after a broker outage:
# a row whose message is in fact still queued costs a second message, never a second email.
NOTIFICATIONS_SWEEP_AFTER = env.int("NOTIFICATIONS_SWEEP_AFTER", default=60)
NOTIFICATIONS_SWEEP_BATCH = env.int("NOTIFICATIONS_SWEEP_BATCH", default=5000)
# Rows per send task: a transaction's emails go in one task, the sweeper's backlog in tasks this big.
NOTIFICATIONS_SEND_BATCH = env.int("NOTIFICATIONS_SEND_BATCH", default=100)
NOTIFICATIONS_SCORECARD_NUDGE_DAYS = env.int("NOTIFICATIONS_SCORECARD_NUDGE_DAYS", default=3)
# After a move whose emails could not be handed to the broker, the admin says they are delayed.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "interviews.middleware.NotificationsDelayedMiddleware",
)
# PostgreSQL: the sender's claim and "sent" commits do not wait for the disk flush, which doubles
# a sender's rate; a crash of PostgreSQL itself may then forget the marks of its last fraction of a
# second, and those emails are sent again (README, "Notifications"; services, point 6).
NOTIFICATIONS_ASYNCHRONOUS_COMMIT = env.bool("NOTIFICATIONS_ASYNCHRONOUS_COMMIT", default=True)
# A task takes well under a second; a late ack only needs the visibility timeout to outlast the
# longest ETA of a retry (ten minutes), so one hour leaves room.
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Pipeline imports: the most rows one candidates-and-applications file may hold.
HIRELOOP_IMPORT_MAX_ROWS = env.int("HIRELOOP_IMPORT_MAX_ROWS", default=5000)
# Checked import files waiting for their confirmation (mode 0700, files 0600; deleted on confirm, on
# cancel, after an hour and by erasure). With several web hosts: a folder they share.
HIRELOOP_IMPORT_DIR = env("HIRELOOP_IMPORT_DIR", default=str(BASE_DIR / "var" / "imports"))
# Most applications one bulk action (advance, move, reject) moves in one request.
HIRELOOP_BULK_MAX = env.int("HIRELOOP_BULK_MAX", default=500)
# Days an invitation link stays valid.
HIRELOOP_INVITE_DAYS = env.int("HIRELOOP_INVITE_DAYS", default=7)
# Bulk actions of more applications than this run as a background job with a progress page.
HIRELOOP_BULK_INLINE_MAX = env.int("HIRELOOP_BULK_INLINE_MAX", default=50)
# Most characters a notification template may hold or render (subject and body each): a larger one
# is refused on save and its emails fail with the reason instead of being sent.
HIRELOOP_TEMPLATE_MAX_CHARS = env.int("HIRELOOP_TEMPLATE_MAX_CHARS", default=100_000)

# --- Security and privacy: login throttling, two-factor, CSP, access log -----------------------
from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "csp"]
MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE += [
    "hiring.middleware.StaffTimeZoneMiddleware",
    "hiring.middleware.AccessLogMiddleware",
    "axes.middleware.AxesMiddleware",  # axes last
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before the password is checked
    # Django's ModelBackend; the request's user carries their company roles, permissions in one query.
    "hiring.auth.MembershipModelBackend",
]
# django-axes: 5 failed logins for one username from one address lock that pair out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# Rate limits (config/ratelimit.py), counted in the default cache per client address (the address
# django-axes sees, so the proxy settings apply to both). "N/s", "N/m", "N/h" or "N/d".
RATELIMIT_IP_META_KEY = "config.ratelimit.client_ip"
HIRELOOP_RATE_LIMITS = {
    "login": env("HIRELOOP_RATE_LOGIN", default="20/m"),  # login attempts per address
    "password_reset": env("HIRELOOP_RATE_PASSWORD_RESET", default="5/h"),  # per address, and per email
    # pages opened with a link's token (invitation, new password) per address
    "link": env("HIRELOOP_RATE_LINK", default="30/h"),
    # public careers pages (lists, job pages, feed) per address
    "careers": env("HIRELOOP_RATE_CAREERS", default="300/m"),
    # application forms posted on the careers site, per address and per email typed
    "apply": env("HIRELOOP_RATE_APPLY", default="10/h"),
    # candidate portal: sign-in link requests, per address and per email typed
    "portal": env("HIRELOOP_RATE_PORTAL", default="5/h"),
    # candidate portal: slots booked, rescheduled or cancelled, per address and per candidate
    "booking": env("HIRELOOP_RATE_BOOKING", default="20/h"),
}
# django-otp: staff may add a TOTP authenticator; HIRELOOP_REQUIRE_2FA makes it mandatory.
HIRELOOP_REQUIRE_2FA = env.bool("HIRELOOP_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "Hireloop"
# django-csp: scripts only from our own origin, nothing inline, no framing. Style attributes are
# allowed because admin templates (history) use a few.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
