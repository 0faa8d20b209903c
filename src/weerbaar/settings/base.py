"""Base settings, read from environment variables (12-factor).

The embedded default works with no variable set: SQLite and local files in a data folder,
a secret key generated once and kept in that folder. Production layers on top of this module
(see ``weerbaar.settings.production``) and refuses unsafe values.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"WEERBAAR_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("DATA_DIR", str(REPO_DIR / "data"))).resolve()


def _embedded_secret_key() -> str:
    """A random key kept in the data folder, so sessions survive a restart of the demo."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or _embedded_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "weerbaar.core",
    "weerbaar.organisations",
    "weerbaar.accounts",
    "weerbaar.audit",
    "weerbaar.signals",
    "weerbaar.cases",
    "weerbaar.inspections",
    "weerbaar.interventions",
    "weerbaar.registry",
    "weerbaar.entities",
    "weerbaar.lio",
    "weerbaar.notifications",
    "weerbaar.dashboard",
    "weerbaar.api",
    "weerbaar.demo",
]

MIDDLEWARE = [
    "weerbaar.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weerbaar.core.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "weerbaar.core.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "weerbaar.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "weerbaar.urls"
WSGI_APPLICATION = "weerbaar.wsgi.application"

# Selects written out in Python, every other widget through Django's templates.
FORM_RENDERER = "weerbaar.core.renderers.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "weerbaar.dashboard.context_processors.navigation",
                "weerbaar.notifications.context_processors.unread_count",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'weerbaar.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "weerbaar.accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "weerbaar.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

# Sessions: idle timeout, renewed on every request; gone when the browser closes.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False  # IdleSessionMiddleware moves the expiry on, once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "weerbaar.core.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Lock-out after repeated failures (django-axes), per username and client address.
AXES_FAILURE_LIMIT = int(env("LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "weerbaar.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "weerbaar.accounts.views_auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Weerbaar"
OTP_TOTP_THROTTLE_FACTOR = 1

# Content-Security-Policy: only our own origin, no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Dutch only until an English translation exists: the browser's language must not switch
# Django's own texts to English beside our Dutch ones. (Source strings are Dutch.)
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
NODE_MODULES = Path(env("NODE_MODULES", str(REPO_DIR / "node_modules")))
# Front-end packages come from the npm registry (package.json + lockfile) and are served by
# the app itself; each entry maps a URL under /static/vendor/ to one file in node_modules.
VENDOR_STATIC = {
    "utrecht/components.css": "@utrecht/component-library-css/dist/index.css",
    "utrecht/tokens.css": "@utrecht/design-tokens/dist/index.css",
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "cytoscape/cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "cytoscape/layout-base.js": "layout-base/layout-base.js",
    "cytoscape/cose-base.js": "cose-base/cose-base.js",
    "cytoscape/cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui-standalone-preset.js": "swagger-ui-dist/swagger-ui-standalone-preset.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "weerbaar.core.staticfinders.VendorFinder",
]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    # Uploaded files go through Django's storage API so object storage can replace this.
    "default": {"BACKEND": env("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "weerbaar.core.storage.StaticStorage"},
}

# Requests larger than this are refused with 413 before any view runs.
MAX_REQUEST_BYTES = int(env("MAX_REQUEST_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Signals: deadlines in working days (weekends and Dutch public holidays do not count).
SIGNAL_FIRST_READ_WORKING_DAYS = int(env("SIGNAL_FIRST_READ_WORKING_DAYS", "1"))
SIGNAL_FOLLOW_UP_WORKING_DAYS = int(env("SIGNAL_FOLLOW_UP_WORKING_DAYS", "10"))
SIGNAL_ATTACHMENT_MAX_BYTES = int(env("SIGNAL_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
SIGNAL_RETENTION_MONTHS = int(env("SIGNAL_RETENTION_MONTHS", "12"))
CASE_RETENTION_MONTHS = int(env("CASE_RETENTION_MONTHS", "60"))
LIO_RETENTION_MONTHS = int(env("LIO_RETENTION_MONTHS", "24"))
INSPECTION_RETENTION_MONTHS = int(env("INSPECTION_RETENTION_MONTHS", "60"))
INTERVENTION_CLOSURE_REMINDER_DAYS = int(env("INTERVENTION_CLOSURE_REMINDER_DAYS", "14"))
PROXY_CLIENT_HEADER = env("PROXY_CLIENT_HEADER")  # e.g. HTTP_X_FORWARDED_FOR behind a trusted proxy
PUBLIC_REPORTS_PER_HOUR = int(env("PUBLIC_REPORTS_PER_HOUR", "5"))
REPORTER_CODE_TRIES_PER_HOUR = int(env("REPORTER_CODE_TRIES_PER_HOUR", "20"))

# One cache for all web processes in production (throttling of the public form).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}
        if env("CACHE_URL").startswith("redis")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WEERBAAR_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")  # for links in e-mails
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "weerbaar@localhost")

# Background work: one mechanism (Django's task API via django-tasks). The embedded default
# stores tasks in the database and `weerbaar serve` runs a worker beside the web server;
# production runs `weerbaar worker` processes. See docs/adr/0002-background-tasks.md.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "weerbaar.api.authentication.ApiTokenAuthentication",
        "weerbaar.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "weerbaar.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Weerbaar API",
    "DESCRIPTION": "API van Weerbaar. Elke aanvraag gaat door dezelfde toegangscontrole als de schermen.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": f"{STATIC_URL}vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": f"{STATIC_URL}weerbaar/favicon.svg",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or "status" with their own choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "SubjectKindEnum": "weerbaar.signals.models.subjects.SubjectKind",
        "SignalStatusEnum": "weerbaar.signals.workflow.Status",
        "AgendaItemKindEnum": "weerbaar.lio.models.agenda.ItemKind",
        "DecisionKindEnum": "weerbaar.lio.decisions.DecisionKind",
        "MeetingStatusEnum": "weerbaar.lio.models.meeting.MeetingStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}
