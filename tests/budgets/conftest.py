from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from ideas.models import Idea, Phase, Status

STEP_KINDS = ["submission", "analysis", "vote", "results"]


def make_budget(commune, agent, *, current="vote", envelope=20000, projects=(("Aire de jeu inclusive", 12000),
                ("Le banc solidaire", 5000), ("Mur végétal", 8000)), publish=True, **rules):
    """A budget whose step ``current`` is open now (earlier steps finished, later ones to
    come), with ``projects`` as finalists of the given costs. Returns (budget, [ideas])."""
    from budgets import services

    with tenant_context(commune):
        budget = services.budget_create(actor=agent, title=rules.pop("title", "Budget participatif 2020"),
                                        envelope=Decimal(envelope), **rules)
        now = timezone.now()
        index = STEP_KINDS.index(current) if current in STEP_KINDS else len(STEP_KINDS)
        plans = []
        for position, kind in enumerate(STEP_KINDS):
            start = now + timedelta(days=10 * (position - index)) - timedelta(days=1)
            plans.append(services.StepPlan(kind=kind, enabled=True, starts_at=start,
                                           ends_at=None if kind == "results" else start + timedelta(days=10)))
        if current == "closed":  # every step finished except results
            pass
        plans += [services.StepPlan(kind="co_construction", enabled=False),
                  services.StepPlan(kind="prioritisation", enabled=False)]
        services.budget_set_steps(budget=budget, actor=agent, steps=plans)
        if publish:
            services.budget_publish(budget=budget, actor=agent)
        ideas = []
        for title, cost in projects:
            ideas.append(Idea.objects.create(call=budget.call, author=agent, title=title, status=Status.FINALIST,
                                             estimated_cost=Decimal(cost), published_at=now,
                                             answers=[{"question": "Quoi ?", "answer": title}]))
        from budgets.models import Budget

        return Budget.objects.select_related("call").get(pk=budget.pk), ideas


def move_to(commune, budget, kind):
    """Shift the budget's dates so that step ``kind`` is the open one ("after" = all but results closed)."""
    with tenant_context(commune):
        phases = list(budget.call.phases.order_by("starts_at"))
        kinds = [p.kind for p in phases]
        target = kinds.index(kind) if kind in kinds else kinds.index(Phase.Kind.RESULTS)
        shift = timezone.now() - phases[target].starts_at - timedelta(hours=1)
        for phase in phases:
            Phase.objects.filter(pk=phase.pk).update(starts_at=phase.starts_at + shift,
                                                     ends_at=phase.ends_at + shift if phase.ends_at else None)


@pytest.fixture
def budget_vote(bertrix, agent):
    return make_budget(bertrix, agent)
