"""Who may vote and who may score, for every step of a budget."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_tenants.utils import tenant_context

from accounts.roles import Role
from budgets import rules
from tests.budgets.conftest import make_budget
from tests.conftest import create_staff

STEPS = ["submission", "analysis", "vote", "results"]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("who", ["anonymous", "citizen", "agent", "committee"])
def test_voting_and_scoring_by_role_and_step(bertrix, agent, citizen, step, who):
    budget, _ideas = make_budget(bertrix, agent, current=step)
    user = {"anonymous": AnonymousUser(), "citizen": citizen, "agent": agent,
            "committee": create_staff(bertrix, "copil@bertrix.example", Role.STEERING_COMMITTEE)}[who]
    with tenant_context(bertrix):
        refusal = rules.voter_refusal(user, budget)
        if step != "vote":
            assert refusal == "Le vote n'est pas ouvert."
        elif who == "anonymous":
            assert refusal == "Connectez-vous pour voter."
        else:  # agents and committee members vote as inhabitants too
            assert refusal is None
        assert rules.vote_is_open(budget) == (step == "vote")
        assert rules.vote_has_closed(budget) == (step == "results")
        # No prioritisation step in this budget: nobody scores.
        assert rules.can_score(user, budget) is False
        assert rules.current_phase(budget).kind == step


def test_an_unpublished_budget_opens_no_vote(bertrix, agent, citizen):
    budget, _ideas = make_budget(bertrix, agent, publish=False)
    with tenant_context(bertrix):
        assert not rules.vote_is_open(budget)
        assert rules.voter_refusal(citizen, budget) == "Le vote n'est pas ouvert."
