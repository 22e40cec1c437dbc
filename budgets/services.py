"""Every change to a participatory budget goes through here: the agents' admin, the
citizens' pages, tasks and commands."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import counting
from budgets import rules as budget_rules
from budgets.ballots import BallotError, Method, VotingRules, check_ballot
from budgets.models import (
    Ballot,
    BallotChoice,
    Budget,
    BudgetEvent,
    BudgetFollow,
    Milestone,
    Override,
    ProjectUpdate,
    Result,
    Score,
    Section,
)
from budgets.texts import default_sections, phase_descriptions
from civic.tasks import enqueue_on_commit
from civic.text import free_slug
from ideas import rules as idea_rules
from ideas.models import Call, Idea, Phase, Status
from ideas.services import idea_change_status
from ideas.workflow import TransitionError


class BudgetError(Exception):
    """A refusal, with a message meant for the person who asked."""

    def __init__(self, message: str | list[str]):
        self.messages = message if isinstance(message, list) else [message]
        super().__init__(" ".join(self.messages))


# Steps in the order they happen; the optional ones may be switched off.
STEP_ORDER = [Phase.Kind.SUBMISSION, Phase.Kind.CO_CONSTRUCTION, Phase.Kind.ANALYSIS, Phase.Kind.PRIORITISATION,
              Phase.Kind.VOTE, Phase.Kind.RESULTS]
OPTIONAL_STEPS = {Phase.Kind.CO_CONSTRUCTION, Phase.Kind.PRIORITISATION}


def _require_agent(actor) -> None:
    if not idea_rules.can_triage(actor):
        raise BudgetError(_("Only the commune's agents may do this."))


# Configuration ------------------------------------------------------------------------

@transaction.atomic
def budget_create(*, actor, title: str, envelope, problem: str = "", description: str = "", **fields) -> Budget:
    """A draft budget (not published) with its teaching sections in every language of the
    commune and a description for each step, ready to be dated and edited."""
    _require_agent(actor)
    call = Call(kind=Call.Kind.BUDGET, title=title.strip(), slug=free_slug(Call, title, fallback="budget"),
                description=description, vote_mode=Call.VoteMode.SUPPORT, is_published=False)
    call.full_clean()
    call.save()
    budget = Budget(call=call, envelope=envelope, problem=problem, **fields)
    budget.full_clean()
    budget.save()
    languages = list(getattr(connection.tenant, "languages", None) or ["fr"])
    Section.objects.bulk_create(Section(budget=budget, **section) for section in default_sections(languages))
    return budget


def default_phase_description(kind: str) -> str:
    return phase_descriptions()[kind]


@dataclass
class StepPlan:
    kind: str
    enabled: bool
    starts_at: object = None
    ends_at: object = None
    description: str = ""


@transaction.atomic
def budget_set_steps(*, budget: Budget, actor, steps: list[StepPlan]) -> None:
    """Replace the budget's steps. Required steps must be on; each step on needs dates,
    and the steps follow each other without overlapping."""
    _require_agent(actor)
    errors = []
    enabled = [step for step in steps if step.enabled]
    kinds = {step.kind for step in enabled}
    for kind in STEP_ORDER:
        if kind not in OPTIONAL_STEPS and kind not in kinds:
            errors.append(_("The step “%(step)s” cannot be switched off.") % {"step": Phase.Kind(kind).label})
    enabled.sort(key=lambda step: STEP_ORDER.index(step.kind))
    for step in enabled:
        label = Phase.Kind(step.kind).label
        if step.starts_at is None:
            errors.append(_("Give the start of the step “%(step)s”.") % {"step": label})
        elif step.ends_at is not None and step.ends_at <= step.starts_at:
            errors.append(_("The step “%(step)s” must end after it starts.") % {"step": label})
        elif step.ends_at is None and step.kind != Phase.Kind.RESULTS:
            errors.append(_("Give the end of the step “%(step)s”.") % {"step": label})
    if not errors:
        for before, after in zip(enabled, enabled[1:]):
            if before.ends_at and after.starts_at < before.ends_at:
                errors.append(_("The step “%(after)s” starts before the step “%(before)s” ends.")
                              % {"after": Phase.Kind(after.kind).label, "before": Phase.Kind(before.kind).label})
    if errors:
        raise BudgetError(errors)
    existing = {phase.kind: phase for phase in budget.call.phases.all()}
    for step in steps:
        phase = existing.get(step.kind)
        if not step.enabled:
            if phase is not None:
                phase.delete()
            continue
        if phase is None:
            phase = Phase(call=budget.call, kind=step.kind)
        changed = (phase.starts_at, phase.ends_at) != (step.starts_at, step.ends_at)
        phase.starts_at, phase.ends_at = step.starts_at, step.ends_at
        phase.description = step.description.strip() or default_phase_description(step.kind)
        if changed:  # new dates: the opening is announced again when it comes
            phase.announced_at = None
            phase.closed_early_at = None
        phase.save()


def budget_problems(budget: Budget) -> list[str]:
    """What stops the budget from being published, in the agent's words."""
    problems = []
    kinds = {phase.kind for phase in budget.call.phases.all()}
    for kind in STEP_ORDER:
        if kind not in OPTIONAL_STEPS and kind not in kinds:
            problems.append(_("The step “%(step)s” has no dates.") % {"step": Phase.Kind(kind).label})
    if budget.method in (Method.APPROVAL, Method.BASKET) and budget.max_projects is not None \
            and budget.max_projects < budget.min_projects:
        problems.append(_("The maximum number of projects is below the minimum."))
    if budget.method == Method.POINTS and budget.rule == "mes":
        problems.append(_("Equal Shares counts approvals: choose a rule by votes for a points ballot."))
    if budget.method == Method.POINTS and not budget.points:
        problems.append(_("Give the number of points each voter shares out."))
    if not budget.sections.exists():
        problems.append(_("Add at least one explanation section."))
    return problems


@transaction.atomic
def budget_publish(*, budget: Budget, actor) -> Budget:
    _require_agent(actor)
    problems = budget_problems(budget)
    if problems:
        raise BudgetError(problems)
    call = budget.call
    if not call.is_published:
        call.is_published = True
        call.save(update_fields=["is_published"])
        BudgetEvent.objects.create(budget=budget, actor=actor, kind=BudgetEvent.Kind.PUBLISHED)
    return budget


@transaction.atomic
def phase_close_early(*, phase: Phase, actor, message: str) -> Phase:
    """Close an open step now; the closing and its reason are logged publicly."""
    _require_agent(actor)
    phase = Phase.objects.select_for_update(of=("self",)).select_related("call__budget").get(pk=phase.pk)
    if not phase.is_open():
        raise BudgetError(_("This step is not open."))
    if not message.strip():
        raise BudgetError(_("Say publicly why the step closes early."))
    phase.closed_early_at = timezone.now()
    phase.save(update_fields=["closed_early_at"])
    BudgetEvent.objects.create(budget=phase.call.budget, actor=actor, kind=BudgetEvent.Kind.PHASE_CLOSED,
                               message=f"{phase.get_kind_display()} — {message.strip()}")
    return phase


def budget_follow(*, budget: Budget, follower) -> None:
    BudgetFollow.objects.get_or_create(budget=budget, follower=follower)


def budget_unfollow(*, budget: Budget, follower) -> None:
    BudgetFollow.objects.filter(budget=budget, follower=follower).delete()


def phases_to_announce(at=None):
    """Steps of published budgets that have opened and were not announced yet."""
    at = at or timezone.now()
    return (Phase.objects.filter(call__kind=Call.Kind.BUDGET, call__is_published=True, starts_at__lte=at,
                                 announced_at__isnull=True)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at)).filter(closed_early_at__isnull=True))


def phase_mark_announced(*, phase_id: int) -> bool:
    """True for the one caller that marks the step announced (a second beat, a retry: False)."""
    return bool(Phase.objects.filter(pk=phase_id, announced_at__isnull=True).update(announced_at=timezone.now()))


# Prioritisation -----------------------------------------------------------------------

@transaction.atomic
def score_record(*, member, idea: Idea, scores: dict[int, int]) -> None:
    """A committee member's scores of one project, criterion id -> 0..5; changeable until
    the step ends."""
    budget = idea.call.budget
    if not budget_rules.can_score(member, budget):
        raise BudgetError(_("Scores are given by the steering committee during the prioritisation step."))
    if idea.status not in (Status.ADMISSIBLE, Status.FINALIST):
        raise BudgetError(_("Only admissible projects are scored."))
    criteria = {criterion.pk: criterion for criterion in budget.criteria.all()}
    for criterion_id, value in scores.items():
        if criterion_id not in criteria:
            raise BudgetError(_("This criterion is not on the grid of this budget."))
        if not 0 <= int(value) <= 5:
            raise BudgetError(_("A score goes from 0 to 5."))
        Score.objects.update_or_create(criterion=criteria[criterion_id], idea=idea, member=member,
                                       defaults={"value": int(value)})


def finalists_select(*, budget: Budget, actor, ideas, public_message: str):
    """Send projects to the vote (status "finalist") with the published reason."""
    _require_agent(actor)
    if not public_message.strip():
        raise BudgetError(_("Explain publicly how the finalists were selected."))
    from ideas.services import idea_bulk_change_status

    result = idea_bulk_change_status(ideas=[i for i in ideas if i.call_id == budget.call_id], actor=actor,
                                     to_status=Status.FINALIST, public_message=public_message)
    if result.moved:
        BudgetEvent.objects.create(budget=budget, actor=actor, kind=BudgetEvent.Kind.FINALISTS,
                                   message=public_message.strip())
    return result


# Voting -------------------------------------------------------------------------------

def vote_projects(budget: Budget):
    return (Idea.objects.filter(call=budget.call, status__in=[Status.FINALIST, Status.SELECTED,
                                                              Status.IN_PROGRESS, Status.DONE], is_hidden=False)
            .select_related("neighbourhood").order_by("title", "id"))


def project_cost(idea: Idea) -> Fraction:
    return Fraction(idea.estimated_cost or 0)


def envelopes_of(budget: Budget, projects) -> list[dict]:
    """The commune-wide envelope and one per district, each with its projects:
    [{"key", "label", "amount", "neighbourhood_id", "projects": [Idea]}]."""
    districts = list(budget.districts.select_related("neighbourhood").order_by("neighbourhood__position",
                                                                              "neighbourhood__name"))
    by_neighbourhood = {district.neighbourhood_id: district for district in districts}
    envelopes = [{"key": "commune", "label": envelope_label("commune"), "amount": budget.envelope,
                  "neighbourhood_id": None, "projects": []}]
    index = {None: envelopes[0]}
    for district in districts:
        envelope = {"key": f"district-{district.neighbourhood_id}", "label": str(district.neighbourhood),
                    "amount": district.envelope, "neighbourhood_id": district.neighbourhood_id, "projects": []}
        envelopes.append(envelope)
        index[district.neighbourhood_id] = envelope
    for idea in projects:
        key = idea.neighbourhood_id if idea.neighbourhood_id in by_neighbourhood else None
        index[key]["projects"].append(idea)
    return envelopes


def envelope_label(key: str, districts: dict | None = None) -> str:
    """"commune" or "district-<neighbourhood id>", in the reader's language."""
    if key == "commune":
        return _("Whole commune")
    from accounts.models import Neighbourhood

    neighbourhood_id = int(key.split("-", 1)[1])
    if districts is not None and neighbourhood_id in districts:
        return districts[neighbourhood_id]
    return str(Neighbourhood.objects.filter(pk=neighbourhood_id).first() or key)


def voting_rules(budget: Budget, amount) -> VotingRules:
    return VotingRules(method=budget.method, envelope=Fraction(amount), min_projects=budget.min_projects,
                       max_projects=budget.max_projects, min_share_spent=Fraction(budget.min_share_spent, 100),
                       points=budget.points, max_points_per_project=budget.max_points_per_project)


def ballot_check(*, budget: Budget, choices: dict[int, int], neighbourhood_id: int | None) -> dict[int, int]:
    """Every rule of the budget on one ballot (idea id -> points). With district envelopes,
    a voter chooses among the commune-wide projects and those of their own district; each
    envelope they vote in is checked on its own. Two small queries (the projects open to
    the vote, the districts), read as plain values: this runs on every ballot."""
    districts = dict(budget.districts.values_list("neighbourhood_id", "envelope"))
    envelopes: dict[int | None, dict] = {None: {}}
    for idea_id, cost, idea_neighbourhood in (Idea.objects.filter(
            call_id=budget.call_id, status=Status.FINALIST, is_hidden=False)
            .values_list("pk", "estimated_cost", "neighbourhood_id")):
        key = idea_neighbourhood if idea_neighbourhood in districts else None
        envelopes.setdefault(key, {})[str(idea_id)] = Fraction(cost or 0)
    allowed = [key for key in envelopes if key is None or key == neighbourhood_id]
    open_ids = {idea_id for key in allowed for idea_id in envelopes[key]}
    if any(str(idea_id) not in open_ids for idea_id in choices):
        raise BallotError([_("This ballot names projects that are not open to the vote.")])
    kept: dict[int, int] = {}
    errors: list[str] = []
    voted_somewhere = False
    for key in allowed:
        costs = envelopes[key]
        part = {str(k): v for k, v in choices.items() if str(k) in costs}
        if not any(int(v) for v in part.values()):
            continue
        voted_somewhere = True
        amount = budget.envelope if key is None else districts[key]
        try:
            checked = check_ballot(voting_rules(budget, amount), part, costs)
        except BallotError as error:
            prefix = ""
            if len(allowed) > 1:
                prefix = envelope_label("commune" if key is None else f"district-{key}") + " : "
            errors += [prefix + message for message in error.messages]
        else:
            kept.update({int(k): v for k, v in checked.items()})
    if errors:
        raise BallotError(errors)
    if not voted_somewhere:
        raise BallotError([_("Choose at least one project.") if budget.method != Method.POINTS
                           else _("Give your points to at least one project.")])
    return kept


def _store_choices(ballot: Ballot, checked: dict[int, int]) -> None:
    BallotChoice.objects.filter(ballot=ballot).delete()
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, idea_id=idea_id, points=points)
                                     for idea_id, points in checked.items())


def _digest(value: str) -> str:
    """A keyed digest: the same person always gives the same identity, and the ballots
    table holds no email, name or date of birth (nothing to scrub when an account goes)."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("civic.budgets.ballot-identity", value, algorithm="sha256").hexdigest()


def _identity_from_email(email: str) -> str:
    return "email:" + _digest(email.strip().lower())


def _identity_from_name(name: str, born_on: date) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "person:" + _digest(" ".join(folded.replace("-", " ").split()) + "|" + born_on.isoformat())


@transaction.atomic
def ballot_cast(*, budget: Budget, voter, choices: dict[int, int]) -> Ballot:
    """Cast or change ``voter``'s online ballot. A first ballot is one INSERT … ON CONFLICT
    DO NOTHING (the unique constraints decide, whatever runs at the same moment); a change
    locks the ballot row while its choices are replaced, so two tabs submitting at once
    leave one valid ballot."""
    refusal = budget_rules.voter_refusal(voter, budget)
    if refusal:
        raise BallotError([refusal])
    checked = ballot_check(budget=budget, choices=choices, neighbourhood_id=voter.neighbourhood_id)
    identity = _identity_from_email(voter.email)
    now = timezone.now()
    ballot = None
    while ballot is None:
        ballot = _ballot_insert_or_lock(budget, voter, identity, now)
    if ballot.channel == Ballot.Channel.PAPER:
        raise BallotError([_("You voted on paper at the town hall: your ballot there is the one counted.")])
    if ballot.changed_at != now:  # a change: a new receipt, the choices replaced
        ballot.changed_at, ballot.receipt = now, _fresh_receipt()
        ballot.save(update_fields=["changed_at", "receipt"])
        BallotChoice.objects.filter(ballot=ballot).delete()
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, idea_id=idea_id, points=points)
                                     for idea_id, points in checked.items())
    from budgets.tasks import send_receipt

    enqueue_on_commit(send_receipt, ballot_id=ballot.pk, receipt=ballot.receipt)
    return ballot


def _ballot_insert_or_lock(budget, voter, identity, now) -> Ballot | None:
    """The new ballot (changed_at == now), the existing one locked, or None when the
    random receipt code collided with another ballot's (then try again)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Ballot._meta.db_table} (budget_id, voter_id, identity, channel, neighbourhood_id, "
            "receipt, cast_at, changed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING RETURNING id, receipt",
            [budget.pk, voter.pk, identity, Ballot.Channel.ONLINE, voter.neighbourhood_id, _fresh_receipt(), now,
             now])
        row = cursor.fetchone()
    if row is not None:  # a first ballot
        return Ballot(pk=row[0], budget=budget, voter=voter, identity=identity, channel=Ballot.Channel.ONLINE,
                      neighbourhood_id=voter.neighbourhood_id, receipt=row[1], cast_at=now, changed_at=now)
    # A change, or the other tab's first ballot: lock it while its choices are replaced.
    return Ballot.objects.select_for_update().filter(budget=budget).filter(
        Q(voter=voter) | Q(identity=identity)).first()


def _fresh_receipt() -> str:
    from budgets.models import new_receipt

    return new_receipt()


@transaction.atomic
def paper_ballot_enter(*, budget: Budget, agent, choices: dict[int, int], email: str = "", name: str = "",
                       born_on: date | None = None, neighbourhood=None) -> Ballot:
    """A ballot collected at the town hall. The voter is known by email when they have
    one (and then cannot vote online), otherwise by name and date of birth."""
    _require_agent(agent)
    budget = Budget.objects.select_related("call").get(pk=budget.pk)
    if not (budget_rules.vote_is_open(budget) or budget_rules.vote_has_closed(budget)):
        raise BallotError([_("The vote has not started.")])
    if hasattr(budget, "result"):
        raise BallotError([_("The votes are already counted.")])
    if email.strip():
        identity = _identity_from_email(email)
    elif name.strip() and born_on:
        identity = _identity_from_name(name, born_on)
    else:
        raise BallotError([_("Give the voter's email address, or their name and date of birth.")])
    from accounts.models import User

    account = User.objects.filter(email__iexact=email.strip()).first() if email.strip() else None
    checked = ballot_check(budget=budget, choices=choices,
                           neighbourhood_id=getattr(neighbourhood, "pk", neighbourhood))
    if Ballot.objects.filter(budget=budget).filter(
            Q(identity=identity) | (Q(voter=account) if account else Q(pk__in=[]))).exists():
        raise BallotError([_("This person has already voted (online or on paper).")])
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(budget=budget, voter=account, identity=identity,
                                           channel=Ballot.Channel.PAPER, recorded_by=agent,
                                           neighbourhood=neighbourhood)
    except IntegrityError:
        raise BallotError([_("This person has already voted (online or on paper).")]) from None
    _store_choices(ballot, checked)
    BudgetEvent.objects.create(budget=budget, actor=agent, kind=BudgetEvent.Kind.PAPER_BALLOT,
                               message=ballot.receipt)
    return ballot


# Counting -----------------------------------------------------------------------------

def _json_number(value):
    if value is None:
        return None
    value = Fraction(value)
    return {"exact": f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator),
            "value": float(value)}


def election_of(budget: Budget, envelope: dict, ballots: list[dict[int, int]]) -> counting.Election:
    costs = {str(idea.pk): project_cost(idea) for idea in envelope["projects"]}
    parts = [{str(k): v for k, v in ballot.items() if str(k) in costs} for ballot in ballots]
    parts = [part for part in parts if part]
    if budget.method == Method.POINTS:
        return counting.Election.from_points(budget=Fraction(envelope["amount"]), costs=costs, ballots=parts)
    return counting.Election.from_ballots(budget=Fraction(envelope["amount"]), costs=costs, ballots=parts)


def ballots_of(budget: Budget) -> list[dict[int, int]]:
    """Every ballot as {idea id: points}, read in one query."""
    ballots: dict[int, dict[int, int]] = {}
    for ballot_id, idea_id, points in (BallotChoice.objects.filter(ballot__budget=budget)
                                       .values_list("ballot_id", "idea_id", "points").order_by("ballot_id")):
        ballots.setdefault(ballot_id, {})[idea_id] = points
    return list(ballots.values())


def count_envelopes(budget: Budget, ballots: list[dict[int, int]]) -> list[dict]:
    envelopes = envelopes_of(budget, vote_projects(budget))
    counted = []
    for envelope in envelopes:
        if not envelope["projects"]:
            continue
        election = election_of(budget, envelope, ballots)
        if not election.costs:
            continue
        votes = election.votes()
        if election.voters:
            result = counting.count(election, rule=budget.rule, completion=budget.completion,
                                    threshold=budget.threshold, comparison=budget.comparison,
                                    eligibility_ratio=budget.eligibility_ratio,
                                    greedy_completion=budget.greedy_completion)
        else:
            result = counting.Result(selected=[], cost=Fraction(0), rule=budget.rule,
                                     explanation={p: {"won": False, "why": "no_votes"} for p in election.costs})
        projects = {}
        for rank, project in enumerate(election.tie_order(), start=1):
            explanation = {key: (_json_number(value) if isinstance(value, Fraction) else value)
                           for key, value in result.explanation.get(project, {}).items()}
            projects[project] = {"rank": rank, "votes": votes[project],
                                 "cost": _json_number(election.costs[project]), **explanation,
                                 "won": project in result.selected}
        counted.append({"key": envelope["key"], "label": envelope["label"],
                        "amount": _json_number(envelope["amount"]), "voters": election.voters,
                        "rule": result.rule, "selected": [int(p) for p in result.selected],
                        "cost": _json_number(result.cost), "projects": projects})
    return counted


@transaction.atomic
def budget_count(*, budget: Budget, actor) -> Result:
    """Count the ballots once the vote has closed; counting again replaces the result
    (and its overrides) until the results are published."""
    _require_agent(actor)
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if not budget_rules.vote_has_closed(budget):
        raise BudgetError(_("The votes are counted once the vote has closed."))
    existing = Result.objects.filter(budget=budget).first()
    if existing and existing.published_at:
        raise BudgetError(_("The results are published; they are not counted again."))
    ballots = ballots_of(budget)
    envelopes = count_envelopes(budget, ballots)
    if existing:
        existing.delete()
    result = Result.objects.create(
        budget=budget, counted_by=actor, rule=" · ".join(sorted({e["rule"] for e in envelopes})) or budget.rule,
        ballots=Ballot.objects.filter(budget=budget).count(),
        paper_ballots=Ballot.objects.filter(budget=budget, channel=Ballot.Channel.PAPER).count(),
        envelopes=envelopes)
    BudgetEvent.objects.create(budget=budget, actor=actor, kind=BudgetEvent.Kind.COUNTED,
                               message=_("%(count)d ballots counted.") % {"count": result.ballots})
    return result


def winners(result: Result) -> list[int]:
    """The counted winners with the agents' public changes applied, in order."""
    selected = [idea_id for envelope in result.envelopes for idea_id in envelope["selected"]]
    for override in result.overrides.all():
        if override.action == Override.Action.ADD and override.idea_id not in selected:
            selected.append(override.idea_id)
        elif override.action == Override.Action.REMOVE and override.idea_id in selected:
            selected.remove(override.idea_id)
    return selected


@transaction.atomic
def result_override(*, result: Result, idea: Idea, action: str, justification: str, actor) -> Override:
    _require_agent(actor)
    result = Result.objects.select_for_update().get(pk=result.pk)
    if result.published_at:
        raise BudgetError(_("The results are published; they can no longer be changed."))
    if not justification.strip():
        raise BudgetError(_("A change to the result needs a public justification."))
    if idea.call_id != result.budget.call_id:
        raise BudgetError(_("This project is not part of this budget."))
    current = winners(result)
    if action == Override.Action.ADD and idea.pk in current:
        raise BudgetError(_("This project is already among the winners."))
    if action == Override.Action.REMOVE and idea.pk not in current:
        raise BudgetError(_("This project is not among the winners."))
    override = Override.objects.create(result=result, idea=idea, action=action, justification=justification.strip(),
                                       actor=actor)
    BudgetEvent.objects.create(budget=result.budget, actor=actor, kind=BudgetEvent.Kind.OVERRIDE,
                               message=f"{idea.title} — {override.get_action_display()} — {override.justification}")
    return override


@transaction.atomic
def results_publish(*, budget: Budget, actor) -> Result:
    """Publish the results: the winners become "selected" (their authors and followers are
    told), the results page opens, the budget's followers are told."""
    _require_agent(actor)
    result = Result.objects.select_for_update().filter(budget=budget).first()
    if result is None:
        raise BudgetError(_("Count the votes before publishing the results."))
    if result.published_at:
        return result
    result.published_at = timezone.now()
    result.save(update_fields=["published_at"])
    for idea in Idea.objects.filter(pk__in=winners(result), status=Status.FINALIST):
        try:
            idea_change_status(idea=idea, actor=actor, to_status=Status.SELECTED,
                               public_message=_("This project won the vote of the participatory budget."))
        except TransitionError:  # pragma: no cover - guarded by the status filter
            pass
    BudgetEvent.objects.create(budget=budget, actor=actor, kind=BudgetEvent.Kind.RESULTS_PUBLISHED)
    from budgets.tasks import notify_results

    enqueue_on_commit(notify_results, budget_id=budget.pk)
    return result


# Implementation -----------------------------------------------------------------------

@transaction.atomic
def project_update_add(*, idea: Idea, actor, title: str, body: str, progress: int, photo=None,
                       photo_description: str = "", published_on=None) -> ProjectUpdate:
    """News of a winning project being built; its followers are told once."""
    _require_agent(actor)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status not in (Status.SELECTED, Status.IN_PROGRESS, Status.DONE):
        raise BudgetError(_("Only winning projects are followed until they are built."))
    update = ProjectUpdate(idea=idea, author=actor, title=title.strip(), body=body.strip(), progress=progress,
                           photo_description=photo_description,
                           published_on=published_on or timezone.localdate())
    if photo:
        update.photo = photo
    update.full_clean()
    update.save()
    if idea.status == Status.SELECTED and progress > 0:
        idea_change_status(idea=idea, actor=actor, to_status=Status.IN_PROGRESS, notify=False)
    idea.refresh_from_db(fields=["status"])
    if progress == 100 and idea.status == Status.IN_PROGRESS:
        idea_change_status(idea=idea, actor=actor, to_status=Status.DONE, notify=False)
    from budgets.tasks import notify_project_update

    enqueue_on_commit(notify_project_update, update_id=update.pk)
    return update


def project_progress(idea: Idea) -> int:
    latest = idea.project_updates.order_by("-published_on", "-id").first()
    return latest.progress if latest else 0


@transaction.atomic
def milestone_set(*, idea: Idea, actor, kind: str, planned_for=None, reached_on=None) -> Milestone:
    _require_agent(actor)
    milestone, _created = Milestone.objects.update_or_create(
        idea=idea, kind=kind, defaults={"planned_for": planned_for, "reached_on": reached_on})
    return milestone


def decimal_euros(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
