"""A newsletter to 20 000 subscribers: real Celery workers, real SMTP, nobody twice, nobody missing.

    python bench/newsletter_send.py [--recipients 20000] [--workers 2]

Uses its own database (civic_bench_letters, on the configured or embedded PostgreSQL; migrated
the first time) and commune (letters-bench), with N verified subscribers made directly in the
commune's schema. An SMTP server (aiosmtpd) runs in a thread of this process on a free port
and keeps, for each message, its recipient and the X-Civic-Newsletter header. ``--workers``
Celery workers (separate processes, solo pool, production settings, a queue of the bench's
own) send through it.

The clock starts when the agent presses "send now" (newsletters.services.newsletter_start:
the tasks are queued) and stops when the newsletter is SENT; it includes resolving the
segment into 20 000 deliveries. Then the SMTP server's log is compared with the subscribers:
"duplicates" = messages beyond one per recipient, "missing" = subscribers who received none.
The last line is JSON:
{"recipients": N, "per_s": …, "duplicates": 0, "missing": 0, "prepare_s": …, "workers": 2}"""

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DATABASE = "civic_bench_letters"
QUEUE = "civic-bench-letters"
HOST = "letters-bench.localhost"
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_django() -> None:
    """Django on the bench's own database, migrated; tasks to the bench's own queue."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.local")
    from civic.embedded import ensure_services

    ensure_services()
    url = urlsplit(os.environ["DATABASE_URL"])
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{DATABASE}"))
    os.environ["CELERY_QUEUE"] = QUEUE
    import environ
    import psycopg

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    with psycopg.connect(host=unquote(config["HOST"]) or None, port=config["PORT"] or None, user=config["USER"],
                         password=config["PASSWORD"] or None, dbname="postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            connection.execute(f"CREATE DATABASE {DATABASE}")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def prepare(recipients: int):
    """The commune, its agent and exactly ``recipients`` subscribers: (commune, agent, {emails})."""
    from allauth.account.models import EmailAddress
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import citizen_create, role_grant
    from tenants.models import Commune
    from tenants.services import commune_create

    commune = Commune.objects.filter(slug="letters-bench").first() or commune_create(
        name="Letters bench", slug="letters-bench", domain=HOST, population=50000)
    with tenant_context(commune):
        agent = User.objects.filter(email="agent@letters-bench.example").first()
        if agent is None:
            agent = citizen_create(email="agent@letters-bench.example", password="bench-password-1")
            role_grant(user=agent, role=Role.AGENT)
        existing = User.objects.filter(email__startswith="abonne").count()
        made = User.objects.bulk_create([User(email=f"abonne{n:05d}@bench.example", password="!")
                                         for n in range(existing, recipients)], batch_size=2000)
        EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                          for u in made], batch_size=2000)
        wanted = [f"abonne{n:05d}@bench.example" for n in range(recipients)]
        User.objects.filter(email__startswith="abonne").update(newsletter_opt_in=False)
        User.objects.filter(email__in=wanted).update(newsletter_opt_in=True)
    return commune, agent, set(wanted)


class Sink:
    """Accepts every message; keeps (newsletter id, recipient) of each."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        start = content.find(b"X-Civic-Newsletter: ")
        newsletter = content[start + 20:content.find(b"\n", start)].strip().decode() if start >= 0 else ""
        with self.lock:
            self.received.extend((newsletter, rcpt) for rcpt in envelope.rcpt_tos)
        return "250 OK"


def start_workers(count: int, smtp_port: int, log_dir: Path) -> list[subprocess.Popen]:
    from django.conf import settings

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civic.settings.production", "SECRET_KEY": SECRET_KEY,
           "ALLOWED_HOSTS": HOST, "CELERY_QUEUE": QUEUE, "LOG_LEVEL": "WARNING",
           "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "DATABASE_URL": os.environ["DATABASE_URL"],
           "REDIS_URL": settings.REDIS_URL}
    processes = []
    for number in range(count):
        log_path = log_dir / f"newsletter-bench-worker-{number}.log"
        with open(log_path, "w") as log:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "civic", "worker", "--pool=solo", "-l", "info", "-Q", QUEUE,
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"letters-bench-{number}@%h"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT))
    for number, process in enumerate(processes):
        log_path = log_dir / f"newsletter-bench-worker-{number}.log"
        deadline = time.time() + 90
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.time() > deadline:
                raise SystemExit("A worker did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.2)
    return processes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    setup_django()
    import logging

    from aiosmtpd.controller import Controller
    from django.db.models import Count
    from django_tenants.utils import tenant_context

    from civic.celery import app
    from newsletters import services
    from newsletters.models import Newsletter

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    commune, agent, expected = prepare(args.recipients)
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    log_dir = BASE_DIR / "var"
    log_dir.mkdir(exist_ok=True)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE)
    workers = start_workers(args.workers, port, log_dir)
    try:
        with tenant_context(commune):
            newsletter = services.newsletter_create(
                actor=agent, subject="Les nouvelles de la participation",
                body='<h2>Trois consultations en cours</h2><p>Donnez votre avis sur '
                     '<a href="/participer/">les idées</a> et répondez à <a href="/enquetes/">l\'enquête</a>.</p>')
            started = time.perf_counter()
            services.newsletter_start(newsletter=newsletter, actor=agent)
            prepared_at = None
            deadline = time.time() + 1800
            while True:
                newsletter.refresh_from_db()
                if prepared_at is None and newsletter.prepared_at is not None:
                    prepared_at = time.perf_counter()
                if newsletter.status == Newsletter.Status.SENT:
                    break
                if time.time() > deadline or any(w.poll() is not None for w in workers):
                    raise SystemExit(f"Not sent: {newsletter.status}")
                time.sleep(0.1)
            wall = time.perf_counter() - started
            counts = dict(newsletter.deliveries.order_by().values("status").annotate(n=Count("pk"))
                          .values_list("status", "n"))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        controller.stop()
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(QUEUE)

    received = Counter(rcpt for newsletter_id, rcpt in sink.received if newsletter_id == str(newsletter.pk))
    duplicates = sum(times - 1 for times in received.values() if times > 1)
    missing = len(expected - set(received))
    prepare_s = (prepared_at - started) if prepared_at else None
    print(f"recipients {args.recipients}, workers {args.workers} (solo pool), batches of {services.BATCH_SIZE}")
    print(f"wall {wall:.1f}s from 'send now' to SENT, of which ~{prepare_s:.2f}s resolving the segment "
          f"into deliveries; deliveries by status: {counts}")
    print(f"SMTP server received {sum(received.values())} messages for {len(received)} recipients")
    print(json.dumps({"recipients": args.recipients, "per_s": round(args.recipients / wall, 1),
                      "duplicates": duplicates, "missing": missing,
                      "prepare_s": round(prepare_s, 2) if prepare_s else None, "workers": args.workers}))


if __name__ == "__main__":
    main()
