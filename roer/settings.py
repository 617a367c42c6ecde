"""Roer's one settings module.

Every difference between a laptop demo and a production server comes from an environment variable (see
`.env.example`). SQLite is the default database; `DATABASE_URL` selects PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from roer.lib.env import env_bool, env_int, env_list, env_str

# Lets Django's generic classes take type parameters at run time (ModelAdmin[Scan]), as the type checker
# wants them; django-stubs-ext comes with django-tasks.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ROER_VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
# The fallback key is deliberately marked insecure so that `check --deploy` refuses it in production.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-roer-development-only")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Absolute address used in e-mails sent outside a request (reminders from cron, management commands).
ROER_BASE_URL = env_str("ROER_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # intcomma: numbers with the thousands separator of the language (162.400 inwoners, 162,400 inhabitants)
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "roer.accounts",
    "roer.organisations",
    "roer.instruments",
    "roer.scans",
    "roer.responses",
    "roer.residents",
    "roer.results",
    "roer.plans",
    "roer.learning",
    "roer.reports",
    "roer.audit",
    "roer.lifecycle",
    "roer.api",
    "roer.sso",
    "roer.exchange",
    # After django_tasks_db, whose admin registration roer.web.admin replaces.
    "roer.web",
    "roer.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /health/ is answered here, before the rest of the stack (roer/lib/health.py).
    "roer.lib.health.HealthCheckMiddleware",
    # /ready/ (database and task queue) too (roer/web/health.py).
    "roer.web.health.ReadinessMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "roer.lib.middleware.ChosenLanguageMiddleware",
    # django-csp's, with the header built once (roer/lib/middleware.py)
    "roer.lib.middleware.FixedPolicyCSPMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Roer's own page for a GET on an address that only takes a form's POST (roer/lib/errors.py)
    "roer.lib.errors.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "roer.urls"
WSGI_APPLICATION = "roer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "roer" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Project templates may override Django's form templates (field layout, error association).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------------
# Connections are kept for a minute and checked before reuse: opening one per request costs PostgreSQL a
# process start and SQLite its pragmas, a large share of a questionnaire request.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'roer.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers queue behind the
    # busy timeout instead of failing with "database is locked" halfway through; WAL lets readers
    # carry on while one writer writes. secure_delete overwrites deleted rows with zeros, so a deleted
    # draft or address is not left readable in the file's free pages (roer.lifecycle.traces empties the
    # write-ahead log, which holds older page images, a minute after answers come in).
    # roer.lib.sqlite queues those writers on a lock file, so each goes on the moment the one before
    # commits rather than after SQLite's growing retry sleeps.
    DATABASES["default"]["ENGINE"] = "roer.lib.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
    # Tests use a file, not Django's shared in-memory database, whose table locks ignore the busy
    # timeout: concurrency tests must meet SQLite as production meets it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-roer.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare a statement once it has run a few times on a connection,
    # so PostgreSQL stops parsing and planning the questionnaire's lookups on every request (1.5x the
    # page rate in `make load`). It needs the kept connections above to pay off.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": env_bool("DB_SERVER_SIDE_BINDING", True)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "organisations:dashboard"
LOGOUT_REDIRECT_URL = "login"
# Password log-in first; single sign-on's backend only answers its own callback (roer/sso/backend.py).
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "roer.sso.backend.ProviderBackend"]
# Single sign-on with OpenID Connect (docs/sso.md): every provider's endpoints, client id and secret come
# from its row in roer.sso, set up by a platform administrator; these are the flow's fixed choices.
OIDC_RP_SCOPES = "openid email profile"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False
OIDC_CREATE_USER = True
OIDC_MAX_STATES = 10
# Seconds Roer waits for a provider's answer (configuration, keys, token, userinfo).
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "roer" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "roer" / "static"]
# Files made in the background (report PDFs, large exports). Never served under a public URL: every
# download goes through a view that checks who asks. With several machines, put this on shared storage.
MEDIA_ROOT = Path(env_str("ROER_FILES_DIR", str(VAR_DIR / "files"))).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `runserver` without collectstatic still find files in the apps.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Roer <roer@localhost>")
# Where visitors report an accessibility problem or ask about their data (the public statements name it).
ROER_ACCESSIBILITY_CONTACT = env_str("ROER_ACCESSIBILITY_CONTACT", DEFAULT_FROM_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------------
# django-tasks with its database backend: the queue is a table in the database above, shared by every
# worker (`manage.py roer_worker`) on every machine. See roer/lifecycle/queue.py.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# How often a failed task is tried in all, with 1, 4, 16 ... minutes between attempts.
ROER_TASK_ATTEMPTS = env_int("ROER_TASK_ATTEMPTS", 4, minimum=1)
# Every worker writes a heartbeat this often; one silent for ROER_WORKER_SILENCE_SECONDS is taken to be gone
# and its task queued again. The schedule and the retries are looked at every ROER_WORKER_SWEEP_SECONDS.
ROER_WORKER_HEARTBEAT_SECONDS = env_int("ROER_WORKER_HEARTBEAT_SECONDS", 5, minimum=1)
ROER_WORKER_SILENCE_SECONDS = env_int("ROER_WORKER_SILENCE_SECONDS", 60, minimum=2)
ROER_WORKER_SWEEP_SECONDS = env_int("ROER_WORKER_SWEEP_SECONDS", 30, minimum=1)
# Days finished tasks (and failed ones, for a platform administrator to look at) are kept.
ROER_TASK_HISTORY_DAYS = env_int("ROER_TASK_HISTORY_DAYS", 30, minimum=1)

# --- Security -------------------------------------------------------------------------------------
# Behind HTTPS (every real deployment) set HTTPS=true: secure cookies, HSTS and a redirect to https.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer checks liveness and readiness over plain HTTP, behind the TLS it terminates.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content Security Policy, enforced: every script, style, image and font comes from this site, nothing
# inline; Roer's pages need no JavaScript at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Cache (rate limits) --------------------------------------------------------------------------
# Rate limits must be shared by every worker: Redis when REDIS_URL is set (several machines), otherwise
# a file cache in var/ (one machine, any number of processes).
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}
    )
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "roer.lib.ratelimits.too_many_requests"
# Every per-address limit counts the address roer.lib.ratelimits.client_address gives: REMOTE_ADDR, or
# behind a proxy (BEHIND_PROXY=true) the client address our proxies appended to X-Forwarded-For. Set
# ROER_TRUSTED_PROXIES to the number of proxies of ours in front of Roer (nginx alone: 1; a load balancer
# and nginx: 2); entries further left come from the client and are never believed.
RATELIMIT_IP_META_KEY = "roer.lib.ratelimits.client_address"
ROER_TRUSTED_PROXIES = env_int("ROER_TRUSTED_PROXIES", 1, minimum=1) if env_bool("BEHIND_PROXY", False) else 0
RATELIMIT_IPV6_MASK = 64  # one household or office gets a /64: counted as one address
# How many failed log-ins and unknown answer links one address may try before it is told to wait. An
# account's own failures (from any address) beyond the same number slow it down, one attempt at a time
# with a growing wait of at most ROER_LOGIN_SLOWDOWN_MAX seconds, instead of locking it (see
# roer/accounts/throttling.py).
ROER_LOGIN_FAILURES = env_str("ROER_LOGIN_FAILURES", "10/15m")
ROER_LOGIN_SLOWDOWN_MAX = env_int("ROER_LOGIN_SLOWDOWN_MAX", 300, minimum=1)
ROER_BAD_LINKS = env_str("ROER_BAD_LINKS", "20/10m")
# Password-reset e-mails: a few per hour to one e-mail address, more from one client address (a town
# hall's colleagues share one). Beyond them the page says the same, but no e-mail goes out.
ROER_PASSWORD_RESETS_PER_EMAIL = env_str("ROER_PASSWORD_RESETS_PER_EMAIL", "3/h")
ROER_PASSWORD_RESETS_PER_ADDRESS = env_str("ROER_PASSWORD_RESETS_PER_ADDRESS", "20/h")

# --- Roer -----------------------------------------------------------------------------------------
# The smallest group whose figures may ever be shown; a scan's own thresholds can only be higher.
ROER_MIN_THRESHOLD = 3
ROER_DEFAULT_THRESHOLD = env_int("ROER_DEFAULT_THRESHOLD", 5, minimum=ROER_MIN_THRESHOLD)
# Days after a scan closes until its invitees' e-mail addresses are deleted (`manage.py purge_personal_data`).
# Residents: no figure from fewer residents than this (per channel, and together); submits per address;
# and a burst: at least this many open-link answers in ten minutes from one network.
ROER_RESIDENT_THRESHOLD = env_int("ROER_RESIDENT_THRESHOLD", 10, minimum=5)
ROER_RESIDENT_SUBMITS_PER_ADDRESS = env_str("ROER_RESIDENT_SUBMITS_PER_ADDRESS", "30/h")
ROER_RESIDENT_BURST = env_int("ROER_RESIDENT_BURST", 10, minimum=3)
ROER_RETENTION_DAYS = env_int("ROER_RETENTION_DAYS", 90, minimum=1)
# Open answers are only shown for groups of at least this many respondents, and always for more than
# the group's own score threshold: a sentence identifies its writer more easily than a number.
ROER_OPEN_ANSWER_THRESHOLD = env_int("ROER_OPEN_ANSWER_THRESHOLD", 7, minimum=ROER_MIN_THRESHOLD + 1)
# Planned invitations and reminders go out at this hour (local time) on their day.
ROER_MAILING_HOUR = env_int("ROER_MAILING_HOUR", 9, minimum=0)
# The owner of an open action is reminded once per due date, this many days before it (and when it is overdue).
ROER_ACTION_REMINDER_DAYS = env_int("ROER_ACTION_REMINDER_DAYS", 7, minimum=0)
# Scans with more respondents than this have their exports made in the background.
ROER_EXPORT_INLINE_MAX = env_int("ROER_EXPORT_INLINE_MAX", 2000, minimum=0)
# Hours an export made in the background is kept before it is deleted.
ROER_EXPORT_RETENTION_HOURS = env_int("ROER_EXPORT_RETENTION_HOURS", 24, minimum=1)
# Largest invitee file a beheerder may upload, in bytes.
ROER_MAX_UPLOAD_BYTES = env_int("ROER_MAX_UPLOAD_BYTES", 2 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ROER_MAX_UPLOAD_BYTES + 64 * 1024
# The benchmark across installations (docs/benchmark-exchange.md): this installation's name in the files it
# signs, its Ed25519 signing key (made on first use, mode 0600), and how many organisations must take part
# before /open-data/benchmark/ publishes anything.
ROER_INSTALLATION_NAME = env_str("ROER_INSTALLATION_NAME", "Roer")
ROER_BENCHMARK_KEY_FILE = Path(env_str("ROER_BENCHMARK_KEY_FILE", str(VAR_DIR / "benchmark-signing-key.pem")))
ROER_OPEN_DATA_MIN_ORGANISATIONS = env_int("ROER_OPEN_DATA_MIN_ORGANISATIONS", 10, minimum=5)
# The REST API (docs/api.md): requests per API key, counted in the shared cache.
ROER_API_RATE = env_str("ROER_API_RATE", "120/m")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
