"""Time the PDF results report of a large participatory budget.

    python bench/report_pdf.py [--projects 300] [--ballots 20000] [--runs 3]

Uses its own database (civic_bench) and commune (bench-report): a budget of N finalist
projects and M approval ballots (a tenth on paper, up to five projects each) written once
by COPY and counted once (budgets.services.budget_count; not timed). Then generates the
results report with the code the Celery task runs (reports.services.report_generate:
figures, HTML, WeasyPrint, pypdf, private storage), in-process, R times; prints the
figures of each run and, last, one JSON line:
{"projects": N, "seconds": <median>, "pages": <pages of the PDF>}."""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

TITLE = "Budget participatif de mesure"


def agent_of(commune):
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import citizen_create, role_grant

    with tenant_context(commune):
        agent = User.objects.filter(email="agent@bench-report.example").first()
        if agent is None:
            agent = citizen_create(email="agent@bench-report.example", password=None)
            role_grant(user=agent, role=Role.AGENT)
        return agent


def build(commune, agent, *, projects: int, ballots: int, rng: random.Random):
    """The counted budget of ``projects`` finalists and ``ballots`` ballots (made once)."""
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from budgets import services
    from budgets.models import Ballot, Budget, Result
    from ideas.models import Idea, Status

    with tenant_context(commune):
        budget = Budget.objects.filter(call__title=TITLE).select_related("call").first()
        if budget is not None and Result.objects.filter(budget=budget).exists() \
                and budget.call.ideas.count() == projects and Ballot.objects.filter(budget=budget).count() == ballots:
            return budget
        if budget is not None:  # another size: start again
            from budgets.models import BallotChoice

            BallotChoice.objects.filter(ballot__budget=budget).delete()
            Ballot.objects.filter(budget=budget).delete()
            Idea.objects.filter(call=budget.call).delete()
            budget.call.delete()
        now = timezone.now()
        budget = services.budget_create(actor=agent, title=TITLE, envelope=Decimal(2_000_000), method="approval",
                                        max_projects=5)
        steps = [("submission", 90, 60), ("analysis", 60, 30), ("vote", 30, 1), ("results", 0, None)]
        services.budget_set_steps(budget=budget, actor=agent, steps=[
            *(services.StepPlan(kind=kind, enabled=True, starts_at=now - timedelta(days=start),
                                ends_at=now - timedelta(days=end) if end is not None else None)
              for kind, start, end in steps),
            services.StepPlan(kind="co_construction", enabled=False),
            services.StepPlan(kind="prioritisation", enabled=False)])
        services.budget_publish(budget=budget, actor=agent)
        ideas = Idea.objects.bulk_create(
            Idea(call=budget.call, author=agent, title=f"Projet {n:03d} : aménagement du quartier {n % 17}",
                 answers=[{"question": "Quoi ?", "answer": "Un projet de mesure."}], status=Status.FINALIST,
                 estimated_cost=Decimal(rng.randrange(5_000, 60_000, 500)), published_at=now)
            for n in range(1, projects + 1))
        weights = [1 / (rank + 3) for rank in range(len(ideas))]  # a few popular projects, a long tail
        with connection.cursor() as cursor:
            raw = cursor.cursor
            cast = now - timedelta(days=10)
            with raw.copy("COPY budgets_ballot (budget_id, identity, channel, receipt, cast_at, changed_at) "
                          "FROM STDIN") as copy:
                for number in range(ballots):
                    copy.write_row((budget.pk, f"bench:{number}", "paper" if number % 10 == 0 else "online",
                                    f"B{budget.pk}X{number:07d}", cast, cast))
            raw.execute("SELECT id FROM budgets_ballot WHERE budget_id = %s ORDER BY id", [budget.pk])
            ballot_ids = [row[0] for row in raw.fetchall()]
            with raw.copy("COPY budgets_ballotchoice (ballot_id, idea_id, points) FROM STDIN") as copy:
                for ballot_id in ballot_ids:
                    chosen = {idea.pk for idea in rng.choices(ideas, weights=weights, k=rng.randint(1, 5))}
                    for idea_id in chosen:
                        copy.write_row((ballot_id, idea_id, 1))
            raw.execute("ANALYZE budgets_ballot; ANALYZE budgets_ballotchoice")
        start = time.perf_counter()
        services.budget_count(budget=budget, actor=agent)
        services.results_publish(budget=budget, actor=agent)
        print(f"counted {ballots} ballots in {time.perf_counter() - start:.1f}s", file=sys.stderr)
        return budget


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--ballots", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from commune_create import setup_bench_django

    setup_bench_django()
    from django_tenants.utils import tenant_context

    from reports import documents, services
    from reports.models import Report
    from tenants.models import Commune
    from tenants.services import commune_create

    commune = Commune.objects.filter(slug="bench-report").first() or commune_create(
        name="Bench report", slug="bench-report", domain="bench-report.localhost", population=60000)
    agent = agent_of(commune)
    start = time.perf_counter()
    budget = build(commune, agent, projects=args.projects, ballots=args.ballots, rng=random.Random(300))
    print(f"budget ready in {time.perf_counter() - start:.1f}s", file=sys.stderr)

    timings, pages = [], None
    with tenant_context(commune):
        for run in range(args.runs):
            report, _to_generate = services.report_prepare(kind=Report.Kind.BUDGET_RESULTS, budget=budget,
                                                           actor=agent)
            start = time.perf_counter()
            report = services.report_generate(report_id=report.pk)
            seconds = time.perf_counter() - start
            assert report is not None and report.status == Report.Status.DONE, report and report.error
            timings.append(seconds)
            pages = report.pages
            print(f"run {run + 1}: {seconds:.2f}s, {report.pages} pages, "
                  f"{services.report_storage.size(report.file.name) // 1024} KiB", file=sys.stderr)
        # Where the time goes, once more step by step.
        fresh = Commune.objects.get(pk=commune.pk)
        start = time.perf_counter()
        context = documents.report_context(report, commune=fresh)
        gathered = time.perf_counter()
        html = documents.render_html(report, context)
        rendered = time.perf_counter()
        pdf = documents.html_to_pdf(html)
        made = time.perf_counter()
        documents.count_pages(pdf)
        counted = time.perf_counter()
    print(f"figures {gathered - start:.2f}s · HTML {rendered - gathered:.2f}s ({len(html) // 1024} KiB) · "
          f"WeasyPrint {made - rendered:.2f}s · page count {counted - made:.2f}s", file=sys.stderr)
    print(json.dumps({"projects": args.projects, "seconds": round(statistics.median(timings), 2), "pages": pages}))


if __name__ == "__main__":
    main()
