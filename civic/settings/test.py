"""Tests: a real PostgreSQL and a real Redis, embedded unless DATABASE_URL / REDIS_URL are set."""

import os

from civic.embedded import ensure_services

ensure_services()
# A queue and cache prefix of this run's own, so a demo on the same Redis never mixes in.
os.environ.setdefault("CELERY_QUEUE", f"civic-test-{os.getpid()}")
os.environ.setdefault("CACHE_KEY_PREFIX", f"civic-test-{os.getpid()}")

from .base import *  # noqa: E402,F401,F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process unless a test starts a real worker (tests/conftest.py: celery_worker).
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A Celery worker started by the tests (tests/conftest.py) runs with these settings,
# pointed at the test database, sending mail to files the test reads.
if os.environ.get("CIVIC_TEST_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["CIVIC_TEST_DATABASE_NAME"]  # noqa: F405
    CELERY_TASK_ALWAYS_EAGER = False
if os.environ.get("CIVIC_TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["CIVIC_TEST_EMAIL_DIR"]
# --- newsletters: a worker started by tests/newsletters sends over real SMTP to a local sink.
if os.environ.get("CIVIC_TEST_SMTP_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = int(os.environ["CIVIC_TEST_SMTP_PORT"])
    EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
    EMAIL_TIMEOUT = 30
# --- end newsletters

# A tenant app of the tests only (see tests/tenancy_probe/models.py).
TENANT_APPS = [*TENANT_APPS, "tests.tenancy_probe"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.tenancy_probe"]  # noqa: F405
