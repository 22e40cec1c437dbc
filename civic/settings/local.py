"""Development: embedded PostgreSQL and Redis unless DATABASE_URL / REDIS_URL are set."""

from civic.embedded import ensure_services

ensure_services()

from .base import *  # noqa: E402,F401,F403

DEBUG = True
ALLOWED_HOSTS = ["*"]
SITE_PORT = env("SITE_PORT", default="8000")  # noqa: F405
