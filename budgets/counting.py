"""Counting a participatory budget: one module for the site, the admin and the CLI.

Exact arithmetic (fractions) throughout. Ties are broken in one fixed, published order:
more votes first, then the lower cost, then the project id (in natural order: c2 < c10).

Rules
- greedy: projects by votes; each is bought if it still fits (skip = True) or the
  counting stops at the first that does not fit (skip = False); optionally only
  projects with at least ``threshold`` votes take part.
- equal_shares (Method of Equal Shares, cost utilities): every voter holds budget/n;
  a project is bought when its supporters can pay its cost, the one with the largest
  effective support (cost / ρ, ρ the most any supporter pays) first, each supporter
  paying min(what they have left, ρ). Completion "add1" raises every voter's share by
  1 and counts again while the result stays within the budget (with the shortcut
  "add1-exhaustive", it also stops at the first exhaustive result).
- comparison (as in Wieliczka 2023): the Equal Shares result is compared with the greedy
  one; if more voters prefer the greedy result (more of the money spent on projects they
  approved), the greedy result is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

try:  # exact rationals in C (GMP): the same results as Fraction, many times faster
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover
    Q = Fraction


def natural_key(project_id: str):
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", project_id) if part]


@dataclass
class Election:
    budget: Fraction
    costs: dict[str, Fraction]
    ballots: Counter  # frozenset of approved project ids -> number of voters who cast it
    # Points ballots: the points each project received (votes() returns them); Equal
    # Shares is an approval rule and is not offered with points.
    points: dict[str, int] | None = None

    @classmethod
    def from_ballots(cls, *, budget, costs: dict, ballots) -> Election:
        return cls(budget=_q(budget), costs={p: _q(c) for p, c in costs.items()},
                   ballots=Counter(frozenset(b) & frozenset(costs) for b in ballots))

    @classmethod
    def from_points(cls, *, budget, costs: dict, ballots) -> Election:
        """``ballots``: one {project id: points} per voter."""
        points = dict.fromkeys(costs, 0)
        for ballot in ballots:
            for project, given in ballot.items():
                if project in points:
                    points[project] += int(given)
        election = cls.from_ballots(budget=budget, costs=costs, ballots=[set(b) for b in ballots])
        election.points = points
        return election

    @classmethod
    def from_pb(cls, pb) -> Election:
        return cls.from_ballots(budget=pb.budget, costs=pb.costs(), ballots=pb.approval_ballots())

    @property
    def voters(self) -> int:
        return sum(self.ballots.values())

    def votes(self) -> dict[str, int]:
        if self.points is not None:
            return dict(self.points)
        counts = dict.fromkeys(self.costs, 0)
        for ballot, number in self.ballots.items():
            for project in ballot:
                counts[project] += number
        return counts

    def tie_order(self) -> list[str]:
        """The published order in which ties are broken."""
        votes = self.votes()
        return sorted(self.costs, key=lambda p: (-votes[p], self.costs[p], natural_key(p)))


def _q(value):
    value = Fraction(value)
    return Q(value.numerator, value.denominator)


def as_fraction(value) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


@dataclass
class Result:
    selected: list[str]
    cost: Fraction
    rule: str
    explanation: dict[str, dict] = field(default_factory=dict)


def eligible_by_cost_share(election: Election, ratio: int) -> set[str]:
    """Świecie 2023: a project takes part only if votes/n ≥ cost/(ratio·budget)."""
    votes, n = election.votes(), election.voters
    return {p for p, cost in election.costs.items()
            if Q(votes[p], n) >= cost / (ratio * election.budget)}


def greedy(election: Election, *, skip: bool = True, threshold: int = 0,
           eligible: set[str] | None = None) -> Result:
    votes = election.votes()
    left = election.budget
    selected, explanation = [], {}
    stopped = False
    for project in election.tie_order():
        cost = election.costs[project]
        if eligible is not None and project not in eligible:
            explanation[project] = {"won": False, "why": "not_eligible"}
        elif votes[project] < threshold:
            explanation[project] = {"won": False, "why": "below_threshold"}
        elif stopped:
            explanation[project] = {"won": False, "why": "counting_stopped"}
        elif cost <= left:
            explanation[project] = {"won": True, "why": "fits", "left": as_fraction(left)}
            selected.append(project)
            left -= cost
        else:
            explanation[project] = {"won": False, "why": "does_not_fit", "left": as_fraction(left)}
            stopped = not skip
    return Result(selected=selected, cost=as_fraction(election.budget - left),
                  rule="greedy" if skip else "greedy-no-skip", explanation=explanation)


@dataclass
class _Prepared:
    """What every run of Equal Shares on one election shares: ballots grouped, who supports what."""

    counts: list[int]
    supporters: dict[str, list[int]]
    supporter_totals: dict[str, int]
    order: dict[str, int]


def _prepare(election: Election, projects: set[str]) -> _Prepared:
    groups = list(election.ballots.items())
    supporters: dict[str, list[int]] = {p: [] for p in projects}
    for index, (ballot, _number) in enumerate(groups):
        for project in ballot:
            if project in supporters:
                supporters[project].append(index)
    counts = [number for _ballot, number in groups]
    return _Prepared(counts=counts, supporters={p: g for p, g in supporters.items() if g},
                     supporter_totals={p: sum(counts[i] for i in g) for p, g in supporters.items() if g},
                     order={p: i for i, p in enumerate(election.tie_order())})


def _equal_shares_once(election: Election, share, prepared: _Prepared):
    """One run of Equal Shares with ``share`` per voter. Returns (selected, details).

    Voters who paid for the same projects hold the same share, and there are few such
    classes: each ballot group carries a class number, each class one exact budget, so
    paying and computing ρ work on classes, not on thousands of groups.

    Shares only shrink during a run, so the ratio ρ/cost of a project only grows: a key
    computed earlier is a lower bound. Projects wait in a heap by their last key; only
    the one on top is computed again, and it is bought when its fresh key still beats
    every other project's lower bound (lazy evaluation: exact, and far fewer computations)."""
    import heapq

    counts, supporters, order = prepared.counts, prepared.supporters, prepared.order
    class_of = [0] * len(counts)  # class number of each ballot group
    class_budget = [share]  # the share every voter of a class still holds

    def key_of(project):
        cost = election.costs[project]
        voters_by_class: dict[int, int] = {}
        for g in supporters[project]:
            c = class_of[g]
            voters_by_class[c] = voters_by_class.get(c, 0) + counts[g]
        paid, left_voters = Q(0), prepared.supporter_totals[project]
        for c in sorted(voters_by_class, key=class_budget.__getitem__):
            rho = (cost - paid) / left_voters
            if class_budget[c] >= rho:
                return (rho / cost if cost else Q(0), order[project]), rho
            paid += class_budget[c] * voters_by_class[c]
            left_voters -= voters_by_class[c]
        return None  # its supporters cannot pay it; shares only shrink, so never again

    # At the start every voter holds the same share: ρ is the cost split among supporters.
    heap = []
    for project, total in prepared.supporter_totals.items():
        cost = election.costs[project]
        rho = cost / total
        if share >= rho:
            heap.append(((rho / cost if cost else Q(0), order[project]), project))
    heapq.heapify(heap)
    selected, details = [], {}
    while heap:
        _stale, project = heapq.heappop(heap)
        computed = key_of(project)
        if computed is None:
            continue
        key, rho = computed
        if heap and heap[0][0] < key:
            heapq.heappush(heap, (key, project))
            continue
        moved: dict[int, int] = {}  # old class -> the class its supporters of this project move to
        payers: dict[int, int] = {}  # old class -> how many of its voters paid
        for g in supporters[project]:
            c = class_of[g]
            new = moved.get(c)
            if new is None:
                class_budget.append(class_budget[c] - min(class_budget[c], rho))
                new = moved[c] = len(class_budget) - 1
            class_of[g] = new
            payers[c] = payers.get(c, 0) + counts[g]
        spent = sum(((class_budget[old] - class_budget[new]) * payers[old] for old, new in moved.items()), Q(0))
        selected.append(project)
        cost = election.costs[project]
        details[project] = {"rho": as_fraction(rho), "effective_support": as_fraction(cost / rho) if rho else None,
                            "paid": as_fraction(spent)}
    return selected, details


def equal_shares(election: Election, *, completion: str | None = "add1", eligible: set[str] | None = None,
                 increment=1) -> Result:
    projects = set(election.costs) if eligible is None else set(eligible) & set(election.costs)
    prepared = _prepare(election, projects)
    n = election.voters
    share = election.budget / n
    selected, details = _equal_shares_once(election, share, prepared)
    if completion in ("add1", "add1-exhaustive"):
        while not (completion == "add1-exhaustive" and _exhaustive(election, selected, projects)):
            share += increment
            bigger, bigger_details = _equal_shares_once(election, share, prepared)
            if sum(election.costs[p] for p in bigger) > election.budget:
                break
            selected, details = bigger, bigger_details
            if len(selected) == len(projects):
                break
    explanation = {p: {"won": p in details, **({k: v for k, v in details[p].items()} if p in details else
                                               {"why": "not_eligible" if p not in projects else "not_affordable"})}
                   for p in election.costs}
    return Result(selected=selected, cost=as_fraction(sum((election.costs[p] for p in selected), Q(0))),
                  rule=f"mes/{completion or 'none'}", explanation=explanation)


def _exhaustive(election: Election, selected: list[str], projects: set[str]) -> bool:
    left = election.budget - sum(election.costs[p] for p in selected)
    return all(election.costs[p] > left for p in projects - set(selected))


def voters_preferring(election: Election, first: list[str], second: list[str]) -> tuple[int, int]:
    """How many voters get more of the money spent on projects they approved in each result."""
    a, b = set(first), set(second)
    prefer_first = prefer_second = 0
    for ballot, number in election.ballots.items():
        spent_a = sum(election.costs[p] for p in ballot & a)
        spent_b = sum(election.costs[p] for p in ballot & b)
        if spent_a > spent_b:
            prefer_first += number
        elif spent_b > spent_a:
            prefer_second += number
    return prefer_first, prefer_second


def with_comparison(election: Election, result: Result, *, eligible: set[str] | None = None) -> Result:
    """Keep the greedy result if more voters prefer it to ``result``."""
    other = greedy(election, eligible=eligible)
    for_result, for_greedy = voters_preferring(election, result.selected, other.selected)
    if for_greedy > for_result:
        other.rule = f"{result.rule}+comparison(greedy kept)"
        return other
    result.rule = f"{result.rule}+comparison"
    return result


def with_greedy_completion(election: Election, result: Result, *, eligible: set[str] | None = None) -> Result:
    """Spend what Equal Shares left: the projects not bought, by votes, while they fit."""
    left = election.budget - sum((election.costs[p] for p in result.selected), Q(0))
    selected = list(result.selected)
    for project in election.tie_order():
        if project in result.selected or (eligible is not None and project not in eligible):
            continue
        cost = election.costs[project]
        if cost <= left:
            result.explanation[project] = {"won": True, "why": "greedy_completion", "left": as_fraction(left)}
            selected.append(project)
            left -= cost
    return Result(selected=selected, cost=as_fraction(election.budget - left), rule=f"{result.rule}+greedy",
                  explanation=result.explanation)


def count(election: Election, *, rule: str, completion: str | None = None, threshold: int = 0,
          comparison: bool = False, eligibility_ratio: int | None = None,
          greedy_completion: bool = False) -> Result:
    """The entry point used by the site, the admin and ``manage.py pb_results``."""
    eligible = eligible_by_cost_share(election, eligibility_ratio) if eligibility_ratio else None
    if rule in ("greedy", "greedy-no-skip"):
        result = greedy(election, skip=rule == "greedy", threshold=threshold, eligible=eligible)
    elif rule == "mes":
        if election.points is not None:
            raise ValueError("Equal Shares counts approval ballots, not points")
        result = equal_shares(election, completion=None if completion in (None, "none") else completion,
                              eligible=eligible)
        if greedy_completion:
            result = with_greedy_completion(election, result, eligible=eligible)
    else:
        raise ValueError(f"unknown rule {rule!r}")
    if comparison:
        result = with_comparison(election, result, eligible=eligible)
    return result
