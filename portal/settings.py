"""Settings for the launch-readiness portal.

Everything that differs between machines comes from the environment (or a `.env`
file beside manage.py). The defaults suit a developer's laptop; production turns on
the HTTPS settings through the environment and `manage.py check --deploy` verifies
them.
"""

from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def local_secret_key(path):
    """A random key kept in var/ for machines that set none; never a fixed default."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or local_secret_key(
    VAR_DIR / "secret-key"
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "django_htmx",
    "axes",
    "import_export",
    "portal",
    "vendors",
    "compliance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the permissions the session remembers (portal/sessions.py).
    "portal.sessions.AuthenticationMiddleware",
    "portal.sessions.IdleLogoffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
    ),
}
# Connections are reused between requests and checked before use, so that the
# portal recovers by itself after the database restarts.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Every page runs the same few queries (session, user, data version); with
    # server-side binding psycopg prepares a query after its fifth run on a
    # connection, and PostgreSQL stops planning it anew on every request. A
    # connection pooler in transaction mode cannot keep prepared statements:
    # DATABASE_PREPARE_THRESHOLD= (empty) turns preparing off.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": env.int("DATABASE_PREPARE_THRESHOLD", default=5) or None,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, reading permissions once a minute per session.
    "portal.sessions.SessionPermissionsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
# The portal's own time zone: "due today" and "overdue" are computed in it.
TIME_ZONE = env.str("TIME_ZONE", default="America/Sao_Paulo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Signed agreements live outside every URL-served folder; they are only sent
# through a view that checks permission and logs the download.
AGREEMENT_DOCUMENTS_ROOT = env.path(
    "AGREEMENT_DOCUMENTS_ROOT", default=VAR_DIR / "documents"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "agreements": {
        "BACKEND": env.str(
            "AGREEMENT_STORAGE_BACKEND",
            default="django.core.files.storage.FileSystemStorage",
        ),
        "OPTIONS": {"location": str(AGREEMENT_DOCUMENTS_ROOT)},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Sessions: automatic logoff after 15 idle minutes and when the browser closes.
# portal/sessions.py moves a session's end at most once a minute, so it may end up
# to that much earlier than 15 minutes after the last request, never later.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=15 * 60)
PORTAL_SESSION_REFRESH_SECONDS = 60
SESSION_ENGINE = "portal.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# HTTPS settings: off on a laptop, on in production through the environment.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("BEHIND_TLS_PROXY", default=False)
    else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict CSP: everything from our own origin, no inline script or style at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Login throttling: a user or an address is locked out after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address the access log records; a forged X-Forwarded-For must not spread
# failures over made-up addresses.
AXES_CLIENT_IP_CALLABLE = "portal.access.client_address"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")

# Days after the last contact with a vendor before the next follow-up is due.
PORTAL_FOLLOW_UP_DAYS = env.int("PORTAL_FOLLOW_UP_DAYS", default=7)
# Largest signed agreement (PDF) accepted for upload, in bytes.
PORTAL_DOCUMENT_MAX_BYTES = env.int(
    "PORTAL_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024
)
# Readiness and its chart are cached until the next recorded change (see
# compliance/readiness.py); this is the most a cached copy lives. 0 turns it off.
PORTAL_READINESS_CACHE_SECONDS = env.int("PORTAL_READINESS_CACHE_SECONDS", default=600)
# One cache per process unless CACHE_URL names a shared one, e.g.
# filecache:///var/cache/portal to compute readiness once for all gunicorn workers.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Each process's own copies of cached pages, in front of the default cache
    # (see portal/html_cache.py). At most about 300 pages of some 50 KB.
    "html": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-html",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
# Username recorded as the author of changes made by commands without --user.
PORTAL_SYSTEM_USERNAME = "system"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
# Axes announces itself at INFO on every start; only its warnings matter here.
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}
