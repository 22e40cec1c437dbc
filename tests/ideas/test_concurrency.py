"""Votes sent at the same moment, each from its own connection, are counted once each."""

import threading

from django.db import connection, connections
from django_tenants.utils import tenant_context

from ideas import services
from ideas.models import Idea, Vote
from tests.conftest import create_citizen
from tests.ideas.conftest import make_call, make_idea


def test_fifty_concurrent_votes_are_counted_exactly_once_each(live_communes):
    commune = live_communes("Herbeumont")
    call = make_call(commune)
    author = create_citizen(commune, "auteur@herbeumont.example")
    idea = make_idea(commune, call, author)
    voters = [create_citizen(commune, f"v{i}@herbeumont.example") for i in range(50)]
    connection.set_schema_to_public()

    # 50 threads; every voter is in two of them: the same person in two tabs at once.
    barrier = threading.Barrier(50)
    errors = []

    def vote(batch):
        try:
            with tenant_context(commune):
                barrier.wait(timeout=30)
                for voter in batch:
                    services.idea_vote(idea=idea, voter=voter, value=1)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(voters[i % 25::25],)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with tenant_context(commune):
        idea.refresh_from_db()
        assert Vote.objects.filter(idea=idea).count() == 50
        assert idea.support_count == 50
        assert Idea.objects.get(pk=idea.pk).against_count == 0
