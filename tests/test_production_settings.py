"""Production settings refuse to start without their secrets and pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
REQUIRED = ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"]


def production_env(**values):
    env = {k: v for k, v in os.environ.items()
           if k not in REQUIRED and not k.startswith("CIVIC_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DJANGO_SETTINGS_MODULE"] = "civic.settings.production"
    env.update(values)
    return env


def full_env(**overrides):
    values = {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": "postgres://civic:secret@db.internal:5432/civic",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "ALLOWED_HOSTS": ".participation.example,participation.example",
    }
    values.update(overrides)
    return production_env(**values)


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_each_secret(missing):
    env = full_env()
    del env[missing]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr.splitlines()[-1]


def test_the_deploy_checks_pass_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=full_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_weak_secret_key_fails_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=full_env(SECRET_KEY="short"))
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_production_cookies_are_secure_and_host_only():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, "
        "s.DEBUG, s.CACHES['default']['KEY_FUNCTION'], s.STORAGES['default']['BACKEND'])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=full_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [
        "True", "True", "None", "None", "False", "django_tenants.cache.make_key",
        "django_tenants.files.storage.TenantFileSystemStorage",
    ], result.stderr
