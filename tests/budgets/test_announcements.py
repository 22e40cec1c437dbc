"""Celery beat's task, run by a real worker: each commune's followers hear once when a step
of their budget opens, in their commune's schema."""

import time
from email.header import decode_header, make_header

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.roles import Role
from budgets import services
from budgets.tasks import announce_phases_everywhere
from tests.budgets.conftest import make_budget
from tests.conftest import create_citizen, create_staff

pytestmark = pytest.mark.worker


def test_the_beat_task_announces_each_communes_open_steps_once(live_communes, celery_worker):
    people = {}
    for name in ("Libin", "Daverdisse"):
        commune = live_communes(name)
        agent = create_staff(commune, f"agent@{commune.slug}.example", Role.AGENT)
        budget, _ideas = make_budget(commune, agent, current="submission", title=f"Budget de {name}")
        follower = create_citizen(commune, f"suiveur@{commune.slug}.example")
        with tenant_context(commune):
            services.budget_follow(budget=budget, follower=follower)
        people[name] = (commune, follower)
    connection.set_schema_to_public()

    announce_phases_everywhere.delay()
    for name, (commune, follower) in people.items():
        email = celery_worker.wait_for(f"To: {follower.email}", f"/budgets/budget-de-{name.lower()}/")
        assert f"X-Civic-Commune: {commune.schema_name}" in email
        assert f"http://{commune.primary_domain}" in email
        start = email.index("Subject: ")
        folded = email[start:].split("\n")
        subject = folded[0][len("Subject: "):] + "".join(line for line in folded[1:3] if line[:1] in (" ", "\t"))
        decoded = str(make_header(decode_header(subject)))
        assert decoded == f"[{name}] « Budget de {name} » : l'étape « Dépôt des idées » est ouverte"
    announce_phases_everywhere.delay()
    time.sleep(3)  # time enough for a second round of emails, were there one
    for _name, (_commune, follower) in people.items():
        assert celery_worker.count(f"To: {follower.email}") == 1
