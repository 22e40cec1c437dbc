"""Time the creation of a commune with N communes already on the platform.

    python bench/commune_create.py [--existing N]

Uses its own database (civic_bench) on the configured or embedded PostgreSQL, makes
N communes if fewer exist, then creates three more through the CLI's code path
(``create_commune``), timing each. The last line is JSON:
{"existing": N, "create_s": <median of 3>}."""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def bench_database_url() -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/civic_bench"))


def ensure_database(url: str) -> None:
    from urllib.parse import unquote

    import environ
    import psycopg

    config = environ.Env.db_url_config(url)

    with psycopg.connect(host=unquote(config["HOST"]) or None, port=config["PORT"] or None,
                         user=config["USER"], password=config["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'civic_bench'").fetchone()
        if not exists:
            connection.execute("CREATE DATABASE civic_bench")


def setup_bench_django() -> None:
    """Django on the bench's own database (civic_bench), migrated; tasks to a queue of
    the bench's own (emptied by the benches), so a running demo never sees them."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings.local")
    from civic.embedded import ensure_services

    ensure_services()
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ["CELERY_QUEUE"] = "civic-bench"
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--existing", type=int, default=50)
    args = parser.parse_args()

    setup_bench_django()
    from django.core.management import call_command

    from tenants.models import Commune
    from tenants.services import commune_create, commune_delete

    existing = Commune.objects.filter(slug__startswith="bench-").count()
    for index in range(existing, args.existing):
        commune_create(name=f"Bench {index}", slug=f"bench-{index}", domain=f"bench-{index}.localhost",
                       population=5000)
    for extra in Commune.objects.filter(slug__startswith="bench-").order_by("-id")[: max(0, existing - args.existing)]:
        commune_delete(commune=extra)
    if existing != args.existing:
        # Flush what making the N communes left dirty, so it does not weigh on the timings.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")

    timings = []
    for attempt in range(3):
        slug = f"timed-{attempt}"
        start = time.perf_counter()
        call_command("create_commune", f"--name=Timed {attempt}", f"--slug={slug}", f"--domain={slug}.localhost",
                     "--population=8000", "--languages=fr", f"--agent-email=agent@{slug}.example",
                     "--neighbourhoods=Centre,Nord", stdout=open(os.devnull, "w"))
        timings.append(time.perf_counter() - start)
        commune_delete(commune=Commune.objects.get(slug=slug))
    from civic.celery import app

    app.control.purge()
    print(f"create_commune with {args.existing} existing communes: "
          + ", ".join(f"{t:.3f}s" for t in timings), file=sys.stderr)
    print(json.dumps({"existing": args.existing, "create_s": round(statistics.median(timings), 3)}))


if __name__ == "__main__":
    main()
