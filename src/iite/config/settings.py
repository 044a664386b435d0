"""Django settings for the IITE Platform, read from the environment (README, "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from iite.config.environment import ConfigurationError, Environment, database, secret_key

env = Environment(dict(os.environ))

# --- Paths and mode -------------------------------------------------------------------------------
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# A source checkout keeps its var/ beside pyproject.toml, wherever a command runs from.
_CHECKOUT = PACKAGE_DIR.parent.parent
BASE_DIR = Path(
    env.get("IITE_HOME") or (_CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd())
).resolve()
VAR_DIR = Path(env.get("IITE_VAR_DIR") or BASE_DIR / "var").resolve()

MODE = env.mode
PRODUCTION = MODE == "production"
DEBUG = env.flag("DEBUG", default=MODE == "development")
if PRODUCTION and DEBUG:
    raise ConfigurationError("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")

SECRET_KEY = secret_key(env, VAR_DIR)
ALLOWED_HOSTS = env.listing(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigurationError(
        "ALLOWED_HOSTS is not set. In production list the host names the platform answers to, "
        "separated by commas (for example ALLOWED_HOSTS=iite.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications -------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the interactive API docs from local static files, never a CDN
    "iite.core",
    "iite.reference",
    "iite.accounts",
    "iite.assessments",
    "iite.library",
    "iite.library.search",
    "iite.library.oai",
    "iite.learning",
    "iite.countries",
    "iite.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "iite.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "iite.config.urls"
WSGI_APPLICATION = "iite.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iite.portal.context.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {"default": database(env, VAR_DIR)}

# --- Cache and sessions -------------------------------------------------------------------------
REDIS_URL = env.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks ---------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if MODE == "test" or env.flag("TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Accounts and passwords ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if MODE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "portal:home"
EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 3600

# --- Email --------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "IITE Platform <noreply@localhost>")
if env.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.get("EMAIL_HOST")
    EMAIL_PORT = env.integer("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.get("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Languages ----------------------------------------------------------------------------------
# The six official languages of the United Nations. Arabic is written right to left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if MODE == "test"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600 if not DEBUG else 0
# The largest file the library accepts (LIBRARY_UPLOAD_MAX_MB, default 50 MB).
LIBRARY_UPLOAD_MAX_BYTES = env.integer("LIBRARY_UPLOAD_MAX_MB", 50) * 1024 * 1024
if MODE == "test":
    STATIC_ROOT = None  # type: ignore[assignment]  # tests serve static files straight from the apps (no collectstatic)
    WHITENOISE_USE_FINDERS = True

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the API's session clients read it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.flag("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 0)

# --- API ----------------------------------------------------------------------------------------
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
NINJA_PAGINATION_PER_PAGE = API_PAGE_SIZE

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every PDF step at INFO; its warnings still show.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
