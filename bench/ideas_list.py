"""Server time of the ideas pages on a full commune.

    python bench/ideas_list.py [--ideas 10000] [--votes 200000] [--comments 50000] [--requests 50]

Uses its own database (civic_bench) and commune (bench-ideas), filled once with COPY:
N ideas, votes and comments from 5 000 citizens. Then times, in-process (Django's test
client: everything from middleware to rendered HTML, no network), the citizen list
(most supported, filtered by a category), a French full-text search, and the agents'
changelist. The last line is JSON:
{"ideas": N, "list_ms": <median>, "search_ms": <median>, "admin_ms": <median>}."""

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

WORDS = ("banc solidaire mobilité parc jeu inclusive radar vitesse école piste cyclable arbre verger potager "
         "fontaine éclairage trottoir marché bibliothèque terrain sport street workout oseraie mur végétal "
         "compost rucher navette village place kiosque fresque abri bus parking vélo sentier rivière").split()
CITIZENS = 5000


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def fill(commune, *, ideas, votes, comments, rng):
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from ideas.models import Call, Category, Idea, Phase

    with tenant_context(commune):
        if Idea.objects.count() >= ideas:
            return
        call = Call.objects.create(title="Boîte à idées", slug="boite", is_published=True,
                                   kind=Call.Kind.IDEA_BOX, vote_mode=Call.VoteMode.FOR_AGAINST)
        Phase.objects.create(call=call, kind=Phase.Kind.SUBMISSION, starts_at=timezone.now())
        categories = [Category.objects.create(name=name).pk for name in
                      ("Mobilité", "Environnement", "Jeunesse", "Sport", "Culture", "Solidarité")]
        now = timezone.now()
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy("COPY accounts_user (email, password, display_name, age_bracket, gender, "
                          "newsletter_opt_in, is_staff, is_active, is_superuser, date_joined) FROM STDIN") as copy:
                for i in range(CITIZENS):
                    copy.write_row((f"citoyen{i}@bench.example", "!", "", "", "", False, False, True, False, now))
            raw.execute("SELECT min(id) FROM accounts_user WHERE email LIKE 'citoyen%%@bench.example'")
            first_user = raw.fetchone()[0]
            with raw.copy("COPY ideas_idea (call_id, author_id, on_behalf_of, title, answers, category_id, address, "
                          "status, is_hidden, support_count, against_count, comment_count, created_at, updated_at, "
                          "published_at, attachment) FROM STDIN") as copy:
                for i in range(ideas):
                    published = now - __import__("datetime").timedelta(hours=rng.randint(1, 24 * 90))
                    answers = json.dumps([{"question": "En quoi consiste le projet ?", "answer": sentence(rng, 40)}])
                    copy.write_row((call.pk, first_user + rng.randrange(CITIZENS), "", sentence(rng, 5).capitalize(),
                                    answers, rng.choice(categories), "", "submitted", False, 0, 0, 0, published,
                                    published, published, ""))
            raw.execute("SELECT min(id) FROM ideas_idea")
            first_idea = raw.fetchone()[0]
            pairs = set()
            while len(pairs) < votes:
                pairs.add((first_idea + rng.randrange(ideas), first_user + rng.randrange(CITIZENS)))
            with raw.copy("COPY ideas_vote (idea_id, voter_id, value, created_at) FROM STDIN") as copy:
                for idea_id, voter_id in pairs:
                    copy.write_row((idea_id, voter_id, 1 if rng.random() < 0.85 else -1, now))
            with raw.copy("COPY ideas_comment (idea_id, author_id, body, is_hidden, created_at) FROM STDIN") as copy:
                for _ in range(comments):
                    copy.write_row((first_idea + rng.randrange(ideas), first_user + rng.randrange(CITIZENS),
                                    sentence(rng, 15), False, now))
            raw.execute("""
                UPDATE ideas_idea i SET
                  support_count = (SELECT count(*) FROM ideas_vote v WHERE v.idea_id = i.id AND v.value = 1),
                  against_count = (SELECT count(*) FROM ideas_vote v WHERE v.idea_id = i.id AND v.value = -1),
                  comment_count = (SELECT count(*) FROM ideas_comment c WHERE c.idea_id = i.id),
                  search_vector = setweight(to_tsvector('extensions.french_unaccent', i.title), 'A')
                               || setweight(to_tsvector('extensions.french_unaccent',
                                    coalesce(i.answers -> 0 ->> 'answer', '')), 'B')
            """)
            raw.execute("ANALYZE")


def timed(client, url, requests):
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ideas", type=int, default=10000)
    parser.add_argument("--votes", type=int, default=200000)
    parser.add_argument("--comments", type=int, default=50000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    from commune_create import setup_bench_django

    setup_bench_django()
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import tenant_context

    from accounts.roles import Role
    from accounts.services import citizen_create, role_grant
    from ideas.models import Category
    from tenants.models import Commune
    from tenants.services import commune_create

    settings.DEBUG = False
    commune = Commune.objects.filter(slug="bench-ideas").first() or commune_create(
        name="Bench", slug="bench-ideas", domain="bench-ideas.localhost", population=20000)
    start = time.perf_counter()
    fill(commune, ideas=args.ideas, votes=args.votes, comments=args.comments, rng=random.Random(7))
    print(f"filled in {time.perf_counter() - start:.1f}s", file=sys.stderr)

    with tenant_context(commune):
        category = Category.objects.get(name="Mobilité").pk
        from accounts.models import User

        agent = User.objects.filter(email="agent@bench.example").first()
        if agent is None:
            agent = citizen_create(email="agent@bench.example", password="bench-password-1")
            role_grant(user=agent, role=Role.AGENT)
    citizen_client = Client(HTTP_HOST="bench-ideas.localhost")
    agent_client = Client(HTTP_HOST="bench-ideas.localhost")
    with tenant_context(commune):
        agent_client.force_login(agent)

    for client, url in ((citizen_client, "/participer/appels/boite/"), (agent_client, "/admin/ideas/idea/")):
        client.get(url)  # warm-up
    list_ms = timed(citizen_client, f"/participer/appels/boite/?sort=supported&category={category}", args.requests)
    search_ms = timed(citizen_client, "/participer/appels/boite/?q=velo+ecole", args.requests)
    admin_ms = timed(agent_client, "/admin/ideas/idea/", args.requests)
    print(json.dumps({"ideas": args.ideas, "list_ms": round(list_ms, 1), "search_ms": round(search_ms, 1),
                      "admin_ms": round(admin_ms, 1)}))


if __name__ == "__main__":
    main()
