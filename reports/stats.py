"""The figures of the reports, as plain functions over the current commune's schema.

Each function reads a fixed number of queries whatever the number of rows (the tests pin
them) and returns plain values (numbers, dicts, model instances), no text: the monthly
report for the Collège and the budget results report render them; a dashboard may reuse
them as they are.

Definitions, the same everywhere:
- a registered user is an active, non-staff account (as on the home page); deleted
  accounts (inactive tombstones) no longer count;
- a contribution is an idea sent in (not a draft), a comment, a vote for or against an
  idea, a participatory-budget ballot (online or paper) or a survey response. Ideas and
  comments hidden by the moderation are left out;
- a month runs from its first day at midnight to the first day of the next month, in the
  platform's time zone (Europe/Brussels).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from accounts.models import User
from budgets.models import Ballot, Budget
from ideas.models import Call, Comment, Idea, IdeaEvent, Phase, Status, Vote
from surveys.models import Response, Survey

CONTRIBUTION_KINDS = ("ideas", "comments", "idea_votes", "budget_ballots", "survey_responses")


# Months --------------------------------------------------------------------------------

def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(day: date) -> date:
    """The month before the one ``day`` is in (its first day)."""
    first = first_of_month(day)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of the month as aware datetimes in the current time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first_of_month(month), time.min, tzinfo=zone)
    end = datetime.combine(next_month(month), time.min, tzinfo=zone)
    return start, end


def month_cutoff(month: date, now: datetime | None = None) -> datetime:
    """The moment the month's figures stop: its end, or now while the month is running."""
    now = now or timezone.now()
    return min(month_bounds(month)[1], now)


def _in(field: str, start: datetime, end: datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


# Monthly report --------------------------------------------------------------------------

def users_against_target(*, month: date, target: int | None) -> dict:
    """Registered users: new in the month, total at its end (1 query).

    ``{"new", "total", "target", "share"}``; ``share`` is the total as a percentage of the
    target (None when the commune has no target)."""
    start, end = month_bounds(month)
    counts = User.objects.filter(is_active=True, is_staff=False).aggregate(
        new=Count("id", filter=_in("date_joined", start, end)),
        total=Count("id", filter=Q(date_joined__lt=end)))
    share = round(100 * counts["total"] / target, 1) if target else None
    return {"new": counts["new"], "total": counts["total"], "target": target or None, "share": share}


def contributions(*, month: date) -> dict:
    """Contributions by kind, in the month and in total up to its end (5 queries).

    ``{"ideas": {"month": n, "total": n}, …, "all": {"month": n, "total": n}}`` with the
    kinds of CONTRIBUTION_KINDS."""
    start, end = month_bounds(month)

    def tally(queryset, field):
        return queryset.aggregate(month=Count("id", filter=_in(field, start, end)),
                                  total=Count("id", filter=Q(**{f"{field}__lt": end})))

    figures = {
        "ideas": tally(Idea.objects.exclude(status=Status.DRAFT).filter(is_hidden=False), "published_at"),
        "comments": tally(Comment.objects.filter(is_hidden=False), "created_at"),
        "idea_votes": tally(Vote.objects.all(), "created_at"),
        "budget_ballots": tally(Ballot.objects.all(), "cast_at"),
        "survey_responses": tally(Response.objects.all(), "submitted_at"),
    }
    figures["all"] = {"month": sum(f["month"] for f in figures.values()),
                      "total": sum(f["total"] for f in figures.values())}
    return figures


def open_phases(at: datetime):
    """Phases open at ``at`` (started, not ended, not closed early)."""
    return (Phase.objects.filter(starts_at__lte=at)
            .filter(Q(closed_early_at__isnull=True) | Q(closed_early_at__gt=at))
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at)))


class _SubqueryCount(Subquery):
    template = "(SELECT count(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def _count(queryset):
    """A scalar subquery counting the rows of ``queryset`` (filtered on an OuterRef)."""
    return _SubqueryCount(queryset.order_by().values("pk"))


def _current_phase(phases, at):
    return next((phase for phase in phases if phase.is_open(at)), None)


def consultations_in_progress(*, at: datetime) -> dict:
    """What was open to citizens at ``at`` (5 queries): calls for ideas and idea boxes with
    an open step, participatory budgets with their current step, open surveys.

    ``{"calls": [{"call", "phase", "ideas"}], "budgets": [{"budget", "phase", "ideas",
    "ballots"}], "surveys": [{"survey", "responses"}]}``; each list sorted by title."""
    phases = Prefetch("phases", queryset=Phase.objects.order_by("starts_at"))
    public = Q(ideas__is_hidden=False) & ~Q(ideas__status=Status.DRAFT)
    calls = (Call.objects.filter(is_published=True).exclude(kind=Call.Kind.BUDGET)
             .filter(Exists(open_phases(at).filter(call=OuterRef("pk"))))
             .annotate(idea_count=Count("ideas", filter=public)).prefetch_related(phases).order_by("title", "id"))
    # Subqueries rather than joins: a budget's ideas times its ballots would be millions of rows.
    ideas = _count(Idea.objects.filter(call=OuterRef("call_id"), is_hidden=False).exclude(status=Status.DRAFT))
    ballots = _count(Ballot.objects.filter(budget=OuterRef("pk")))
    budgets = (Budget.objects.filter(call__is_published=True)
               .filter(Exists(open_phases(at).filter(call=OuterRef("call_id"))))
               .select_related("call").annotate(idea_count=ideas, ballot_count=ballots)
               .prefetch_related(Prefetch("call__phases", queryset=Phase.objects.order_by("starts_at")))
               .order_by("call__title", "id"))
    surveys = (Survey.objects.filter(is_published=True, starts_at__lte=at)
               .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
               .annotate(response_count=Count("responses")).order_by("title", "id"))
    return {
        "calls": [{"call": call, "phase": _current_phase(call.phases.all(), at), "ideas": call.idea_count}
                  for call in calls],
        "budgets": [{"budget": budget, "phase": _current_phase(budget.call.phases.all(), at),
                     "ideas": budget.idea_count, "ballots": budget.ballot_count} for budget in budgets],
        "surveys": [{"survey": survey, "responses": survey.response_count} for survey in surveys],
    }


def spontaneous_ideas(*, month: date, limit: int = 30) -> dict:
    """The ideas sent in to the permanent idea box during the month (3 queries): how many,
    by category (ideas, supports, against, comments), the most supported first (at most
    ``limit``), and how many idea-box ideas, of any month, still await an answer.

    ``{"count", "by_category": [{"category", "ideas", "supports", "against", "comments"}],
    "top": [Idea], "awaiting": n}``; a category of None is "no category"."""
    start, end = month_bounds(month)
    box = Idea.objects.filter(call__kind=Call.Kind.IDEA_BOX, is_hidden=False).exclude(status=Status.DRAFT)
    of_month = box.filter(_in("published_at", start, end))
    by_category = list(
        of_month.values("category__name").annotate(
            ideas=Count("id"), supports=Sum("support_count"), against=Sum("against_count"),
            comments=Sum("comment_count"))
        .order_by("-ideas", "-supports", "category__name"))
    top = list(of_month.select_related("category", "neighbourhood").defer("answers", "search_vector")
               .order_by("-support_count", "against_count", "-comment_count", "published_at", "id")[:limit])
    awaiting = box.filter(published_at__lt=end, status__in=[Status.SUBMITTED, Status.UNDER_ANALYSIS]).count()
    return {
        "count": sum(row["ideas"] for row in by_category),
        "by_category": [{"category": row["category__name"], "ideas": row["ideas"], "supports": row["supports"] or 0,
                         "against": row["against"] or 0, "comments": row["comments"] or 0} for row in by_category],
        "top": top,
        "awaiting": awaiting,
    }


# Budget results report ---------------------------------------------------------------------

def not_admissible_projects(*, budget: Budget) -> list[Idea]:
    """The budget's projects found not admissible, each with ``reason``: the public
    explanation of its latest move to "not admissible" (1 query)."""
    reason = (IdeaEvent.objects.filter(idea=OuterRef("pk"), kind=IdeaEvent.Kind.STATUS, is_public=True,
                                       to_status=Status.NOT_ADMISSIBLE)
              .order_by("-created_at", "-id").values("public_message")[:1])
    return list(Idea.objects.filter(call_id=budget.call_id, status=Status.NOT_ADMISSIBLE, is_hidden=False)
                .annotate(reason=Subquery(reason)).only("id", "title", "status").order_by("title", "id"))


def budget_participation(*, budget: Budget, population: int | None) -> dict:
    """Who took part (2 queries): the projects proposed and how far they went, the ballots
    by channel and by the voters' neighbourhood, and the ballots as a share of the population.

    ``{"projects": {"proposed", "admissible", "not_admissible", "finalists", "winners"},
    "ballots": {"online", "paper", "total"}, "share": % or None,
    "neighbourhoods": [{"name", "ballots"}]}``; ``winners`` counts the projects that went on
    to be selected, built or done."""
    projects = Idea.objects.filter(call_id=budget.call_id, is_hidden=False).exclude(
        status__in=[Status.DRAFT, Status.WITHDRAWN]).aggregate(
        proposed=Count("id"),
        admissible=Count("id", filter=Q(status__in=[Status.ADMISSIBLE, Status.FINALIST, Status.SELECTED,
                                                    Status.IN_PROGRESS, Status.DONE])),
        not_admissible=Count("id", filter=Q(status=Status.NOT_ADMISSIBLE)),
        finalists=Count("id", filter=Q(status__in=[Status.FINALIST, Status.SELECTED, Status.IN_PROGRESS,
                                                   Status.DONE])),
        winners=Count("id", filter=Q(status__in=[Status.SELECTED, Status.IN_PROGRESS, Status.DONE])))
    rows = list(Ballot.objects.filter(budget=budget).values("channel", "neighbourhood__name")
                .annotate(n=Count("id")).order_by())
    online = sum(r["n"] for r in rows if r["channel"] == Ballot.Channel.ONLINE)
    paper = sum(r["n"] for r in rows if r["channel"] == Ballot.Channel.PAPER)
    by_place: dict[str | None, int] = {}
    for row in rows:
        by_place[row["neighbourhood__name"]] = by_place.get(row["neighbourhood__name"], 0) + row["n"]
    neighbourhoods = sorted(({"name": name, "ballots": n} for name, n in by_place.items()),
                            key=lambda item: (item["name"] is None, -item["ballots"], item["name"] or ""))
    total = online + paper
    return {"projects": projects, "ballots": {"online": online, "paper": paper, "total": total},
            "share": round(100 * total / population, 1) if population else None,
            "neighbourhoods": neighbourhoods}


# Dashboard ------------------------------------------------------------------------------

def contributions_by_month(*, months: int = 12, now: datetime | None = None) -> list[dict]:
    """Contributions of each kind in each of the last ``months`` months, the current one
    last (5 grouped queries): ``[{"month": date, "ideas": n, …, "all": n}]``."""
    from django.db.models.functions import TruncMonth

    now = now or timezone.now()
    last = first_of_month(timezone.localtime(now).date())
    firsts = [last]
    while len(firsts) < months:
        firsts.insert(0, previous_month(firsts[0]))
    start = month_bounds(firsts[0])[0]
    sources = {
        "ideas": (Idea.objects.exclude(status=Status.DRAFT).filter(is_hidden=False), "published_at"),
        "comments": (Comment.objects.filter(is_hidden=False), "created_at"),
        "idea_votes": (Vote.objects.all(), "created_at"),
        "budget_ballots": (Ballot.objects.all(), "cast_at"),
        "survey_responses": (Response.objects.all(), "submitted_at"),
    }
    rows = {month: {"month": month, **{kind: 0 for kind in CONTRIBUTION_KINDS}} for month in firsts}
    for kind, (queryset, field) in sources.items():
        grouped = (queryset.filter(**{f"{field}__gte": start}).order_by()
                   .annotate(m=TruncMonth(field)).values("m").annotate(n=Count("id")))
        for group in grouped:
            month = timezone.localtime(group["m"]).date() if isinstance(group["m"], datetime) else group["m"]
            if month in rows:
                rows[month][kind] = group["n"]
    for row in rows.values():
        row["counts"] = [row[kind] for kind in CONTRIBUTION_KINDS]
        row["all"] = sum(row["counts"])
    return list(rows.values())


def users_breakdown() -> dict:
    """Registered users by age bracket, gender and neighbourhood (3 queries), each as
    ``[(value, count)]`` with "" for those who did not say, most numerous first."""
    from accounts.models import AgeBracket, Gender

    users = User.objects.filter(is_active=True, is_staff=False).order_by()
    ages = dict(AgeBracket.choices)
    genders = dict(Gender.choices)

    def grouped(field, labels=None):
        rows = users.values(field).annotate(n=Count("id")).order_by("-n", field)
        return [((labels or {}).get(row[field], row[field]) or "", row["n"]) for row in rows]

    return {"age": grouped("age_bracket", ages), "gender": grouped("gender", genders),
            "neighbourhood": grouped("neighbourhood__name")}


def most_supported_ideas(*, limit: int = 10) -> list[Idea]:
    """The public ideas with the most supports (1 query)."""
    return list(Idea.objects.exclude(status=Status.DRAFT).filter(is_hidden=False, support_count__gt=0)
                .select_related("call").order_by("-support_count", "-comment_count", "id")[:limit])


def dashboard(*, commune, now: datetime | None = None) -> dict:
    """Everything the agents' dashboard and the public transparency page show."""
    now = now or timezone.now()
    month = first_of_month(timezone.localtime(now).date())
    users = users_against_target(month=month, target=commune.target_users)
    population = commune.population or 0
    return {
        "users": users,
        "participation_rate": round(100 * users["total"] / population, 2) if population else None,
        "population": population,
        "contributions": contributions(month=month),
        "by_month": contributions_by_month(now=now),
        "consultations": consultations_in_progress(at=now),
    }
