"""Points ballots and Equal Shares followed by greedy completion: the same counting module,
checked by hand, against a plain reference and against pabutools."""

import json
import random
from io import StringIO

import pytest
from django.core.management import call_command

from budgets import pabulib
from budgets.counting import Election, count, natural_key
from tests.budgets.test_counting import names, our_tie_breaking, random_election, to_pabutools


def reference_greedy_by_points(budget, costs, ballots):
    """Obviously correct: total points, then take in (points desc, cost, id) while it fits."""
    points = dict.fromkeys(costs, 0)
    for ballot in ballots:
        for project, given in ballot.items():
            points[project] += given
    left, chosen = budget, []
    for project in sorted(costs, key=lambda p: (-points[p], costs[p], natural_key(p))):
        if costs[project] <= left:
            chosen.append(project)
            left -= costs[project]
    return chosen


def test_points_by_hand():
    election = Election.from_points(budget=100, costs={"a": 60, "b": 50, "c": 30},
                                    ballots=[{"a": 5, "c": 5}, {"b": 10}, {"b": 3, "c": 7}])
    assert election.votes() == {"a": 5, "b": 13, "c": 12}
    assert count(election, rule="greedy").selected == ["b", "c"]  # a (60) no longer fits in 20
    assert count(election, rule="greedy-no-skip").selected == ["b", "c"]
    assert count(election, rule="greedy", threshold=13).selected == ["b"]
    with pytest.raises(ValueError):
        count(election, rule="mes")


@pytest.mark.parametrize("seed", range(40))
def test_points_agree_with_a_plain_reference(seed):
    rng = random.Random(seed)
    costs = {f"p{i}": rng.randint(10, 100) for i in range(8)}
    ballots = []
    for _ in range(30):
        chosen = rng.sample(sorted(costs), rng.randint(1, 4))
        ballots.append({p: rng.randint(1, 5) for p in chosen})
    budget = rng.randint(100, 300)
    election = Election.from_points(budget=budget, costs=costs, ballots=ballots)
    assert count(election, rule="greedy").selected == reference_greedy_by_points(budget, costs, ballots)


def test_greedy_completion_spends_what_equal_shares_leaves_by_hand():
    # 4 voters, 100 each... budget 400: a (300) by 3 voters is bought (they pay 100 each);
    # b (150) by the 4th alone cannot be paid by its 100; greedy completion then has
    # 100 left: b no longer fits, c (80, 1 vote) does.
    election = Election.from_ballots(budget=400, costs={"a": 300, "b": 150, "c": 80},
                                     ballots=[{"a"}, {"a"}, {"a", "c"}, {"b"}])
    plain = count(election, rule="mes", completion="none")
    assert plain.selected == ["a"]
    completed = count(election, rule="mes", completion="none", greedy_completion=True)
    assert completed.selected == ["a", "c"] and completed.rule.endswith("+greedy")
    assert completed.explanation["c"]["why"] == "greedy_completion"
    assert completed.explanation["b"]["won"] is False


@pytest.mark.parametrize("seed", range(40))
def test_equal_shares_then_greedy_agrees_with_pabutools(seed):
    from pabutools.election import Cost_Sat
    from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares

    election = random_election(random.Random(2000 + seed))
    instance, profile = to_pabutools(election)
    ties = our_tie_breaking(election)
    theirs = completion_by_rule_combination(
        instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "tie_breaking": ties}, {"sat_class": Cost_Sat, "tie_breaking": ties}])
    ours = count(election, rule="mes", completion="none", greedy_completion=True).selected
    assert set(ours) == names(theirs)


def test_the_cli_counts_points_and_greedy_completion(tmp_path):
    text = pabulib.write(
        meta={"description": "test", "num_projects": 3, "num_votes": 3, "budget": 100, "vote_type": "cumulative"},
        projects=[{"project_id": "a", "cost": "60"}, {"project_id": "b", "cost": "50"}, {"project_id": "c", "cost": "30"}],
        votes=[{"voter_id": "1", "vote": "a,c", "points": "5,5"}, {"voter_id": "2", "vote": "b", "points": "10"},
               {"voter_id": "3", "vote": "b,c", "points": "3,7"}])
    path = tmp_path / "points.pb"
    path.write_text(text)
    out = StringIO()
    call_command("pb_results", str(path), "--rule", "greedy", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"selected": ["b", "c"], "cost": 80}
    approval = tmp_path / "approval.pb"
    approval.write_text(pabulib.write(
        meta={"description": "test", "num_projects": 3, "num_votes": 4, "budget": 400, "vote_type": "approval"},
        projects=[{"project_id": "a", "cost": "300"}, {"project_id": "b", "cost": "150"},
                  {"project_id": "c", "cost": "80"}],
        votes=[{"voter_id": "1", "vote": "a"}, {"voter_id": "2", "vote": "a"}, {"voter_id": "3", "vote": "a,c"},
               {"voter_id": "4", "vote": "b"}]))
    out = StringIO()
    call_command("pb_results", str(approval), "--rule", "mes", "--greedy-completion", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"selected": ["a", "c"], "cost": 380}
    with pytest.raises(Exception, match="Equal Shares counts approval ballots"):
        call_command("pb_results", str(path), "--rule", "mes", "--json", stdout=StringIO())
