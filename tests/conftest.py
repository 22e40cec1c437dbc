"""Fixtures shared by every test.

- The test database is migrated once (public, template) and two communes, Bertrix and
  Fleurus, are cloned once per run. Each test runs in a transaction rolled back after it.
- Tests that need committed data (a browser, a worker process) use ``live_commune``:
  a commune of their own, created and dropped around the test, outside any transaction.
"""

import itertools
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-9"


def make_commune(slug, name, **extra):
    from tenants.services import commune_create

    defaults = {"population": 8000, "languages": ["fr", "nl", "en"], "neighbourhoods": ["Centre", "Nord"]}
    defaults.update(extra)
    return commune_create(name=name, slug=slug, domain=f"{slug}.localhost", **defaults)


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_keepdb, django_db_modify_db_settings):
    """The test database, always: pytest-django would create it only for tests that ask
    for ``db``, and the tests on committed data (``live_communes``) do not. Migrated once
    (public, template), then the two communes of every test are cloned."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, keepdb=django_db_keepdb, aliases={"default"})
        assert connection.settings_dict["NAME"].startswith("test_"), "refusing to write outside a test database"
        make_commune("bertrix", "Bertrix", languages=["fr"], neighbourhoods=["Cugnon", "Jehonville"],
                     primary_colour="#166534")
        make_commune("fleurus", "Fleurus", population=23000, neighbourhoods=["Brye", "Lambusart"])
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            # Connections left by the web server threads or the worker would block DROP DATABASE.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            teardown_databases(config, verbosity=0)


@pytest.fixture
def bertrix(db):
    from tenants.models import Commune

    return Commune.objects.get(slug="bertrix")


@pytest.fixture
def fleurus(db):
    from tenants.models import Commune

    return Commune.objects.get(slug="fleurus")


@pytest.fixture(autouse=True)
def _public_schema_and_clean_cache():
    """Each test starts in the public schema with none of the cache (rate limits,
    sent-mail marks) left by the one before. Only this run's keys are touched."""
    from django_redis import get_redis_connection

    redis = get_redis_connection("default")
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    for key in redis.scan_iter(f"*:{prefix}:*"):
        redis.delete(key)
    yield
    connection.set_schema_to_public()


def change_commune(commune, **fields):
    """Change fields of ``commune`` (an instance or a slug) as the platform does, by ``save``,
    so that the routing cache forgets the old row (a queryset ``update`` would bypass it)."""
    from tenants.models import Commune

    with schema_context(get_public_schema_name()):
        row = Commune.objects.get(slug=commune if isinstance(commune, str) else commune.slug)
        for name, value in fields.items():
            setattr(row, name, value)
        row.save(update_fields=list(fields))
    if not isinstance(commune, str):
        for name, value in fields.items():
            setattr(commune, name, value)
    return row


def create_citizen(commune, email, password=PASSWORD, **profile):
    from accounts.services import citizen_create

    with tenant_context(commune):
        return citizen_create(email=email, password=password, **profile)


def create_staff(commune, email, role, password=PASSWORD):
    from accounts.services import citizen_create, role_grant

    with tenant_context(commune):
        user = citizen_create(email=email, password=password)
        role_grant(user=user, role=role)
        return user


@pytest.fixture
def citizen(bertrix):
    return create_citizen(bertrix, "citoyen@bertrix.example", display_name="Marie")


@pytest.fixture
def agent(bertrix):
    from accounts.roles import Role

    return create_staff(bertrix, "agent@bertrix.example", Role.AGENT)


@pytest.fixture
def fleurus_agent(fleurus):
    from accounts.roles import Role

    return create_staff(fleurus, "agent@fleurus.example", Role.AGENT)


@pytest.fixture
def analyst(bertrix):
    from accounts.roles import Role

    return create_staff(bertrix, "analyste@bertrix.example", Role.ANALYST)


@pytest.fixture
def moderator(bertrix):
    from accounts.roles import Role

    return create_staff(bertrix, "moderation@bertrix.example", Role.MODERATOR)


@pytest.fixture
def consultant(db):
    from accounts.models import User

    with schema_context(get_public_schema_name()):
        return User.objects.create_superuser(email="consultant@civic.example", password=PASSWORD)


def log_in(client, commune, user):
    """Log ``user`` in on ``client``: the session and last_login live in the commune's schema."""
    with tenant_context(commune):
        client.force_login(user)
    return client


def client_for(host):
    from django.test import Client

    return Client(HTTP_HOST=host)


def warm_client_for(host):
    """A client whose host's commune is already in the routing cache, as it is for every
    request after the first: page query counts are then those of a visit in production."""
    client = client_for(host)
    assert client.get("/sante/").status_code == 200
    connection.set_schema_to_public()  # where each test starts (a request leaves its commune's)
    return client


@pytest.fixture
def bertrix_client(bertrix):
    return warm_client_for("bertrix.localhost")


@pytest.fixture
def fleurus_client(fleurus):
    return warm_client_for("fleurus.localhost")


@pytest.fixture
def platform_client(db):
    return client_for(settings.PLATFORM_DOMAIN)


class QueryCounter:
    """Statements sent to PostgreSQL, without the ``SET search_path`` that django-tenants
    sends before each of them (TENANT_LIMIT_SET_CALLS stays off: TENANCY-NOTES)."""

    def __init__(self, context):
        self.context = context

    @property
    def statements(self):
        return [q["sql"] for q in self.context.captured_queries if not q["sql"].startswith("SET search_path")]

    def __len__(self):
        return len(self.statements)


@pytest.fixture
def count_queries():
    """``with count_queries() as queries: ...`` then ``len(queries)``."""
    from contextlib import contextmanager

    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def counting():
        with CaptureQueriesContext(connection) as context:
            yield QueryCounter(context)

    return counting


# --- Committed data: live server, browser, worker -------------------------------------------

_live_numbers = itertools.count(1)


@pytest.fixture
def live_communes(django_db_setup, django_db_blocker):
    """``live_communes(name)`` makes a commune committed to the test database for this
    test only; all are dropped after it. The test runs with the database unblocked and
    outside any transaction, like the web server thread and the worker process."""
    from tenants.services import commune_delete

    made = []

    def make(name="Rossignol", **extra):
        extra.setdefault("languages", ["fr", "nl", "en"])
        commune = make_commune(f"live{os.getpid()}x{next(_live_numbers)}", name, **extra)
        made.append(commune)
        return commune

    with django_db_blocker.unblock():
        try:
            yield make
        finally:
            connection.set_schema_to_public()
            for commune in made:
                commune_delete(commune=commune)


@pytest.fixture
def live_commune(live_communes):
    return live_communes("Rossignol", primary_colour="#7c2d12")


@pytest.fixture(scope="session")
def live_server_port(django_db_setup):
    """The WSGI application served by a thread of this process, on a free port."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def live_url(live_commune, live_server_port, settings):
    settings.SITE_PORT = str(live_server_port)
    return f"http://{live_commune.primary_domain}:{live_server_port}"


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: .ci/run installs it with apt-get (package chromium).")
    # Playwright's sync API runs an event loop in the test thread; the ORM calls made
    # beside it are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def phone_page(browser):
    """A phone-sized page (most citizens come on a phone)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def worker_mail_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="session")
def _worker_process(django_db_setup, worker_mail_dir, tmp_path_factory):
    """A real Celery worker (separate process) on this run's queue, against the test database."""
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "civic.settings.test",
        "CIVIC_TEST_DATABASE_NAME": settings.DATABASES["default"]["NAME"],
        "CIVIC_TEST_EMAIL_DIR": str(worker_mail_dir),
    })
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "civic", "worker", "--pool=solo", "-l", "info",
             "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    deadline = time.time() + 90
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            pytest.fail("The Celery worker did not start:\n" + log_path.read_text()[-3000:])
        time.sleep(0.2)
    yield process, log_path
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def celery_worker(_worker_process, worker_mail_dir):
    """Tasks of this test go through Redis to the worker process, not run in-process."""
    from civic.celery import app

    for old in worker_mail_dir.iterdir():
        old.unlink()
    app.conf.task_always_eager = False
    yield WorkerMail(worker_mail_dir, _worker_process[1])
    app.conf.task_always_eager = True


class WorkerMail:
    """The messages the worker wrote with Django's file backend.

    A file holds what one connection sent, but two connections opened in the same second
    may share a file (its name is the second and the connection's ``id()``), so messages
    are read one by one, split on the separator the backend writes after each."""

    SEPARATOR = "\n" + "-" * 79 + "\n"

    def __init__(self, folder: Path, log_path: Path):
        self.folder = folder
        self.log_path = log_path

    def messages(self) -> list[str]:
        """Every complete message written so far (a message being written is left out)."""
        found = []
        for path in sorted(self.folder.iterdir()):
            found.extend(path.read_text(errors="replace").split(self.SEPARATOR)[:-1])
        return found

    def wait_for(self, *needles: str, timeout: float = 30) -> str:
        """The first message containing every one of ``needles``."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for text in self.messages():
                if all(needle in text for needle in needles):
                    return text
            time.sleep(0.2)
        raise AssertionError(
            f"No email containing {needles!r} from the worker within {timeout}s.\n"
            f"Worker log:\n{self.log_path.read_text()[-3000:]}"
        )

    def count(self, *needles: str) -> int:
        """How many messages contain every one of ``needles``."""
        return sum(all(needle in text for needle in needles) for text in self.messages())
