"""Settings shared by every environment, and the one place that reads the environment.

Every value that differs between machines comes from an environment variable read here.
With none set, Cairn runs on its embedded default: SQLite under ``var/`` and a Celery
broker on the filesystem, so a newcomer needs no servers.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CAIRN_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    try:
        return default if value is None else int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Names this deployment (a commit id, say) in the keys of cached public pages, so a deploy never
# serves a page made with the old templates. Unset, a digest of the templates stands in.
CAIRN_RELEASE = env_str("CAIRN_RELEASE", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "core",
    "accounts",
    "partnerships",
    "priorities",
    "reviews",
    "dashboard",
    # The demo data and its seed_demo command: the top layer, which no other app imports.
    # Production settings leave it out unless DEMO_DATA asks for it.
    "demo",
]

MIDDLEWARE = [
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.FrontCacheMiddleware",
    "core.middleware.PrivateCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserSessionActivityMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "partnerships.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.GovukFormRenderer"

# --- Data -------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cairn.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves the web process, a worker and the scheduler at once:
    # wait for locks instead of failing, and take the write lock when a transaction starts.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Redis while it answers; this process's memory while it does not (see core/cache.py):
    # a Redis outage may loosen rate limits, never stop anyone signing in.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cairn",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages for visitors without a session, answered before the rest of Django's request
# cycle (core/page_cache.py). It needs a cache all processes share: the worker's changes (a PDF
# made) must reach the web processes.
FRONT_CACHE = env_bool("FRONT_CACHE", bool(REDIS_URL))
FRONT_CACHE_PREFIXES = ("/partnerships/",)
# Each process's own copy of the pages it served last, and how long it trusts the generation it
# read: a change made in another process shows here at most this long after it committed.
FRONT_CACHE_LOCAL_SECONDS = 1.0
FRONT_CACHE_LOCAL_BYTES = 16 * 1024 * 1024

# Sessions live in the database; with Redis, each is read from a copy in the cache, held for
# at most SESSION_CACHE_SECONDS (core/sessions.py).
if REDIS_URL:
    SESSION_ENGINE = "core.sessions"
SESSION_CACHE_SECONDS = 60

# A signed-in person's dashboard, kept and served again while nothing it shows has changed
# (core/private_cache.py, core/freshness.py). Needs the shared cache, as the front cache does.
PRIVATE_CACHE = env_bool("PRIVATE_CACHE", bool(REDIS_URL))
PRIVATE_CACHE_PATHS = frozenset({"/dashboard/"})
PRIVATE_CACHE_SECONDS = 300
PRIVATE_CACHE_LOCAL_BYTES = 16 * 1024 * 1024

# --- Background work (Celery) -----------------------------------------------------------

CELERY_BROKER_DIR = VAR_DIR / "celery"
# A page that queues work never waits on a broker that is away: sending a task tries to
# connect once, briefly, and gives up (kombu would otherwise retry for ever). The email outbox
# catches the failure, and its sweep sends the email once the broker is back. The worker's own
# connection is retried by Celery's broker_connection_retry settings, not these.
PUBLISH_ONCE = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **PUBLISH_ONCE,
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
    }
else:
    # A broker that needs no server: messages are files under var/celery.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = None
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **PUBLISH_ONCE,
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60 * 6,
    },
    # The email outbox's sweep: anything not yet handed to the mail server, whether the
    # broker was away when it was written or its delivery failed and is due to be retried.
    "send-pending-emails": {
        "task": "core.tasks.send_pending_emails",
        "schedule": 30,
    },
    "forget-sent-emails": {
        "task": "core.tasks.forget_sent_emails",
        "schedule": crontab(hour=3, minute=30),
    },
    # Reminders before, on and after each review deadline and action due date; first at 07:00,
    # so they arrive for the day, then hourly: a run missed while the worker or broker was
    # away is made up within the hour. Each person still gets one reminder email a day.
    "send-deadline-reminders": {
        "task": "reviews.tasks.send_deadline_reminders",
        "schedule": crontab(hour="7-18", minute=0),
    },
    # Published reviews' PDFs that were never handed to the worker (a broker that was away).
    "render-pending-pdfs": {
        "task": "reviews.tasks.render_pending_pdfs",
        "schedule": 5 * 60,
    },
}

# --- Accounts ---------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "accounts.auth_backends.VerifiedEmailAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# One address per person. A new one is pending until it is verified from its own mailbox, then
# replaces the old one (and User.email); a pending address identifies nobody (accounts.selectors).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 2  # the address in use and, at most, one pending change
ACCOUNT_FORMS = {
    "add_email": "accounts.forms.ChangeEmailForm",
    "change_password": "accounts.forms.ChangeOwnPasswordForm",
    "confirm_login_code": "accounts.forms.SignInCodeConfirmForm",
    "confirm_reauthentication_code": "accounts.forms.SignInCodeAgainConfirmForm",
    "login": "accounts.forms.SignInForm",
    "reauthenticate": "accounts.forms.PasswordAgainForm",
    "request_login_code": "accounts.forms.SignInCodeForm",
    "reset_password": "accounts.forms.PasswordResetForm",
    "reset_password_from_key": "accounts.forms.NewPasswordForm",
    "set_password": "accounts.forms.CreatePasswordForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cairn] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
# allauth limits sign-in attempts per client address (10 failures a minute) and per email
# address (5 in 5 minutes). Connections come straight from clients unless production settings
# say a proxy stands in front (BEHIND_TLS_PROXY, TRUSTED_PROXY_COUNT).
ALLAUTH_TRUSTED_PROXY_COUNT = 0
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "activate_totp": "accounts.forms.AuthenticatorSetUpForm",
    "authenticate": "accounts.forms.TwoFactorCodeForm",
    "reauthenticate": "accounts.forms.TwoFactorAgainForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cairn"
# The sessions page shows when each session was last seen; Cairn's middleware records it at most
# every five minutes per session, not on every request (accounts/middleware.py).
USERSESSIONS_TRACK_ACTIVITY = True
USERSESSIONS_ACTIVITY_INTERVAL = 300

# --- Email ------------------------------------------------------------------------------

# Django writes every message to the outbox (a table) with the change that caused it; the
# worker delivers it with the backend below, retrying when the mail server is away.
EMAIL_BACKEND = "core.email.OutboxEmailBackend"
CAIRN_EMAIL_DELIVERY_BACKEND = env_str(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cairn <no-reply@cairn.localhost>")
# Where people write for help they cannot get from their partnership lead: the sign-in and
# password pages name it.
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "support@cairn.localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Published reviews' PDFs (under MEDIA_ROOT here). Production may keep them in
    # S3-compatible object storage instead: see the README.
    "publications": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- Security ---------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# No inline script or style anywhere: every script and stylesheet is a file we serve.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Logging ----------------------------------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports every step of every PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Cairn ------------------------------------------------------------------------------

CAIRN_INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
# Every signed-in person must set up two-factor authentication before reaching any
# partnership page. On in production; off locally so demo accounts sign straight in.
CAIRN_REQUIRE_MFA = env_bool("REQUIRE_MFA", False)
# Figures for a cohort smaller than this (pupils) are stored, but shown only to the school's
# own staff and never published: with so few pupils a percentage can identify a child.
CAIRN_SUPPRESSION_THRESHOLD = env_int("SUPPRESSION_THRESHOLD", 6)
# How long a published review's PDF may wait for the worker before the sweep queues it again.
CAIRN_PDF_SWEEP_AFTER_MINUTES = env_int("PDF_SWEEP_AFTER_MINUTES", 10)
# The longest a PDF may take to render (seconds): the worker stops it after that.
CAIRN_PDF_TIME_LIMIT = env_int("PDF_TIME_LIMIT", 120)
# The largest evidence file (bytes) a reviewer may attach to a finding.
CAIRN_EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
