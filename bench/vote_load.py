"""Ballots under load: the site under gunicorn, many voters at once, nothing lost or doubled.

    python bench/vote_load.py [--voters 1000] [--clients 50] [--workers 2]

Uses its own database (civic_bench) and commune (bench-vote): a budget with its basket
vote open, 8 finalist projects, N verified citizens, each given a logged-in session made
directly in the commune's schema (no password hashing in the timing). gunicorn serves the
site with the production settings (DEBUG off; plain http allowed by SECURE_SSL_REDIRECT and
SECURE_COOKIES off) on a free port. The receipt emails are queued to a queue of the bench's
own on the real Redis and purged at the end (no worker consumes them: the request's cost is
queueing, as in production).

First the floor: the same number of GETs of /sante/ (a trivial view, through the same
middleware) with the same number of concurrent clients. Then each voter POSTs one random
basket (within the envelope) to /budgets/<slug>/voter/ with its session and CSRF cookie.
Then the ballots are recounted from the database: "lost" = voters answered with a receipt
whose stored ballot is missing or differs from what they sent, "doubled" = ballots beyond
one per voter. The last line is JSON:
{"ballots": N, "per_s": …, "p50_ms": …, "p99_ms": …, "lost": 0, "doubled": 0, "floor_per_s": …}"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

HOST = "bench-vote.localhost"
CSRF = "b" * 32
PROJECTS = [("Boîtes à livres", 3000), ("Éclairage du RAVeL", 14000), ("Potager partagé", 5000),
            ("Nichoirs", 3500), ("Abri vélos", 9000), ("Fontaine", 7500), ("Parcours santé", 12000),
            ("Fresque", 4000)]
ENVELOPE = 30000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(voters: int):
    """The commune, the budget and its voters with sessions: [(user id, session key)]."""
    from datetime import timedelta
    from decimal import Decimal

    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import citizen_create, role_grant
    from budgets import services
    from budgets.models import Ballot, Budget
    from ideas.models import Idea, Status
    from tenants.models import Commune
    from tenants.services import commune_create

    commune = Commune.objects.filter(slug="bench-vote").first() or commune_create(
        name="Bench vote", slug="bench-vote", domain=HOST, population=20000)
    with tenant_context(commune):
        agent = User.objects.filter(email="agent@bench.example").first()
        if agent is None:
            agent = citizen_create(email="agent@bench.example", password="bench-password-1")
            role_grant(user=agent, role=Role.AGENT)
        budget = Budget.objects.select_related("call").first()
        if budget is None:
            budget = services.budget_create(actor=agent, title="Budget bench", envelope=Decimal(ENVELOPE),
                                            method="basket")
            now = timezone.now()
            services.budget_set_steps(budget=budget, actor=agent, steps=[
                services.StepPlan(kind="submission", enabled=True, starts_at=now - timedelta(days=30),
                                  ends_at=now - timedelta(days=20)),
                services.StepPlan(kind="analysis", enabled=True, starts_at=now - timedelta(days=20),
                                  ends_at=now - timedelta(days=10)),
                services.StepPlan(kind="vote", enabled=True, starts_at=now - timedelta(days=10),
                                  ends_at=now + timedelta(days=3650)),
                services.StepPlan(kind="results", enabled=True, starts_at=now + timedelta(days=3651)),
                services.StepPlan(kind="co_construction", enabled=False),
                services.StepPlan(kind="prioritisation", enabled=False)])
            services.budget_publish(budget=budget, actor=agent)
            for title, cost in PROJECTS:
                Idea.objects.create(call=budget.call, author=agent, title=title, status=Status.FINALIST,
                                    estimated_cost=Decimal(cost), published_at=now,
                                    answers=[{"question": "Quoi ?", "answer": title}])
        Ballot.objects.filter(budget=budget).delete()  # each run starts from an empty ballot box
        existing = User.objects.filter(email__startswith="votant").count()
        User.objects.bulk_create([User(email=f"votant{n:05d}@bench.example", password="!")
                                  for n in range(existing, voters)])
        users = list(User.objects.filter(email__startswith="votant").order_by("email")[:voters])
        verified = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
        EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                          for u in users if u.pk not in verified])
        sessions = []
        for user in users:
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            sessions.append((user.pk, store.session_key))
        projects = dict(Idea.objects.filter(call=budget.call).values_list("pk", "estimated_cost"))
    return commune, budget, sessions, projects


def basket(rng, projects):
    chosen, total = [], 0
    for pk in rng.sample(sorted(projects), len(projects)):
        if total + projects[pk] <= ENVELOPE and rng.random() < 0.5:
            chosen.append(pk)
            total += projects[pk]
    return chosen or [min(projects, key=projects.get)]


def run_clients(port, jobs, clients):
    """Run ``jobs`` (method, path, body, cookie) from ``clients`` threads, one connection each
    (gunicorn's sync workers close it after every response; http.client reopens it).
    Returns [(status, location, ms)] in job order, and the wall time."""
    results = [None] * len(jobs)
    next_job = iter(range(len(jobs)))
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        while True:
            with lock:
                index = next(next_job, None)
            if index is None:
                break
            method, path, body, cookie = jobs[index]
            headers = {"Host": HOST, "Cookie": cookie, "X-CSRFToken": CSRF, "Referer": f"http://{HOST}/"}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            start = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                results[index] = (response.status, response.getheader("Location") or "",
                                  (time.perf_counter() - start) * 1000)
            except (OSError, http.client.HTTPException):
                results[index] = (0, "", (time.perf_counter() - start) * 1000)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - start


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    args = parser.parse_args()

    from commune_create import setup_bench_django

    setup_bench_django()
    from django.conf import settings

    commune, budget, sessions, projects = prepare(args.voters)
    import redis

    queue = redis.Redis.from_url(settings.REDIS_URL)
    queue.delete("civic-bench")  # so that what is counted at the end is this run's receipts
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civic.settings.production",
           "SECRET_KEY": settings.SECRET_KEY, "ALLOWED_HOSTS": f"{HOST},localhost,127.0.0.1",
           "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "SECURE_HSTS_SECONDS": "0",
           "CELERY_QUEUE": "civic-bench", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "civic.wsgi", "-w", str(args.workers), "--threads", str(args.threads),
         "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"], cwd=BASE_DIR, env=env)
    try:
        deadline = time.time() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/sante/", headers={"Host": HOST})
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        cookie = f"csrftoken={CSRF}"
        # Warm up both workers (imports, connections, first templates).
        run_clients(port, [("GET", "/sante/", None, cookie)] * 200, args.clients)
        floor, floor_wall = run_clients(port, [("GET", "/sante/", None, cookie)] * args.voters, args.clients)
        assert all(status == 200 for status, _location, _ms in floor), "floor requests failed"

        rng = random.Random(42)
        sent = {}
        jobs = []
        path = f"/budgets/{budget.call.slug}/voter/"
        for user_id, session_key in sessions:
            chosen = basket(rng, projects)
            sent[user_id] = set(chosen)
            body = "&".join(f"project={pk}" for pk in chosen) + f"&csrfmiddlewaretoken={CSRF}"
            jobs.append(("POST", path, body, f"{cookie}; sessionid={session_key}"))
        results, wall = run_clients(port, jobs, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)

    from django.db.models import Count
    from django_tenants.utils import tenant_context

    from budgets.models import Ballot, BallotChoice

    answered = {user_id: location.rstrip("/").rsplit("/", 1)[-1]
                for (user_id, _key), (status, location, _ms) in zip(sessions, results)
                if status == 302 and "/vote-enregistre/" in location}
    failures = [status for status, _location, _ms in results if status != 302]
    with tenant_context(commune):
        stored: dict[int, set] = {}
        for voter_id, idea_id in BallotChoice.objects.filter(ballot__budget=budget).values_list(
                "ballot__voter_id", "idea_id"):
            stored.setdefault(voter_id, set()).add(idea_id)
        receipts = dict(Ballot.objects.filter(budget=budget).values_list("voter_id", "receipt"))
        per_voter = Ballot.objects.filter(budget=budget).values("voter_id").annotate(n=Count("id"))
        doubled = sum(row["n"] - 1 for row in per_voter if row["n"] > 1)
        ballots = Ballot.objects.filter(budget=budget).count()
    # Lost: a voter who got no receipt, whose receipt is not their stored ballot's, or whose
    # stored ballot is not what they sent.
    lost = sum(1 for user_id, _key in sessions if user_id not in answered or receipts.get(user_id) !=
               answered[user_id] or stored.get(user_id) != sent[user_id])
    queued = queue.llen("civic-bench")  # the receipt emails, one per ballot, never consumed here
    queue.delete("civic-bench")

    timings = [ms for _status, _location, ms in results]
    floor_timings = [ms for _status, _location, ms in floor]
    print(f"voters {args.voters}, clients {args.clients}, gunicorn workers {args.workers} × {args.threads} threads")
    print(f"floor  /sante/: {args.voters / floor_wall:.0f} req/s, p50 {statistics.median(floor_timings):.1f} ms, "
          f"p99 {percentile(floor_timings, 0.99):.1f} ms")
    if failures or len(answered) < len(results):
        print("first answers:", results[:3])
    print(f"ballots: {len(answered)} answered with a receipt, {len(failures)} failed {sorted(set(failures))}, "
          f"{ballots} stored; {queued} receipt emails queued (then purged)")
    print(json.dumps({"ballots": ballots, "per_s": round(len(answered) / wall, 1),
                      "p50_ms": round(statistics.median(timings), 1), "p99_ms": round(percentile(timings, 0.99), 1),
                      "lost": lost, "doubled": doubled,
                      "floor_per_s": round(args.voters / floor_wall, 1)}))


if __name__ == "__main__":
    main()
