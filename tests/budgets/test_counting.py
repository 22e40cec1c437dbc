"""The counting code against the real results in ../shared/pabulib and against pabutools."""

import json
import os
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from budgets import pabulib
from budgets.counting import Election, as_fraction, count

# The real ballots live in ../shared/pabulib beside the repository (as on CI), or wherever
# CIVIC_PABULIB_DIR says.
PABULIB = Path(os.environ.get("CIVIC_PABULIB_DIR", Path(__file__).resolve().parents[3] / "shared" / "pabulib"))

REAL_RESULTS = [
    ("Poland_Warszawa_2023_Wesola.pb", ["--rule", "greedy"]),
    ("Poland_Gdynia_2020.pb", ["--rule", "greedy-no-skip", "--threshold", "1000"]),
    ("Poland_Swiecie_2023.pb", ["--rule", "mes", "--completion", "add1", "--eligibility-ratio", "3"]),
    ("Poland_Wieliczka_2023_Green_Budget.pb", ["--rule", "mes", "--completion", "add1", "--comparison"]),
]


@pytest.mark.parametrize(("name", "options"), REAL_RESULTS)
def test_the_cli_reproduces_the_cities_official_results(name, options):
    out = StringIO()
    call_command("pb_results", str(PABULIB / name), *options, "--json", stdout=out)
    result = json.loads(out.getvalue())
    pb = pabulib.read(PABULIB / name)
    assert set(result["selected"]) == pb.selected()
    assert result["cost"] == sum(pb.costs()[p] for p in pb.selected())
    assert result["cost"] <= pb.budget


def test_without_the_comparison_wieliczka_would_differ_or_match_for_a_reason():
    """The comparison step is part of Wieliczka's rule: show what Equal Shares alone gives."""
    pb = pabulib.read(PABULIB / "Poland_Wieliczka_2023_Green_Budget.pb")
    election = Election.from_pb(pb)
    alone = count(election, rule="mes", completion="add1")
    with_step = count(election, rule="mes", completion="add1", comparison=True)
    assert set(with_step.selected) == pb.selected()
    assert alone.cost <= pb.budget


# --- against pabutools ---------------------------------------------------------------------------

def to_pabutools(election):
    from pabutools.election import ApprovalBallot, ApprovalProfile, Instance, Project

    projects = {p: Project(p, as_fraction(cost)) for p, cost in election.costs.items()}
    instance = Instance(projects.values(), budget_limit=as_fraction(election.budget))
    profile = ApprovalProfile(
        [ApprovalBallot([projects[p] for p in ballot]) for ballot, n in election.ballots.items() for _ in range(n)]
    )
    return instance, profile


def random_election(rng, *, projects=8, voters=30):
    costs = {f"p{i}": rng.randint(10, 100) for i in range(projects)}
    ballots = [{p for p in costs if rng.random() < rng.choice([0.2, 0.35, 0.5])} for _ in range(voters)]
    return Election.from_ballots(budget=rng.randint(100, 300), costs=costs, ballots=ballots)


def our_tie_breaking(election):
    """pabutools' tie-breaking set to the platform's published order."""
    from pabutools.tiebreaking import TieBreakingRule

    rank = {p: i for i, p in enumerate(election.tie_order())}
    return TieBreakingRule(lambda instance, profile, project: rank[project.name])


def names(outcome):
    return {project.name for project in outcome}


@pytest.mark.parametrize("seed", range(60))
def test_greedy_agrees_with_pabutools(seed):
    from pabutools.election import Cost_Sat
    from pabutools.rules import greedy_utilitarian_welfare

    election = random_election(random.Random(seed))
    instance, profile = to_pabutools(election)
    theirs = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat, tie_breaking=our_tie_breaking(election))
    assert set(count(election, rule="greedy").selected) == names(theirs)


@pytest.mark.parametrize("seed", range(60))
@pytest.mark.parametrize("completion", ["none", "add1-exhaustive", "add1"])
def test_equal_shares_agrees_with_pabutools(seed, completion):
    from pabutools.election import Cost_Sat
    from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares

    election = random_election(random.Random(1000 + seed))
    instance, profile = to_pabutools(election)
    ours = count(election, rule="mes", completion=completion).selected
    # pabutools with the same published tie-breaking order must give exactly the same winners.
    ties = our_tie_breaking(election)
    if completion == "none":
        theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, tie_breaking=ties)
    elif completion == "add1-exhaustive":
        theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1,
                                        tie_breaking=ties)
    else:
        theirs = exhaustion_by_budget_increase(
            instance, profile, method_of_equal_shares, {"sat_class": Cost_Sat, "tie_breaking": ties},
            exhaustive_stop=False, budget_step=profile.num_ballots(),
        )
    assert set(ours) == names(theirs)


def test_the_tie_break_order_is_fixed_and_published():
    election = Election.from_ballots(budget=100, costs={"c10": 50, "c2": 50, "c3": 40},
                                     ballots=[{"c10", "c2", "c3"}])
    assert election.tie_order() == ["c3", "c2", "c10"]  # equal votes: cheaper first, then natural id order
    assert count(election, rule="greedy").selected == ["c3", "c2"]


def test_a_pb_file_we_write_is_read_by_pabutools_with_the_same_winners(tmp_path):
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    election = random_election(random.Random(42), projects=10, voters=50)
    text = pabulib.write(
        meta={"description": "civic export", "num_projects": len(election.costs), "num_votes": election.voters,
              "budget": int(as_fraction(election.budget)), "vote_type": "approval", "rule": "equalshares"},
        projects=[{"project_id": p, "cost": int(as_fraction(c)), "name": f"Projet {p}"} for p, c in election.costs.items()],
        votes=[{"voter_id": f"v{i}", "vote": ",".join(sorted(ballot))}
               for i, ballot in enumerate(b for b, n in election.ballots.items() for _ in range(n))],
    )
    path = tmp_path / "export.pb"
    path.write_text(text)
    instance, profile = parse_pabulib(str(path))
    theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, tie_breaking=our_tie_breaking(election))
    ours = count(Election.from_pb(pabulib.read(path)), rule="mes", completion="none")
    assert set(ours.selected) == names(theirs)
    assert Election.from_pb(pabulib.read(path)).ballots == election.ballots
