"""Settings shared by every environment. Environment variables are read here only."""

from pathlib import Path
from urllib.parse import unquote

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-secret-key-not-for-production-use-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[".localhost", "localhost", "127.0.0.1"])

# --- Tenancy (django-tenants): one PostgreSQL schema per commune -------------------------
SHARED_APPS = [
    # tenants first: its migrate / migrate_schemas (which also migrate the template
    # schema) take precedence over django_tenants' own.
    "tenants",
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "civic.admin_sites.CommuneAdminConfig",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "civic.admin_sites.CommuneAdminConfig",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.openid_connect",
    "ideas",
    "budgets",
    "surveys",
    "moderation",
    "problems",
    "messaging",
    "news",
    "newsletters",
    "reports",
    "spaces",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Commune"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "civic.urls_public"
ROOT_URLCONF = "civic.urls_tenant"
# New communes are cloned from this always-migrated schema (see tenants/management/commands).
TENANT_BASE_SCHEMA = "commune_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Never on: after a savepoint rollback it can keep a stale search path (TENANCY-NOTES).
TENANT_LIMIT_SET_CALLS = False
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# pg_trgm, unaccent and the french_unaccent search configuration live once in this schema
# (tenants/migrations/0002_extensions.py), on every commune's search path.
PG_EXTRA_SEARCH_PATHS = ["extensions"]
# django-tenants would query the database at start-up to check no commune uses that
# schema name; "extensions" is a reserved slug (tenants/validators.py) instead.
SKIP_PG_EXTRA_VALIDATION = True
SEARCH_CONFIG = "extensions.french_unaccent"

# The host of the platform itself (landing page, consultants' admin).
PLATFORM_DOMAIN = env("PLATFORM_DOMAIN", default="localhost")
# How links to a commune are written in emails and on the landing page.
SITE_SCHEME = env("SITE_SCHEME", default="http")
SITE_PORT = env("SITE_PORT", default="")

# --- Database -----------------------------------------------------------------------------
_db = env.db_url("DATABASE_URL", engine="django_tenants.postgresql_backend")
_db["ENGINE"] = "django_tenants.postgresql_backend"
_db["HOST"] = unquote(_db.get("HOST") or "")  # a percent-encoded host is a socket directory
_db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
_db["CONN_HEALTH_CHECKS"] = True
# Choice lists iterate small querysets; server-side cursors only add round trips (and do not
# survive transaction-mode poolers, which schema-per-tenant excludes anyway).
_db["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker ------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="civic"),
        # Every key carries the schema of the commune that wrote it.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}


def celery_broker_url(redis_url: str) -> str:
    """kombu spells a unix socket ``redis+socket://``."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url[len("unix://"):]
    return redis_url


CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="civic")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TENANT_CACHE_SECONDS = 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Brussels"

# --- HTTP ---------------------------------------------------------------------------------
MIDDLEWARE = [
    "civic.middleware.CommuneRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civic.middleware.CommuneLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "civic.modules.ModuleMiddleware",
]

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
                "civic.context_processors.commune",
                "spaces.context_processors.spaces",
            ],
        },
    }
]

WSGI_APPLICATION = "civic.wsgi.application"

# Cookies stay on the host that set them: a session from one commune is worthless at another.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
LANGUAGE_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"  # a path: both the commune and the platform hosts have one
ACCOUNT_ADAPTER = "accounts.adapter.CommuneAccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.CommuneSocialAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Per IP and per key (email); counted in the commune's own cache keys.
ACCOUNT_RATE_LIMITS = {
    "signup": "5/m/ip,30/h/ip",
    "login": "20/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/m/key",
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_QUERY_EMAIL = True
# Social login apps are rows of each commune's schema (its own admin), never settings.
SOCIALACCOUNT_PROVIDERS = {
    "google": {"SCOPE": ["profile", "email"]},
    "facebook": {"SCOPE": ["email"], "METHOD": "oauth2"},
}

# --- Email ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="civic <noreply@civic.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages -----------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"

# --- Files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Each commune's uploads live under MEDIA_ROOT/<schema>/.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
# Generated PDF reports: private (served only to agents by reports.views), never under MEDIA_ROOT.
REPORTS_ROOT = Path(env("REPORTS_ROOT", default=str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGO_MAX_BYTES = 1024 * 1024

# Map tiles for Leaflet (static/vendor/leaflet); any XYZ tile server.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env("MAP_ATTRIBUTION", default="© OpenStreetMap")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
SOCIALACCOUNT_AUTO_SIGNUP = False  # the social sign-up form asks for the terms too
