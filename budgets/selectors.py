"""Reads for the budget pages, each a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from budgets import services
from budgets.ballots import euros
from budgets.models import Ballot, BallotChoice, Budget, BudgetEvent, Score
from ideas.models import Idea, Phase, Status
from ideas.selectors import public_ideas


def published_budgets():
    return (Budget.objects.filter(call__is_published=True).select_related("call")
            .prefetch_related(Prefetch("call__phases", queryset=Phase.objects.order_by("starts_at"))))


def budget_by_slug(slug: str, *, preview: bool = False, details: bool = False) -> Budget | None:
    """The budget with its steps (and, for its home page, ``details``: attachments)."""
    queryset = Budget.objects.select_related("call", "category").prefetch_related(
        Prefetch("call__phases", queryset=Phase.objects.order_by("starts_at")), *(["attachments"] if details else []))
    if not preview:
        queryset = queryset.filter(call__is_published=True)
    return queryset.filter(call__slug=slug).first()


def sections_for(budget: Budget, commune) -> list:
    """The sections in the visitor's language, else in the commune's default language."""
    sections = list(budget.sections.all())
    language = translation.get_language() or commune.default_language
    chosen = [s for s in sections if s.language == language]
    return chosen or [s for s in sections if s.language == commune.default_language] or sections


def timeline(budget: Budget, at=None) -> list[dict]:
    at = at or timezone.now()
    return [{"phase": phase, "state": phase.state(at)} for phase in budget.call.phases.all()]


def budget_home(budget: Budget, *, commune, user) -> dict:
    at = timezone.now()
    phases = timeline(budget, at)
    current = next((item["phase"] for item in phases if item["state"] == "current"), None)
    ideas = public_ideas().filter(call=budget.call).order_by("-published_at", "-id")
    counts = ideas.aggregate(total=Count("id"), finalists=Count("id", filter=Q(status=Status.FINALIST)))
    return {
        "budget": budget, "call": budget.call, "timeline": phases, "current": current,
        "sections": sections_for(budget, commune), "latest_ideas": list(ideas.select_related("category", "neighbourhood")[:6]),
        "idea_count": counts["total"], "finalist_count": counts["finalists"],
        "events": list(BudgetEvent.objects.filter(budget=budget, kind__in=[
            BudgetEvent.Kind.PHASE_CLOSED, BudgetEvent.Kind.FINALISTS, BudgetEvent.Kind.OVERRIDE,
            BudgetEvent.Kind.RESULTS_PUBLISHED]).order_by("-created_at")[:10]),
        "is_following": user.is_authenticated and budget.follows.filter(follower=user).exists(),
        "has_result": hasattr(budget, "result") and budget.result.published_at is not None,
        "prioritisation": prioritisation_table(budget) if any(
            item["phase"].kind == Phase.Kind.PRIORITISATION and item["state"] == "finished" for item in phases)
        else None,
    }


def prioritisation_table(budget: Budget) -> dict:
    """The committee's average score of each project per criterion and weighted overall,
    best first; published once the prioritisation step has ended."""
    criteria = list(budget.criteria.all())
    averages = defaultdict(dict)
    members = defaultdict(set)
    for row in (Score.objects.filter(criterion__budget=budget).values("idea_id", "criterion_id")
                .annotate(average=Avg("value"), members=Count("member_id"))):
        averages[row["idea_id"]][row["criterion_id"]] = row["average"]
        members[row["idea_id"]].add(row["members"])
    ideas = Idea.objects.filter(pk__in=averages.keys()).only("id", "title", "status")
    total_weight = sum(c.weight for c in criteria) or 1
    rows = []
    for idea in ideas:
        by_criterion = [averages[idea.pk].get(c.pk) for c in criteria]
        overall = sum((a or 0) * c.weight for a, c in zip(by_criterion, criteria)) / total_weight
        rows.append({"idea": idea, "averages": by_criterion, "overall": overall,
                     "members": max(members[idea.pk]) if members[idea.pk] else 0})
    rows.sort(key=lambda row: (-row["overall"], row["idea"].title))
    return {"criteria": criteria, "rows": rows}


def vote_page(budget: Budget, *, user) -> dict:
    projects = list(services.vote_projects(budget).filter(status=Status.FINALIST))
    envelopes = services.envelopes_of(budget, projects)
    neighbourhood_id = getattr(user, "neighbourhood_id", None)
    envelopes = [e for e in envelopes if e["projects"] and e["neighbourhood_id"] in (None, neighbourhood_id)]
    ballot = None
    chosen: dict[int, int] = {}
    if user.is_authenticated:
        ballot = Ballot.objects.filter(budget=budget, voter=user).first()
        if ballot:
            chosen = dict(ballot.choices.values_list("idea_id", "points"))
    return {"envelopes": envelopes, "ballot": ballot, "chosen": chosen}


WHY = {
    "fits": lambda p: _("Won: when its turn came, %(left)s were left, enough for its cost.") % {
        "left": euros(Decimal(p["left"]["value"]))},
    "does_not_fit": lambda p: _("Lost: when its turn came, only %(left)s were left, less than its cost.") % {
        "left": euros(Decimal(p["left"]["value"]))},
    "greedy_completion": lambda p: _("Won when the rest of the envelope was spent by votes (%(left)s left).") % {
        "left": euros(Decimal(p["left"]["value"]))},
    "below_threshold": lambda p: _("Lost: fewer votes than the minimum to take part."),
    "counting_stopped": lambda p: _("Lost: the counting stopped at the first project that did not fit."),
    "not_eligible": lambda p: _("Lost: too few voters for its cost (eligibility rule)."),
    "not_affordable": lambda p: _("Lost: its supporters' equal shares could not pay for it."),
    "no_votes": lambda p: _("No ballots."),
}


def explain(project: dict) -> str:
    if project.get("won") and "effective_support" in project and project["effective_support"]:
        return _("Won with an effective support of %(support)s voters; its supporters paid %(paid)s, "
                 "at most %(rho)s each.") % {
            "support": f"{project['effective_support']['value']:.1f}".replace(".", ","),
            "paid": euros(Decimal(project["paid"]["value"])), "rho": euros(Decimal(project["rho"]["value"]))}
    why = project.get("why")
    if why in WHY:
        return WHY[why](project)
    if project.get("won"):
        return _("Won.")
    return _("Lost: the envelope was spent on projects with more support.")


def results_page(budget: Budget) -> dict:
    result = budget.result
    winners = set(services.winners(result))
    ids = {int(p) for envelope in result.envelopes for p in envelope["projects"]}
    ideas = {idea.pk: idea for idea in Idea.objects.filter(pk__in=ids).only("id", "title", "status",
                                                                             "estimated_cost")}
    channels = dict(Ballot.objects.filter(budget=budget).values_list("channel").annotate(n=Count("id")))
    paper_votes = dict(BallotChoice.objects.filter(ballot__budget=budget, ballot__channel=Ballot.Channel.PAPER)
                       .values_list("idea_id").annotate(n=Count("id")))
    envelopes = []
    districts = {d.neighbourhood_id: str(d.neighbourhood) for d in budget.districts.select_related("neighbourhood")}
    for envelope in result.envelopes:
        top = max([p["votes"] for p in envelope["projects"].values()] or [1]) or 1
        rows = []
        for project_id, project in sorted(envelope["projects"].items(), key=lambda item: item[1]["rank"]):
            idea = ideas.get(int(project_id))
            if idea is None:
                continue
            rows.append({"idea": idea, "votes": project["votes"], "paper": paper_votes.get(idea.pk, 0),
                         "cost": Decimal(str(project["cost"]["value"])), "counted_won": project["won"],
                         "won": idea.pk in winners, "why": explain(project), "bar": 100 * project["votes"] / top})
        spent = sum((row["cost"] for row in rows if row["won"]), Decimal(0))
        amount = Decimal(str(envelope["amount"]["value"]))
        envelopes.append({"label": services.envelope_label(envelope["key"], districts), "amount": amount,
                          "spent": spent, "left": amount - spent,
                          "voters": envelope["voters"], "rule": envelope["rule"], "rows": rows,
                          "spent_share": float(100 * spent / amount) if amount else 0})
    return {"result": result, "envelopes": envelopes, "overrides": list(result.overrides.select_related("idea")),
            "channels": {"online": channels.get(Ballot.Channel.ONLINE, 0),
                         "paper": channels.get(Ballot.Channel.PAPER, 0)}}


def anonymised_ballots(budget: Budget):
    """(receipt, channel, [(idea id, points)]) in receipt order: nothing that names a voter."""
    ballots: dict[int, dict] = {}
    rows = (BallotChoice.objects.filter(ballot__budget=budget)
            .values_list("ballot_id", "ballot__receipt", "ballot__channel", "ballot__neighbourhood__name",
                         "idea_id", "points").order_by("ballot__receipt", "idea_id"))
    for ballot_id, receipt, channel, neighbourhood, idea_id, points in rows:
        entry = ballots.setdefault(ballot_id, {"receipt": receipt, "channel": channel,
                                               "neighbourhood": neighbourhood or "", "choices": []})
        entry["choices"].append((idea_id, points))
    return list(ballots.values())
