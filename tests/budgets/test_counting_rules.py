"""Points (cumulative) ballots, greedy completion after Equal Shares, and pb_results for both."""

import json
import random
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budgets import pabulib
from budgets.counting import Election, as_fraction, count

from .test_counting import names, our_tie_breaking, random_election, to_pabutools

# One example worked by hand. Points: a=4 b=3 c=3 d=5 e=1; approvals: a=b=c=2, d=e=1.
COSTS = {"a": 60, "b": 50, "c": 40, "d": 10, "e": 20}
POINTS = [{"a": 3, "b": 1}, {"b": 2, "c": 2}, {"a": 1, "c": 1, "d": 5}, {"e": 1}]


def points_by_cost_sat():
    """pabutools has no points-times-cost satisfaction: this is Cost_Sat for cardinal ballots,
    so that pabutools' greedy (satisfaction per unit of cost) ranks projects by their points."""
    from pabutools.election import AdditiveSatisfaction

    class Points_Cost_Sat(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            super().__init__(instance, profile, ballot, lambda i, p, b, project, pre: b.get(project, 0) * project.cost)

    return Points_Cost_Sat


def random_points(rng, *, projects=8, voters=25):
    costs = {f"p{i}": rng.randint(10, 100) for i in range(projects)}
    ballots = []
    for _ in range(voters):
        chosen = rng.sample(sorted(costs), rng.randint(0, 4))
        ballots.append({p: rng.randint(1, 5) for p in chosen})
    return rng.randint(100, 300), costs, ballots


@pytest.mark.parametrize("seed", range(80))
def test_greedy_with_points_agrees_with_pabutools(seed):
    from pabutools.election import CumulativeBallot, CumulativeProfile, Instance, Project
    from pabutools.rules import greedy_utilitarian_welfare

    budget, costs, ballots = random_points(random.Random(seed))
    election = Election.from_points(budget=budget, costs=costs, ballots=ballots)
    projects = {p: Project(p, cost) for p, cost in costs.items()}
    instance = Instance(projects.values(), budget_limit=budget)
    profile = CumulativeProfile([CumulativeBallot({projects[p]: n for p, n in b.items()}) for b in ballots],
                                instance=instance)
    theirs = greedy_utilitarian_welfare(instance, profile, sat_class=points_by_cost_sat(),
                                        tie_breaking=our_tie_breaking(election))
    result = count(election, rule="greedy")
    assert set(result.selected) == names(theirs)
    assert election.votes() == {p: sum(b.get(p, 0) for b in ballots) for p in costs}
    # "left": the money not yet spent when the project's turn came, in the tie order.
    left = Fraction(budget)
    for project in election.tie_order():
        assert result.explanation[project]["left"] == left
        left -= costs[project] if project in result.selected else 0
    assert result.cost == budget - left


def test_points_hand_checked_example():
    election = Election.from_points(budget=100, costs=COSTS, ballots=POINTS)
    assert election.votes() == {"a": 4, "b": 3, "c": 3, "d": 5, "e": 1}
    assert election.tie_order() == ["d", "a", "c", "b", "e"]  # c and b tie on 3 points: cheaper first
    result = count(election, rule="greedy")
    assert (result.selected, result.cost, result.rule) == (["d", "a", "e"], 90, "greedy")
    assert result.explanation["a"] == {"won": True, "why": "fits", "left": 90}
    assert result.explanation["c"] == {"won": False, "why": "does_not_fit", "left": 30}
    assert result.explanation["e"] == {"won": True, "why": "fits", "left": 30}
    no_skip = count(election, rule="greedy-no-skip")
    assert (no_skip.selected, no_skip.cost) == (["d", "a"], 70)
    assert no_skip.explanation["e"] == {"won": False, "why": "counting_stopped"}
    # The same voters counted as approvals (one vote each) elect other projects.
    approvals = Election.from_ballots(budget=100, costs=COSTS, ballots=[set(b) for b in POINTS])
    assert count(approvals, rule="greedy").selected == ["c", "b", "d"]
    assert count(election, rule="greedy", threshold=3).selected == ["d", "a"]  # e has 1 point


@pytest.mark.parametrize("completion", [None, "none", "add1", "add1-exhaustive"])
def test_equal_shares_refuses_points(completion):
    election = Election.from_points(budget=100, costs=COSTS, ballots=POINTS)
    with pytest.raises(ValueError):
        count(election, rule="mes", completion=completion)
    with pytest.raises(ValueError):
        count(election, rule="mes", completion=completion, greedy_completion=True)


@pytest.mark.parametrize("completion", ["none", "add1"])
def test_greedy_completion_agrees_with_pabutools(completion):
    from pabutools.election import Cost_Sat
    from pabutools.rules import (completion_by_rule_combination, exhaustion_by_budget_increase,
                                 greedy_utilitarian_welfare, method_of_equal_shares)

    completed = 0
    for seed in range(40):
        election = random_election(random.Random(5000 + seed))
        instance, profile = to_pabutools(election)
        ties = our_tie_breaking(election)
        mes = {"sat_class": Cost_Sat, "tie_breaking": ties}
        if completion == "add1":
            first = (exhaustion_by_budget_increase, {"rule": method_of_equal_shares, "rule_params": mes,
                                                     "exhaustive_stop": False, "budget_step": profile.num_ballots()})
        else:
            first = (method_of_equal_shares, mes)
        theirs = completion_by_rule_combination(instance, profile, [first[0], greedy_utilitarian_welfare],
                                                [first[1], {"sat_class": Cost_Sat, "tie_breaking": ties}])
        alone = count(election, rule="mes", completion=completion)
        ours = count(election, rule="mes", completion=completion, greedy_completion=True)
        assert set(ours.selected) == names(theirs), seed
        # Independently: Equal Shares' result, then the rest by the tie order while it fits.
        expected, left = list(alone.selected), election.budget - sum(election.costs[p] for p in alone.selected)
        for project in election.tie_order():
            if project not in expected and election.costs[project] <= left:
                expected.append(project)
                left -= election.costs[project]
        assert ours.selected == expected, seed
        assert ours.cost == as_fraction(election.budget - left) and ours.cost <= election.budget
        assert ours.rule == f"mes/{completion}+greedy"
        completed += len(ours.selected) > len(alone.selected)
    assert completed >= 5  # the completion really did something on these instances


# Hand-checked: 4 voters, 25 each. v1 v2 pay a (20 each); v4 alone can pay c from a share of 30,
# b (v3 v4, 40 each) from 40, but then a + b = 120 > 100: add1 stops at {a, c}, 30 left.
# v1 could only pay d (25) with 25 left after a, so Equal Shares never buys it; greedy does.
MES_COSTS = {"a": 40, "b": 80, "c": 30, "d": 25}
MES_BALLOTS = [{"a", "d"}, {"a"}, {"b"}, {"b", "c"}]


def test_greedy_completion_hand_checked_example():
    election = Election.from_ballots(budget=100, costs=MES_COSTS, ballots=MES_BALLOTS)
    assert election.tie_order() == ["a", "b", "d", "c"]
    alone = count(election, rule="mes", completion="add1")
    assert (alone.selected, alone.cost, alone.rule) == (["a", "c"], 70, "mes/add1")
    result = count(election, rule="mes", completion="add1", greedy_completion=True)
    assert (result.selected, result.cost, result.rule) == (["a", "c", "d"], 95, "mes/add1+greedy")
    assert result.rule.endswith("+greedy")
    assert result.explanation["d"] == {"won": True, "why": "greedy_completion", "left": 30}
    assert result.explanation["b"]["won"] is False
    # Without add1, Equal Shares buys only a; greedy then adds d (left 60) and c (left 35).
    plain = count(election, rule="mes", completion="none", greedy_completion=True)
    assert (plain.selected, plain.cost, plain.rule) == (["a", "d", "c"], 95, "mes/none+greedy")


def test_greedy_completion_respects_eligibility():
    # Ratio 1: votes/n >= cost/budget keeps a (2/4 >= 40/100) and d (1/4 >= 25/100), not b nor c (1/4 < 30/100).
    # Equal Shares + add1 buys a and d (65); c (30) would fit in the 35 left but may not be bought.
    election = Election.from_ballots(budget=100, costs=MES_COSTS, ballots=MES_BALLOTS)
    result = count(election, rule="mes", completion="add1", eligibility_ratio=1, greedy_completion=True)
    assert (result.selected, result.cost) == (["a", "d"], 65)


def write_pb(tmp_path, *, vote_type, budget, costs, votes):
    text = pabulib.write(
        meta={"description": "test", "num_projects": len(costs), "num_votes": len(votes), "budget": budget,
              "vote_type": vote_type},
        projects=[{"project_id": p, "cost": c, "name": f"Projet {p}"} for p, c in costs.items()], votes=votes)
    path = tmp_path / f"{vote_type}.pb"
    path.write_text(text, encoding="utf-8")
    return str(path)


def pb_results(path, *options):
    out = StringIO()
    call_command("pb_results", path, *options, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_pb_results_counts_a_cumulative_file(tmp_path):
    votes = [{"voter_id": f"v{i}", "vote": ",".join(b), "points": ",".join(str(n) for n in b.values())}
             for i, b in enumerate(POINTS)]
    path = write_pb(tmp_path, vote_type="cumulative", budget=100, costs=COSTS, votes=votes)
    assert pabulib.read(path).points_ballots() == POINTS
    assert pb_results(path, "--rule", "greedy") == {"selected": ["d", "a", "e"], "cost": 90}
    assert pb_results(path, "--rule", "greedy-no-skip") == {"selected": ["d", "a"], "cost": 70}
    with pytest.raises(CommandError):
        pb_results(path, "--rule", "mes")


def test_pb_results_with_greedy_completion(tmp_path):
    votes = [{"voter_id": f"v{i}", "vote": ",".join(sorted(b))} for i, b in enumerate(MES_BALLOTS)]
    path = write_pb(tmp_path, vote_type="approval", budget=100, costs=MES_COSTS, votes=votes)
    assert pb_results(path, "--rule", "mes", "--completion", "add1") == {"selected": ["a", "c"], "cost": 70}
    assert pb_results(path, "--rule", "mes", "--completion", "add1", "--greedy-completion") == {
        "selected": ["a", "c", "d"], "cost": 95}
