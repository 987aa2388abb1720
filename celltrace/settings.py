"""Django settings for celltrace, read once from the environment.

Three ways to run: the demo clinic (CELLTRACE_DEMO, set by `celltrace demo`), the test
suite (celltrace.test_settings) and a deployment, which refuses a default secret key or
DEBUG on.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import platformdirs
from django.utils.csp import CSP

from celltrace.config import (
    ConfigurationError,
    env_bool,
    env_email,
    env_int,
    env_list,
    env_log_level,
    env_networks,
    env_str,
    env_time_zone,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CELLTRACE_DATA_DIR") or platformdirs.user_data_dir("celltrace"))

DEMO = env_bool("CELLTRACE_DEMO", default=False)
TESTING = env_bool("CELLTRACE_TESTING", default=False)
DEBUG = env_bool("CELLTRACE_DEBUG", default=False)

_DEMO_SECRET_KEY = "celltrace-demo-only-not-secret"  # noqa: S105 - refused outside the demo
SECRET_KEY = env_str("CELLTRACE_SECRET_KEY") or (_DEMO_SECRET_KEY if DEMO or TESTING else None)
if not (DEMO or TESTING):
    if SECRET_KEY is None or SECRET_KEY == _DEMO_SECRET_KEY:
        raise ConfigurationError("Set CELLTRACE_SECRET_KEY: a deployment needs its own secret key")
    # Django's own minimum (check --deploy, security.W009): 50 characters, 5 different ones.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ConfigurationError(
            "CELLTRACE_SECRET_KEY must be at least 50 characters, not one repeated: make one "
            "with python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if DEBUG:
        raise ConfigurationError("CELLTRACE_DEBUG must be off outside the demo: it leaks data")

ALLOWED_HOSTS = env_list("CELLTRACE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CELLTRACE_CSRF_TRUSTED_ORIGINS", [])
# The clinic's reverse proxies: only a request from one of them may name, in X-Forwarded-For,
# the visitor it forwards (celltrace.addresses.client_address); anyone else could forge it.
TRUSTED_PROXIES = env_networks("CELLTRACE_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_htmx",
    "django_tasks_db",  # the queue of background work (TASKS below), in the database
    "ninja",  # serves Swagger UI from its own static files: /api/docs needs no CDN
    "celltrace.audit",  # the chain over the audit history, security events (docs/audit-trail.md)
    "celltrace.accounts",
    "celltrace.signatures",
    "celltrace.catalog",
    "celltrace.patients",
    "celltrace.outbox",  # every e-mail the clinic sends, queued and logged (docs/messages.md)
    "celltrace.intake",
    "celltrace.screening",
    "celltrace.plans",
    "celltrace.lab",
    "celltrace.cryostore",
    "celltrace.stays",
    "celltrace.followup",
    "celltrace.homecare",  # the plan's home care as dated doses the patient confirms
    "celltrace.ward",
    "celltrace.outcomes",
    "celltrace.care",
    "celltrace.questionnaires",  # patient-reported outcomes in the portal (docs/questionnaires.md)
    "celltrace.portal",  # the patient's own pages, messages and reports (docs/portal.md)
    "celltrace.web",
    "celltrace.fhir",
    "celltrace.privacy",  # export, erasure and purge of personal data (docs/privacy.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files answer here, cacheable
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "celltrace.headers.NoStoreMiddleware",
    # Every refused request (a CSRF failure too) and file handed over: the security events log.
    "celltrace.audit.events.SecurityEventMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language: the language cookie (the switcher), else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "celltrace.nul_character.NulCharacterMiddleware",  # PostgreSQL cannot store U+0000
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person reads their chosen language, whatever the browser asks for.
    "celltrace.accounts.languages.ChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "celltrace.urls"
WSGI_APPLICATION = "celltrace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each outcome instrument keeps its form partial in its own folder (CONTRIBUTING.md).
        "DIRS": [
            BASE_DIR / "templates",
            *sorted(BASE_DIR.glob("outcomes/instruments/*/templates")),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "celltrace.web.context.clinic",
            ],
        },
    },
]

_DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / ('demo.sqlite3' if DEMO else 'celltrace.sqlite3')}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("CELLTRACE_DATABASE_URL") or _DEFAULT_DATABASE_URL,
        conn_max_age=env_int("CELLTRACE_CONN_MAX_AGE", default=60),
        # A restarted database costs no failed request: stale connections are checked first.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytical queries; a request's short queries pay
    # its compile time instead (0.3 s of the outcome report's 1.1 s at 100,000 patients).
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests take turns instead of failing with "database is locked": IMMEDIATE
    # takes the write lock when a transaction begins (a deferred one that read first cannot
    # wait for it later), WAL lets pages be read while one request writes, and a connection
    # waits up to 20 seconds for the lock.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
    }
# Background work (the outcome report's snapshots) runs on a real queue, never in a request:
# tasks are rows of the database, run by `celltrace worker` (a thread of `celltrace demo`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # issue 12: at least 12 characters (docs/sign-in.md)
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface's languages (docs/languages.md): each has its catalogue in celltrace/locale,
# shipped compiled, and is one of accounts.Language (the e-mails' and patients' languages).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow the language: celltrace's own formats per language, else Django's.
FORMAT_MODULE_PATH = ["celltrace.formats"]
TIME_ZONE = env_time_zone("CELLTRACE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from here after collectstatic
# Several app servers storing uploads on a file system share one folder (a network mount)
# named here; CELLTRACE_STORAGE=s3 below needs none.
UPLOADS_DIR = Path(env_str("CELLTRACE_UPLOADS_DIR") or DATA_DIR / "uploads")
UPLOADS_DIR.mkdir(parents=True, exist_ok=True)  # there from the start, for the backups to copy
# Uploaded reports: in DATA_DIR/uploads, or, where several app servers stand behind one
# load balancer, in an S3-compatible bucket that all of them read (CELLTRACE_STORAGE=s3,
# the optional `s3` extra: django-storages; docs/deployment.md).
STORAGE = env_str("CELLTRACE_STORAGE", "filesystem")
if STORAGE == "filesystem":
    _uploads = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(UPLOADS_DIR)},
    }
elif STORAGE == "s3":
    if not env_str("CELLTRACE_S3_BUCKET"):
        raise ConfigurationError("CELLTRACE_STORAGE=s3 needs CELLTRACE_S3_BUCKET, the bucket")
    _uploads = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CELLTRACE_S3_BUCKET"),
            # Unset: Amazon S3 itself, and the credentials of the machine's role or of
            # boto3's own variables and files.
            "endpoint_url": env_str("CELLTRACE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("CELLTRACE_S3_REGION") or None,
            "access_key": env_str("CELLTRACE_S3_ACCESS_KEY") or None,
            "secret_key": env_str("CELLTRACE_S3_SECRET_KEY") or None,
            "location": env_str("CELLTRACE_S3_PREFIX", ""),
            # Health data: objects take the bucket's own (private) policy, never a public
            # ACL, and a name already taken gets a new one rather than being overwritten.
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    raise ConfigurationError(f"CELLTRACE_STORAGE={STORAGE}: use filesystem or s3")
STORAGES = {
    "default": _uploads,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Nothing of a visitor lives in one app server's memory: sessions are rows of the database
# (Django's default, named here because several servers rely on it) and so is the cache,
# so any server behind the load balancer answers any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "celltrace_cache",
    }
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CELLTRACE_SECURE_COOKIES", default=not (DEMO or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy on every page (Django's own, django.middleware.csp): scripts,
# styles, images and fonts from the site itself only, no inline script or style, no
# plug-ins, no framing, forms posting only back to the site (docs/security-headers.md).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# HTTPS: a deployment is served over HTTPS (by celltrace behind a TLS proxy); plain HTTP is
# redirected and browsers are told to use HTTPS only (HSTS). The demo and tests run on
# plain HTTP. Behind a proxy that terminates TLS, CELLTRACE_PROXY_HTTPS_HEADER=true makes
# its X-Forwarded-Proto: https count as HTTPS (the proxy must set it on every request).
HTTPS = env_bool("CELLTRACE_HTTPS", default=not (DEMO or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("CELLTRACE_HSTS_SECONDS", default=365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CELLTRACE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise for the whole domain, made by its owner (hstspreload.org). Django's
# deploy check warns without it, and `celltrace serve` refuses on a warning: a clinic whose
# domain's owner has decided against it says so with CELLTRACE_HSTS_PRELOAD=false.
SECURE_HSTS_PRELOAD = env_bool("CELLTRACE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = []
if env_str("CELLTRACE_HSTS_PRELOAD") and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if env_bool("CELLTRACE_PROXY_HTTPS_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Public consultation requests: attachments and abuse limits.
INTAKE_MAX_ATTACHMENT_BYTES = env_int("CELLTRACE_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
INTAKE_MAX_ATTACHMENTS = 5
INTAKE_REQUESTS_PER_HOUR = env_int("CELLTRACE_REQUESTS_PER_HOUR", default=5)
# Privacy (docs/privacy.md). After erasure the clinical record is kept this many years: cell
# products' traceability data for 30 years (EU Directive 2004/23/EC art. 8, Regulation (EC)
# 1394/2007 art. 15); set what the clinic's national law asks, never less.
PRIVACY_RECORD_RETENTION_YEARS = env_int("CELLTRACE_RECORD_RETENTION_YEARS", default=30)
PRIVACY_RECORD_RETENTION_BASIS = env_str(
    "CELLTRACE_RECORD_RETENTION_BASIS",
    "GDPR art. 17(3)(b) and (c) with art. 9(2)(h) and (i): medical records and the traceability "
    "of cell products kept as the law requires (Directive 2004/23/EC art. 8, Regulation (EC) "
    "1394/2007 art. 15, the national law on medical records); art. 17(3)(e): legal claims",
)
# Closed requests that never became patients, and the public form's client addresses, are
# purged after these many days (`celltrace privacy purge`).
PRIVACY_REQUEST_RETENTION_DAYS = env_int("CELLTRACE_REQUEST_RETENTION_DAYS", default=365)
PRIVACY_ADDRESS_RETENTION_DAYS = env_int("CELLTRACE_ADDRESS_RETENTION_DAYS", default=30)
for _variable, _value in (
    ("CELLTRACE_RECORD_RETENTION_YEARS", PRIVACY_RECORD_RETENTION_YEARS),
    ("CELLTRACE_REQUEST_RETENTION_DAYS", PRIVACY_REQUEST_RETENTION_DAYS),
    ("CELLTRACE_ADDRESS_RETENTION_DAYS", PRIVACY_ADDRESS_RETENTION_DAYS),
):
    if _value < 1:
        raise ConfigurationError(f"{_variable}={_value}: a retention period is at least 1")
DATA_UPLOAD_MAX_MEMORY_SIZE = INTAKE_MAX_ATTACHMENT_BYTES * INTAKE_MAX_ATTACHMENTS + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = INTAKE_MAX_ATTACHMENT_BYTES
# Stored reports are readable by the server's own user only (docs/uploads.md).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# ClamAV: every upload is scanned by the clamd at this address (host:port or a unix socket's
# path) when one is named; without it only the EICAR test signature is recognised.
CLAMD_ADDRESS = env_str("CELLTRACE_CLAMD_ADDRESS", "")
CLAMD_TIMEOUT = env_int("CELLTRACE_CLAMD_TIMEOUT", default=30)

# E-mail: through the clinic's SMTP server when one is named; otherwise every message is
# written as a file to DATA_DIR/mail, so nothing is lost and nothing leaves the machine.
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env_email("CELLTRACE_EMAIL_FROM", "celltrace@localhost")
_email_host = env_str("CELLTRACE_EMAIL_HOST")
if _email_host:
    if not env_str("CELLTRACE_EMAIL_FROM"):
        raise ConfigurationError("Set CELLTRACE_EMAIL_FROM, the clinic's sender address")
    _email_ssl = env_bool("CELLTRACE_EMAIL_SSL", default=False)
    _email_tls = env_bool("CELLTRACE_EMAIL_TLS", default=not _email_ssl)
    if _email_ssl and _email_tls:
        raise ConfigurationError("Set only one of CELLTRACE_EMAIL_TLS and CELLTRACE_EMAIL_SSL")
    _smtp = {
        "host": _email_host,
        "port": env_int("CELLTRACE_EMAIL_PORT", default=465 if _email_ssl else 587),
        "username": env_str("CELLTRACE_EMAIL_USER", ""),
        "password": env_str("CELLTRACE_EMAIL_PASSWORD", ""),
        "use_tls": _email_tls,
        "use_ssl": _email_ssl,
        "timeout": 20,  # a stuck mail server must not hold a request for ever
    }
    MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp}
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
    # Django's deploy check calls the file backend development-only; here it is the chosen
    # place for mail until the clinic names its SMTP server (README, "E-mail").
    SILENCED_SYSTEM_CHECKS.append("mail.E001")

# The address the clinic's pages are reached at, for the links in its e-mails (empty: the
# e-mails name the page instead of linking to it).
PUBLIC_URL = env_str("CELLTRACE_PUBLIC_URL", "http://127.0.0.1:8000" if DEMO else "").rstrip("/")
if PUBLIC_URL and not PUBLIC_URL.startswith(("https://", "http://")):
    raise ConfigurationError(
        "CELLTRACE_PUBLIC_URL must start with https://, e.g. https://clinic.example"
    )

# The video provider of the advisor's consultations (docs/consultations.md): each video
# consultation's link is this address with {token} replaced by a new unguessable token, e.g.
# https://meet.example.org/celltrace-{token}. Empty: consultations are booked by phone only.
VIDEO_URL_TEMPLATE = env_str(
    "CELLTRACE_VIDEO_URL_TEMPLATE",
    "https://meet.example.org/celltrace-{token}" if DEMO or TESTING else "",
)
if VIDEO_URL_TEMPLATE and not (
    VIDEO_URL_TEMPLATE.startswith("https://") and "{token}" in VIDEO_URL_TEMPLATE
):
    raise ConfigurationError(
        "CELLTRACE_VIDEO_URL_TEMPLATE must start with https:// and hold {token}, e.g. "
        "https://meet.example.org/celltrace-{token}"
    )

# Doctors who must sign a screening decision before it is final (DOMAIN section 2).
CELLTRACE_SCREENING_SIGNATURES = env_int("CELLTRACE_SCREENING_SIGNATURES", default=2)
if CELLTRACE_SCREENING_SIGNATURES < 1:
    raise ConfigurationError("CELLTRACE_SCREENING_SIGNATURES must be at least 1")

_LOG_LEVEL = env_log_level("CELLTRACE_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "permission_refusals": {"()": "celltrace.logs.PermissionRefusalWithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"filters": ["permission_refusals"]},
        # Django's own "django" logger is at INFO and propagates to this console: without
        # this, every task the worker runs (each e-mail) printed two lines, and the demo's
        # logins scrolled away under thousands of them.
        "django.tasks": {"level": _LOG_LEVEL},
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
}

# --- Sign-in (issue 12, part 3; docs/sign-in.md) ------------------------------------------
# Throttling (django-axes), the second factor (django-otp: TOTP, and one-use recovery codes)
# and the session clocks. Kept in one block: other blocks add middleware of their own.
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# After authentication: django-otp tells whether this session confirmed its second factor,
# then celltrace's sign-in middleware ends idle or too-old sessions and keeps every staff
# screen and API closed until it has. Axes answers a locked-out sign-in, so it comes last.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "celltrace.accounts.signin.SignInMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Axes watches every authentication (the sign-in page and the admin's) before the password
# is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# CELLTRACE_SIGNIN_FAILURES wrong passwords for one username (from anywhere), or from one
# address (for any usernames), lock further sign-ins for CELLTRACE_SIGNIN_LOCK_MINUTES; the
# lock then lifts by itself, so nobody can lock a colleague out for good.
AXES_FAILURE_LIMIT = env_int("CELLTRACE_SIGNIN_FAILURES", default=12)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CELLTRACE_SIGNIN_LOCK_MINUTES", default=15))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() <= 0:
    raise ConfigurationError(
        "CELLTRACE_SIGNIN_FAILURES and CELLTRACE_SIGNIN_LOCK_MINUTES must be at least 1"
    )
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "celltrace.addresses.client_address"  # behind trusted proxies too
AXES_LOCKOUT_CALLABLE = "celltrace.accounts.signin.locked_out"  # 429, the pause in minutes
AXES_VERBOSE = False
# TOTP: the authenticator app shows the clinic's name; a code is good for its 30 seconds and
# one step either side, once.
OTP_TOTP_ISSUER = "celltrace"
# Session clocks: a staff session ends after CELLTRACE_STAFF_IDLE_MINUTES without a request
# and CELLTRACE_STAFF_SESSION_HOURS after signing in; a patient's (the portal) after
# CELLTRACE_PATIENT_IDLE_MINUTES and CELLTRACE_PATIENT_SESSION_HOURS.
SIGNIN_STAFF_IDLE = timedelta(minutes=env_int("CELLTRACE_STAFF_IDLE_MINUTES", default=15))
SIGNIN_STAFF_MAX_AGE = timedelta(hours=env_int("CELLTRACE_STAFF_SESSION_HOURS", default=12))
SIGNIN_PATIENT_IDLE = timedelta(minutes=env_int("CELLTRACE_PATIENT_IDLE_MINUTES", default=60))
SIGNIN_PATIENT_MAX_AGE = timedelta(
    hours=env_int("CELLTRACE_PATIENT_SESSION_HOURS", default=24 * 14)
)
if min(SIGNIN_STAFF_IDLE, SIGNIN_STAFF_MAX_AGE, SIGNIN_PATIENT_IDLE, SIGNIN_PATIENT_MAX_AGE) <= (
    timedelta(0)
):
    raise ConfigurationError("The CELLTRACE_*_IDLE_MINUTES and *_SESSION_HOURS must be positive")
# The browser's cookie lives no longer than the longest session the server would accept.
SESSION_COOKIE_AGE = int(max(SIGNIN_STAFF_MAX_AGE, SIGNIN_PATIENT_MAX_AGE).total_seconds())
# A password reset link works for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
