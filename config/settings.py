"""Inkludera settings.

One file for every environment: production differs from development only by
environment variables (see docs/operations.md). SQLite is the embedded
default; ``DB=postgres`` selects PostgreSQL.
"""

import sys
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from lib.env import env_bool, env_int, env_list, env_str
from lib.languages import DJANGO_LANGUAGES
from lib.languages import UI_LANGUAGES as LANGUAGE_UI

BASE_DIR = Path(__file__).resolve().parent.parent

# A development-only key. With DEBUG off the application refuses to start with it
# (below), and a system check (home.checks) reports it too.
DEV_SECRET_KEY = "django-insecure-inkludera-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
# The test suite runs with DEBUG off, as production does, and the development key.
RUNNING_TESTS = "pytest" in sys.modules
# Development tools that neither serve pages, send mail nor sign anything may run with
# it too (a fresh checkout's `manage.py makemigrations --check`); check --deploy reports it.
TOOLS_WITHOUT_KEY = {"makemigrations", "makemessages", "compilemessages", "check", "help", "version", "showmigrations"}
RUNNING_TOOL = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] and sys.argv[1] in TOOLS_WITHOUT_KEY
if SECRET_KEY == DEV_SECRET_KEY and not DEBUG and not RUNNING_TESTS and not RUNNING_TOOL:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set (or is the development key) and DEBUG is off. Set the SECRET_KEY "
        "environment variable to a long random value (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'), or DEBUG=1 for development only."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.admin.SuperuserAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's second-factor pages use it
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "audit",
    "organisations",
    "plans",
    "activities",
    "followups",
    "indicators",
    "consultations",
    "events",
    "outreach",
    "decisions",
    "practice",
    "competence",
    "public",
    "surveys",
    "inventories",
    "remiss",
    "reports",
    "imports",
    "documents",
    "search",
    "opendata",
    "outbox",
    "retention",
    "home",
    "inbox",
    "parler",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "worker",
    # Sign-in with the municipality's identity provider (OpenID Connect, SAML 2.0) and
    # multi-factor authentication (TOTP, passkeys, recovery codes): django-allauth.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "signin",
]

MIDDLEWARE = [
    # /halsa/live and /halsa/ready, before the host check and the HTTPS redirect (lib/health.py).
    "lib.health.HealthCheckMiddleware",
    # A request id, and one log line per request with LOG_FORMAT=json (lib/logging.py).
    "lib.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "lib.middleware.NoCookiesOnPublicAnswersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lib.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, taking the account from the session's own query (signin/sessions.py).
    "signin.sessions.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lib.middleware.NoStoreWhenSignedInMiddleware",
    "audit.middleware.RefusedRequestMiddleware",
    "organisations.middleware.MembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lib.middleware.MethodNotAllowedPageMiddleware",
    "lib.middleware.SessionLifetimeMiddleware",
    "signin.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisations.context_processors.membership",
                "lib.context_processors.ui_languages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DB = env_str("DB", "sqlite")
# A reused connection is health-checked (CONN_HEALTH_CHECKS) only after this many
# seconds without a request; 0 checks it before every request (lib/dbhealth.py).
DB_HEALTH_CHECK_DELAY = env_int("DB_HEALTH_CHECK_DELAY", 10)
if DB == "postgres":
    DATABASES = {
        "default": {
            # Django's, with the health check skipped right after a good request (lib/dbhealth.py).
            "ENGINE": "lib.postgresql",
            "NAME": env_str("DB_NAME", "inkludera"),
            "USER": env_str("DB_USER", "inkludera"),
            "PASSWORD": env_str("DB_PASSWORD", ""),
            "HOST": env_str("DB_HOST", ""),
            "PORT": env_str("DB_PORT", ""),
            # Persistent connections: a new PostgreSQL backend per request costs more
            # than most pages (docs/operations.md, "Sizing").
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": env_str("DB_TEST_NAME", "") or None},
        }
    }
elif DB == "sqlite":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("DB_NAME", str(BASE_DIR / "var" / "inkludera.sqlite3")),
            # Keep the connection (and its PRAGMAs) between requests of one worker.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # Writers take the lock at BEGIN, so concurrent writers wait for
                # the busy timeout instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("DB_TIMEOUT", 20),
                # secure_delete: a deleted or rewritten row is overwritten in the file,
                # so survey answers stored again in random order, and redacted text,
                # leave nothing of their old form behind (docs/privacy.md).
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA secure_delete=ON",
            },
        }
    }
else:  # pragma: no cover - configuration error
    raise ImproperlyConfigured(f"DB must be 'sqlite' or 'postgres', not {DB!r}")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out username+IP pairs before any check.
    "axes.backends.AxesStandaloneBackend",
    "organisations.backends.UsernameOrEmailBackend",
]
# --- Sign-in with an identity provider, and multi-factor authentication (signin/, docs/sign-in.md) ---
# allauth runs the sign-in's later steps (the second factor; an identity provider's answer);
# the password form stays Django's (home/urls.py), with its throttling (axes).
ACCOUNT_ADAPTER = "signin.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "signin.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# allauth's own counters (in the shared cache) limit guesses of a second-factor code:
# 5 failures per account in 5 minutes, 10 a minute per address. Password guesses are axes'.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_ONLY = False
# Authorization-code flows with PKCE (RFC 7636), as OAuth 2.0 security best practice asks.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
MFA_ADAPTER = "signin.adapters.MFAAdapter"
MFA_FORMS = {"add_webauthn": "signin.forms.AddKeyForm", "edit_webauthn": "signin.forms.EditKeyForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Inkludera")
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TRUST_ENABLED = False
# WebAuthn needs a secure origin; http://127.0.0.1 is one only for development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Roles that must have a second factor when they sign in with a password (ASVS 5.0 6.3.3).
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", ["coordinator"])
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:start"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username+IP pair (not an IP alone, which would lock
# out a whole town hall behind one NAT) after repeated failures, with a cool-off.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
# Survey answers per client address per hour on one survey (hashed address, cache only).
SURVEY_SUBMIT_LIMIT = env_int("SURVEY_SUBMIT_LIMIT", 20)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures count against the account however its name is typed (any case, or
# the e-mail address), so spelling the name differently gives no fresh guesses.
AXES_USERNAME_CALLABLE = "organisations.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# Axes keeps no log of successful sign-ins (with the address): the account log
# (audit.AccountEvent) records them without it.
AXES_DISABLE_ACCESS_LOG = True

# Session idle timeout: a session ends after this many minutes without activity.
# Its expiry is renewed by writing the session at most once a minute
# (lib.middleware.SessionLifetimeMiddleware), not on every request: a page read
# writes nothing to the database.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Sessions live in the database with their account as a column, read in one query
# with the account joined: a signed-in request costs one query for both
# (signin/sessions.py; docs/operations.md, "Signed-in requests"). Sign-out deletes the
# row; the account's session hash is still checked on every request, so a password
# change ends other sessions.
SESSION_ENGINE = "signin.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# And however active, a session ends this long after the sign-in (lib.middleware), in seconds.
SESSION_LIFETIME = env_int("SESSION_LIFETIME_HOURS", 12) * 3600
# A password-reset link is valid this long (Django's default is three days), in seconds.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 2) * 3600
# An invitation to a new account (choose your password) is valid this long (home.tokens), in seconds.
INVITATION_TIMEOUT = env_int("INVITATION_DAYS", 7) * 86400
# Days the account log (audit.AccountEvent) is kept; manage.py prune_account_events deletes older events.
ACCOUNT_EVENTS_KEEP_DAYS = env_int("ACCOUNT_EVENTS_KEEP_DAYS", 400)

# --- Security ------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A refused form gets a Swedish page that explains cookies (the public survey form needs none).
CSRF_FAILURE_VIEW = "home.errors.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# One reverse proxy terminates TLS and appends the client's address (lib.net.client_address).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sign-in throttling takes the client's address from the one function every rate limit uses.
AXES_CLIENT_IP_CALLABLE = "lib.net.client_address"

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
    }
}

# --- Shared state: cache and background tasks ---------------------------------------
# One cache for every app server and worker: rate limits, lockouts and cached pages
# hold across machines. The database cache needs no extra service (manage.py
# createcachetable makes its table; scripts/demo and the test runner do it);
# CACHE_URL=redis://host:6379/0 selects Redis through Django's own backend. The
# test suite keeps one process's memory (tests/test_shared_state.py runs servers
# with the database cache).
CACHE_URL = env_str("CACHE_URL", "locmem" if RUNNING_TESTS else "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL in ("", "db"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "inkludera_cache",
            # Django's default (300) would cull live rate-limit counters on a busy survey evening.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
elif CACHE_URL == "locmem":  # one process only: development tools
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:  # pragma: no cover - configuration error
    raise ImproperlyConfigured(f"CACHE_URL must be empty, 'db', 'locmem' or redis://…, not {CACHE_URL!r}")

# The heavy staff pages are kept per person in the cache above until the data
# changes (lib/pagecache.py); a kept page is at most this many seconds old
# (what changes by time alone, or outside Inkludera, shows within it). 0: off,
# as under pytest, where tests look at the views' context and count their
# queries; lib/tests/test_pagecache.py and the fixture page_cache turn it on.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if RUNNING_TESTS else 60)

# Long work (report builds, e-mail, reminders, imports) runs in a worker process
# (manage.py run_worker) through django-tasks' database backend: the task row is
# written in the same transaction as the change that asked for it. TASKS_BACKEND=
# immediate runs each task at once in the process that enqueued it (the tests).
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate" if RUNNING_TESTS else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        # "reports": council report builds (long, much memory), so that a worker can be given to them alone.
        "QUEUES": ["default", "reports"],
    }
}
# A task is put back in the queue (and runs again) when the worker running it
# has not been seen for this many seconds (worker/services.py: a live worker
# writes its heartbeat every few seconds).
WORKER_DEAD_AFTER = env_int("WORKER_DEAD_AFTER", 60)

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "sv"
# Every language a public text may be written in (lib.languages; parler checks
# language codes against this). The page frame exists in UI_LANGUAGES only:
# the locale middleware and the staff switcher accept nothing else.
LANGUAGES = DJANGO_LANGUAGES
UI_LANGUAGES = list(LANGUAGE_UI)
# django-parler holds the public texts' translations (docs/public-site.md §1).
# No cache: gunicorn workers would each keep their own copy of an edited text.
PARLER_ENABLE_CACHING = False
PARLER_DEFAULT_LANGUAGE_CODE = "sv"
PARLER_LANGUAGES = {
    None: tuple({"code": code} for code, _name in DJANGO_LANGUAGES),
    "default": {"fallbacks": ["sv"], "hide_untranslated": False},
}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (the municipality's logo) and generated reports. Never served
# directly: reports are sent by a view that checks who asks.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Code reads and writes these files through Django's storage API only (never a path),
# so that with more than one machine they can live on a shared directory (MEDIA_ROOT
# on NFS or similar) or, with STORAGE=s3, in an S3-compatible bucket (django-storages;
# boto3 is installed by the operator who chooses it: docs/operations.md).
STORAGE = env_str("STORAGE", "filesystem")
if STORAGE == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE == "s3":
    # Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
    # or the machine's role, read by boto3 itself: never written in the settings.
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", ""),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "location": env_str("S3_PREFIX", ""),
            "default_acl": None,  # private, as the bucket says: files are sent by views that check access
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not DEFAULT_STORAGE["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL unless it is AWS).")
else:  # pragma: no cover - configuration error
    raise ImproperlyConfigured(f"STORAGE must be 'filesystem' or 's3', not {STORAGE!r}")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- E-mail ------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "inkludera@localhost")
# Seconds an SMTP conversation may take before the attempt counts as failed.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Every e-mail goes through the outbox (outbox/services.py): attempts before a
# mail counts as failed, and days sent and failed mails are kept.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 30)
# The address people open the system at; links in e-mails sent by management
# commands (which have no request to take it from) start with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Application ---------------------------------------------------------------
# Largest plan file accepted by the upload form, in bytes.
PLAN_FILE_MAX_BYTES = env_int("PLAN_FILE_MAX_BYTES", 1_000_000)
# Largest spreadsheet accepted for import, in bytes (compressed), and the most
# rows read from it below the header, empty rows included: reading stops there.
# The uncompressed size, the packing ratio and the cells are limited too (lib/xlsx.py).
XLSX_MAX_BYTES = env_int("XLSX_MAX_BYTES", 5_000_000)
XLSX_MAX_ROWS = env_int("XLSX_MAX_ROWS", 10_000)
# Largest file that can be attached to a consultation, a plan, … (documents/), in MB.
ATTACHMENT_MAX_MB = env_int("ATTACHMENT_MAX_MB", 20)
# Days before a follow-up deadline that unit contacts get a reminder.
FOLLOWUP_REMINDER_DAYS = env_int("FOLLOWUP_REMINDER_DAYS", 7)
# Retention (retention.services.enforce, `manage.py enforce_retention`, daily in the
# worker; docs/privacy.md "Retention"). Days; 0 keeps that kind for ever.
# A named representative's link to their views, kept this long after they withdrew consent to be named.
RETENTION_WITHDRAWN_VIEWS_DAYS = env_int("RETENTION_WITHDRAWN_VIEWS_DAYS", 30)
# Reminder e-mails and the records that a reminder went out (once nothing can send it again).
RETENTION_REMINDERS_DAYS = env_int("RETENTION_REMINDERS_DAYS", 365)
# The PDF and Word files of council report builds other than each report's newest.
RETENTION_REPORT_BUILDS_DAYS = env_int("RETENTION_REPORT_BUILDS_DAYS", 365)
# How many processes render a long report PDF's parts at once (reports/pdf_parts.py,
# docs/reports.md "Performance"); 0 = the number of cores.
REPORT_RENDER_PROCESSES = env_int("REPORT_RENDER_PROCESSES", 0)

# LOG_FORMAT=json: one JSON object a line, and one line per request (lib/logging.py):
# no user names, e-mail or client addresses, cookies or query strings.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):  # pragma: no cover - configuration error
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'text' or 'json', not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "lib.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every page it lays out at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The request lines: in the JSON format only (runserver and the proxy log requests otherwise).
        "inkludera.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        "inkludera.task": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}
# The admin is for superusers only (support and repair), never the UI.
ADMIN_URL = env_str("ADMIN_URL", "admin/")

# --- Open-data API -------------------------------------------------------------
# Read-only JSON (and CSV) at /api/v1/ with what municipalities publish; see
# docs/open-data.md. Anonymous: no authentication, so no session and no CSRF.
# Requests a minute from one client address (0: no limit); see opendata/throttling.py.
OPEN_DATA_REQUESTS_PER_MINUTE = env_int("OPEN_DATA_REQUESTS_PER_MINUTE", 120)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["opendata.throttling.OpenDataRateLimit"],
    "DEFAULT_PAGINATION_CLASS": "opendata.pagination.OpenDataPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,  # measurements are numbers in the JSON
    "URL_FORMAT_OVERRIDE": None,  # no ?format=: CSV has its own addresses (….csv)
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inkludera öppna data",
    "VERSION": "1",
    "DESCRIPTION": (
        "Öppna data från kommunernas arbete med romsk inkludering: antagna planer och deras mål, "
        "offentliga aktiviteter, publicerade indikatorer, nyckeltal för samråd och publicerade "
        "enkät- och behovsinventeringsresultat (små antal dolda), publicerade remisser med svar och "
        "remissynpunkter. Varje post har kommunkoden och "
        "målen är kopplade till den nationella strategins sex rättighetsområden. Endast läsning, "
        "utan inloggning; varje lista finns också som CSV. Se docs/open-data.md."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "TrackEnum": "indicators.models.Track",
        "ConsultationFormEnum": "consultations.models.Consultation.Form",
    },
}
