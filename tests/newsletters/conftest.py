"""Helpers of the newsletters tests: subscribers, newsletters written through the services,
an SMTP server (aiosmtpd) that collects what it accepts, and Celery workers of a test's own.

Pages are asserted in the language they are served in: ``fr(text)`` is the French of one of
our English strings (itself until the French catalogue has it)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django_tenants.utils import tenant_context

from tests.conftest import BASE_DIR, create_citizen


def fr(text: str) -> str:
    with translation.override("fr"):
        return translation.gettext(text)


def subscriber(commune, email, **profile):
    profile.setdefault("newsletter_opt_in", True)
    return create_citizen(commune, email, **profile)


def make_newsletter(commune, agent, subject="Les nouvelles de la participation", body=None, **fields):
    from newsletters import services

    body = body if body is not None else (
        '<p>Bonjour !</p><p>Donnez votre avis sur <a href="/participer/">les idées</a> et sur '
        '<a href="https://www.exemple.be/agenda?mois=5&amp;jour=2">l\'agenda</a>.</p>')
    with tenant_context(commune):
        return services.newsletter_create(actor=agent, subject=subject, body=body, **fields)


def start(commune, newsletter, agent):
    from newsletters import services

    with tenant_context(commune):
        return services.newsletter_start(newsletter=newsletter, actor=agent)





# --- A real SMTP server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """Accepts every message and keeps it. ``kill_at(n, pid, when)`` SIGKILLs a process while
    it sends message number n+1: at its RCPT command (before the server has the message) or
    at the end of its DATA (the server has it, the 250 reply is not sent yet)."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()
        self.kill = None
        self.port = None

    def kill_at(self, count: int, pid: int, when: str = "rcpt") -> None:
        assert when in ("rcpt", "data")
        self.kill = (count, pid, when)

    def _maybe_kill(self, stage: str) -> None:
        if self.kill and self.kill[2] == stage and len(self.messages) >= self.kill[0]:
            _count, pid, _stage = self.kill
            self.kill = None
            os.kill(pid, signal.SIGKILL)
            # The worker is waiting for this reply: it dies before it can read it.
            time.sleep(0.3)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self._maybe_kill("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        self._maybe_kill("data")
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [rcpt for rcpts, _content in self.messages for rcpt in rcpts]

    def parsed(self):
        with self.lock:
            return [message_from_bytes(content, policy=policy.default) for _rcpts, content in self.messages]


@pytest.fixture
def smtp_sink():
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    sink = SmtpSink()
    sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


# --- Celery workers of the test's own ------------------------------------------------------------


class Workers:
    """Worker processes on a queue of this test only (so that the session's shared worker
    never takes these tasks), sending over SMTP to ``smtp_sink``; each can be SIGKILLed."""

    def __init__(self, tmp_path: Path, smtp_port: int, queue: str):
        self.tmp_path = tmp_path
        self.smtp_port = smtp_port
        self.queue = queue
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self) -> subprocess.Popen:
        number = len(self.processes) + 1
        log_path = self.tmp_path / f"worker-{number}.log"
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": "civic.settings.test",
            "CIVIC_TEST_DATABASE_NAME": settings.DATABASES["default"]["NAME"],
            "CIVIC_TEST_SMTP_PORT": str(self.smtp_port),
            "CELERY_QUEUE": self.queue,
        })
        env.pop("CIVIC_TEST_EMAIL_DIR", None)
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "civic", "worker", "--pool=solo", "-l", "info", "-Q",
                 self.queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "-n", f"letters-{os.getpid()}-{number}@%h"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append((process, log_path))
        deadline = time.time() + 90
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                pytest.fail("The Celery worker did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.2)
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text()[-4000:]}" for _process, path in self.processes)

    def stop(self):
        for process, _path in self.processes:
            if process.poll() is None:
                process.terminate()
        for process, _path in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def letter_workers(django_db_setup, smtp_sink, tmp_path):
    """Tasks queued by this test go through Redis to these workers' queue."""
    from civic.celery import app

    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-letters-{time.monotonic_ns()}"
    workers = Workers(tmp_path, smtp_sink.port, queue)
    default_queue = app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        yield workers
    finally:
        app.conf.task_default_queue = default_queue
        app.conf.task_always_eager = True
        workers.stop()
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
