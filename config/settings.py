"""Haven settings: one module, every deployment-specific value read from the environment.

HAVEN_ENV selects the profile:
- ``development`` (default): DEBUG on, console email/SMS, a fixed development secret.
- ``production``: refuses to start with the development secret, with DEBUG on, or without
  ALLOWED_HOSTS; turns on HSTS, secure cookies and hashed static files.
The Dockerfile sets ``HAVEN_ENV=production``; ``make run`` / ``make test`` leave it unset.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

HAVEN_ENV = env.str("HAVEN_ENV", default="development")
if HAVEN_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"HAVEN_ENV must be 'development' or 'production', not {HAVEN_ENV!r}"
    )
IS_PRODUCTION = HAVEN_ENV == "production"

# A value anyone can read in this file: fine on a laptop, refused in production below.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret-haven"  # noqa: S105 - refused in production  # nosec B105
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Old secret keys, kept while encrypted fields and signed values made with them are re-saved.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# Salts for django-fernet-encrypted-fields: the first encrypts, all decrypt (key rotation).
DEVELOPMENT_FIELD_ENCRYPTION_SALT = "development-only-field-salt"
SALT_KEY = env.list("FIELD_ENCRYPTION_SALTS", default=[DEVELOPMENT_FIELD_ENCRYPTION_SALT])
DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if IS_PRODUCTION:
    problems = []
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if DEVELOPMENT_FIELD_ENCRYPTION_SALT in SALT_KEY:
        problems.append("FIELD_ENCRYPTION_SALTS must be set to your own random values")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the hosts this service answers to")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))

# --- Applications -----------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "formtools",
    "pgtrigger",
    "pghistory",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    # Haven's apps, lowest layer first (docs/layout.md); an app imports only from those above it
    # in this list.
    "core",
    "notices",
    "accounts",
    "referrals",
    "sessions_booking",
    "partners",
    "home",
    "reports",
    "dataprotection",
]

MIDDLEWARE = [
    "config.db_deadline.DatabaseDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.SameOriginNullOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "core.audit.AuditContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Every form, public and staff, drawn by Django's form rendering through the project's
# templates: templates/forms/ (config/form_renderer.py).
FORM_RENDERER = "config.form_renderer.HavenFormRenderer"

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
                "django.template.context_processors.i18n",
                "config.context_processors.safety",
            ],
        },
    },
]

# --- Data stores ------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/haven"),
}
# The PostgreSQL role the web and worker processes connect as (DATABASE_URL's user); it owns
# nothing. Set it where migrations run as the owner (MIGRATION_DATABASE_URL): every migrate
# then grants it its rights (core/database_roles.py; docs/operations.md "Database roles").
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Bounded waits (docs/operations.md "When PostgreSQL is down"): libpq gives up on a server that does
# not let it connect after DB_CONNECT_TIMEOUT seconds. Web processes (config/gunicorn.py)
# also set DB_STATEMENT_TIMEOUT_MS, PostgreSQL's own limit on a statement (workers and
# migrations may take longer), and config/db_deadline.py stops a request waiting for a
# server that is frozen and cannot enforce its own limit. She gets a friendly page, not a hang.
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=2)  # libpq's minimum is 2
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=0)
DB_CLIENT_DEADLINE_SECONDS = env.float("DB_CLIENT_DEADLINE_SECONDS", default=4.5)
# Django's PostgreSQL backend with deadlines on commit, rollback and its health check.
DATABASES["default"]["ENGINE"] = "config.postgresql"
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DB_CONNECT_TIMEOUT
if DB_STATEMENT_TIMEOUT_MS:
    DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# The cache is in PostgreSQL (the table comes with accounts' migrations): what it holds
# guards sign-in (allauth's and django-ratelimit's counters, used authenticator codes) and
# must hold while Redis is down, or staff could not sign in (docs/operations.md, "When Redis
# is down").
# Redis carries only Celery's queue.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "haven_cache",
        "KEY_PREFIX": "haven",
        "TIMEOUT": 300,
        # Expired rows are culled as they are met; never cull live counters early.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 10},
    }
}

# Server-side sessions in PostgreSQL, encrypted with the field keys (config/encrypted_sessions.py):
# a multi-step form keeps its answers here, never in the browser. Expired rows are swept by
# accounts.tasks.clear_expired_sessions.
SESSION_ENGINE = "config.encrypted_sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # inactivity timeout, not a fixed lifetime
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # closing the browser forgets the form's answers
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "sid"  # neutral: nothing about the service in a browser's cookie list
CSRF_COOKIE_NAME = "csrf"
CSRF_COOKIE_HTTPONLY = True

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # Her own name and e-mail address ("amarahussain" for Amara Hussain) are refused.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Passwords known from breaches are refused (Pwned Passwords: only the first 5 characters
    # of the password's SHA-1 leave the server). If the service cannot be reached within
    # PWNED_PASSWORDS_API_TIMEOUT, the check falls back to Django's list of 20,000 common
    # passwords and logs an error.
    {"NAME": "pwned_passwords_django.validators.PwnedPasswordsValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PWNED_PASSWORDS = {
    "API_TIMEOUT": env.float("PWNED_PASSWORDS_API_TIMEOUT", default=1.0),
    "ADD_PADDING": True,
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:staff_home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.StaffAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # staff are invited by an admin who knows the address
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Haven staff")
# Accept the code from one 30-second step either side (RFC 6238's advice for clock drift on
# phones); allauth still refuses a code that was already used.
MFA_TOTP_TOLERANCE = 1

# Staff sign-in protection, session timeout warning and invitations (accounts/views.py).
# Failed sign-ins: at most 10 a minute from one IP address and 5 in 5 minutes for one email
# address; after that even the right password is refused until the window passes. Every
# other allauth rate limit keeps its default (allauth merges this dict into its defaults).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# A password reset asked for an address with no account sends nothing: the page says the
# same either way, and a stranger's inbox never gets mail from us.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Staff pages warn this many seconds before an idle session ends (SESSION_COOKIE_AGE).
SESSION_TIMEOUT_WARNING_SECONDS = env.int("SESSION_TIMEOUT_WARNING_SECONDS", default=120)
# Invitation and password reset links stop working after this many seconds (3 days).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# pghistory: field history by database triggers; its event tables refuse UPDATE and DELETE.
PGHISTORY_APPEND_ONLY = True

# --- Internationalisation ---------------------------------------------------------------
# Public pages (home, the referral forms, the confirmation page) and her reminder link page
# are translated; staff pages are English. Each language is named in itself, as the
# language switcher shows it (Django's own local name for "pa" is in Latin letters; ours is
# Gurmukhi). English is unprefixed (/refer/), the others by prefix (/pl/refer/): the
# language lives in the address, never in a cookie (docs/languages.md).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("ur", "اردو"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("bn", "বাংলা"),
]
LANGUAGES_BIDI = ["ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
# Only production collects static files; elsewhere WhiteNoise serves them from the finders.
STATIC_ROOT = (
    env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")) if IS_PRODUCTION else None
)
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (a neutral /favicon.ico), served by WhiteNoise as
# they are: without them every page's visit logs a 404.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email and SMS ----------------------------------------------------------------------
# EMAIL_URL examples: consolemail://, smtp+tls://user:pass@smtp.example.org:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Neutral sender: a message seen by someone else must not name the service.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Appointments <no-reply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Where messages to women go (core/messaging/delivery/): one backend per channel, by
# name: "console" (development: SMS to the log, email through EMAIL_URL), "smtp" (email
# through EMAIL_URL) or "notify" (GOV.UK Notify, SMS and email).
MESSAGES_SMS_BACKEND = env.str("MESSAGES_SMS_BACKEND", default="console")
MESSAGES_EMAIL_BACKEND = env.str("MESSAGES_EMAIL_BACKEND", default="console")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
# Notify templates hold only "((body))" (and "((subject))" for email): the wording is ours.
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
# A neutral sender name registered with Notify (never the service's name).
NOTIFY_SMS_SENDER_ID = env.str("NOTIFY_SMS_SENDER_ID", default="")
NOTIFY_EMAIL_REPLY_TO_ID = env.str("NOTIFY_EMAIL_REPLY_TO_ID", default="")
NOTIFY_TIMEOUT_SECONDS = env.int("NOTIFY_TIMEOUT_SECONDS", default=20)
# Notify's delivery receipts: the bearer token Notify sends with each delivery-status
# callback (set the same value as the callback's token in Notify's settings), to
# https://<site>/notify/delivery-status/. Without it, the worker asks Notify for the status of
# each message sent in the last DELIVERY_LOOKUP_HOURS instead.
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="")
# The most messages to women sent in a minute, across every worker (core/messaging/pace.py):
# GOV.UK Notify's limit is 3,000 a minute per service.
MESSAGES_PER_MINUTE = env.int("MESSAGES_PER_MINUTE", default=3000)
# How many worker processes send messages (all workers' --concurrency added up). Only used
# while Redis does not answer: each then paces itself at MESSAGES_PER_MINUTE / MESSAGE_SENDERS.
MESSAGE_SENDERS = env.int("MESSAGE_SENDERS", default=4)
DELIVERY_LOOKUP_HOURS = env.int("DELIVERY_LOOKUP_HOURS", default=72)
# A reminder still "sending" this long after it was claimed is recovered (the worker that
# claimed it died): looked up at the provider by its idempotency reference, never re-sent
# blindly. Must exceed CELERY_TASK_TIME_LIMIT, so no living worker can still hold it.
REMINDER_STUCK_AFTER_SECONDS = env.int("REMINDER_STUCK_AFTER_SECONDS", default=300)
# How long a reminder's confirm/cancel link stays usable at most (it also ends when the
# session starts).
REMINDER_LINK_DAYS = env.int("REMINDER_LINK_DAYS", default=14)
REMINDER_LINK_RATE = env.str("REMINDER_LINK_RATE", default="30/h")

# --- Data protection (dataprotection/) -----------------------------------------
# Closed cases are anonymised this many years after they closed; self-referrals we never
# reached, this many months after they arrived. The daily beat task does at most
# RETENTION_BATCH_SIZE cases per rule per run (the rest the next day).
RETENTION_CLOSED_YEARS = env.int("RETENTION_CLOSED_YEARS", default=6)
RETENTION_NEVER_CONTACTED_MONTHS = env.int("RETENTION_NEVER_CONTACTED_MONTHS", default=12)
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)

# --- Security headers -------------------------------------------------------------------
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap's form controls draw their icons from data: SVGs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Absolute links in emails to staff (no personal details are ever put in them).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Self-referral protection -----------------------------------------------------------
# django-ratelimit keeps its counters in the default cache (PostgreSQL). Behind a load balancer,
# set RATELIMIT_IP_META_KEY=HTTP_X_FORWARDED_FOR so the client's address is used
# (core/client_address.py: the last entry, REMOTE_ADDR when the header is missing).
RATELIMIT_USE_CACHE = "default"
# If the counters cannot be read (the database is failing), let people through rather than
# refuse a woman's referral (staff sign-in still needs password and MFA).
RATELIMIT_FAIL_OPEN = True
CLIENT_ADDRESS_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
RATELIMIT_IP_META_KEY = "core.client_address.client_address"
REFERRAL_SUBMIT_RATE = env.str("REFERRAL_SUBMIT_RATE", default="10/h")
# A person needs longer than this to read and fill in the form; faster is asked to confirm.
REFERRAL_MIN_SECONDS_TO_FILL = env.int("REFERRAL_MIN_SECONDS_TO_FILL", default=20)

# The service's name: only in messages to women who allowed it, and refused in discreet
# message templates.
SERVICE_NAME = env.str("SERVICE_NAME", default="Haven")
# The number women and referrers can call (shown on public pages). Default: an Ofcom
# drama number, never a real line.
SERVICE_PHONE = env.str("SERVICE_PHONE", default="0121 496 0000")

# Onward referrals to partner services (partners app): a referral the partner has not
# answered after this many working days goes on her keyworker's "contacts due today" to
# chase; the version of the consent wording read to her before sharing.
PARTNER_CHASE_WORKING_DAYS = env.int("PARTNER_CHASE_WORKING_DAYS", default=5)
PARTNER_CONSENT_VERSION = "2026-12"

# Where "Exit this page" goes: a busy, ordinary site. Configurable per service.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.bbc.co.uk/weather")

if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer probes /healthz over plain HTTP inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preload is a long commitment to HTTPS on every subdomain; turn off with the env var if
    # the domain is shared with services that cannot do HTTPS.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Every task is fire-and-forget: nothing reads a result, so there is no result backend.
# (A Redis result backend made each queueing wait about 19 s for a Redis that was down.)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Longer than any task may run, so a late-acked task is not handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing gives up quickly when Redis is down or frozen: web requests never queue work
# that matters (notices wait in PostgreSQL: notices/), they only wake a worker, once.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# A wake-up's own connection waits at most this long for Redis (notices.services.wake).
WAKE_UP_BROKER_TIMEOUT = env.float("WAKE_UP_BROKER_TIMEOUT", default=0.5)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {
        "task": "sessions_booking.tasks.send_due_reminders",
        "schedule": 60,
    },
    # Delivery receipts asked of Notify when its callbacks are not configured.
    "look-up-delivery-statuses": {
        "task": "sessions_booking.tasks.look_up_delivery_statuses",
        "schedule": 10 * 60,
    },
    "deliver-waiting-notices": {
        "task": "notices.tasks.deliver_waiting_notices",
        "schedule": 30,
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60,
    },
    "run-retention": {
        "task": "dataprotection.tasks.run_retention",
        # Daily, at night (Europe/London).
        "schedule": crontab(hour=3, minute=17),
    },
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
