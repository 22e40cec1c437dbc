"""Reads for the pages about ideas, each in a fixed number of queries."""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import Exists, ExpressionWrapper, F, FloatField, Func, OuterRef, Prefetch, Value
from django.db.models.functions import Extract, Greatest, Now, Power

from civic.modules import switched_on
from ideas.models import Call, Comment, Follow, Idea, IdeaEvent, Status, Vote
from ideas.workflow import PUBLIC_STATUSES
from tenants.models import Module

SORTS = ("recent", "supported", "trending")

# The trending order, published on the list page (ideas/templates: ideas/call_detail.html):
#   (supports − against + comments + 1) / (hours since publication + 2) ^ 1.5
# Recent activity counts more than old; an idea fades as it ages (as on Hacker News).
TRENDING_GRAVITY = 1.5


class Unaccent(Func):
    function = "extensions.unaccent"


def call_kinds_on() -> list[str] | None:
    """The kinds of calls whose module the commune has switched on (calls for ideas, or
    participatory budgets); None when all are."""
    on = switched_on()
    kinds = [Call.Kind.IDEA_BOX, Call.Kind.CALL] if Module.IDEAS in on else []
    if Module.BUDGETS in on:
        kinds.append(Call.Kind.BUDGET)
    return None if len(kinds) == len(Call.Kind.values) else kinds


def switched_on_calls():
    """Calls of the switched-on kinds, published or not."""
    kinds = call_kinds_on()
    return Call.objects.all() if kinds is None else Call.objects.filter(kind__in=kinds)


def published_calls():
    return switched_on_calls().filter(is_published=True)


def public_ideas():
    ideas = Idea.objects.filter(status__in=PUBLIC_STATUSES, is_hidden=False)
    kinds = call_kinds_on()
    return ideas if kinds is None else ideas.filter(call__kind__in=kinds)


def idea_list(*, call=None, sort: str = "recent", category=None, status: str | None = None,
              neighbourhood=None, query: str = ""):
    # A card needs neither the answers nor the search vector: narrow rows sort faster.
    ideas = public_ideas().select_related("category", "neighbourhood", "call").defer("answers", "search_vector")
    if call is not None:
        ideas = ideas.filter(call=call)
    if category is not None:
        ideas = ideas.filter(category=category)
    if status in Status.values and status != Status.DRAFT:
        ideas = ideas.filter(status=status)
    if neighbourhood is not None:
        ideas = ideas.filter(neighbourhood=neighbourhood)
    query = (query or "").strip()
    if query:
        search = SearchQuery(query, config=settings.SEARCH_CONFIG, search_type="websearch")
        ideas = ideas.filter(search_vector=search).annotate(rank=SearchRank(F("search_vector"), search))
        return ideas.order_by("-rank", "-published_at", "-id")
    if sort == "supported":
        return ideas.order_by("-support_count", "-published_at", "-id")
    if sort == "trending":
        hours = ExpressionWrapper(Extract(Now() - F("published_at"), "epoch") / 3600.0, output_field=FloatField())
        score = ExpressionWrapper(
            (F("support_count") - F("against_count") + F("comment_count") + 1.0)
            / Power(Greatest(hours, Value(0.0)) + 2.0, TRENDING_GRAVITY),
            output_field=FloatField(),
        )
        return ideas.annotate(trend=score).order_by("-trend", "-published_at", "-id")
    return ideas.order_by("-published_at", "-id")


def similar_ideas(*, title: str, call=None, limit: int = 5, threshold: float = 0.4):
    """Published ideas whose titles contain words like those of ``title`` (pg_trgm's
    word similarity: a few typed words match part of a long title), accents ignored."""
    title = (title or "").strip()
    if len(title) < 4:
        return Idea.objects.none()
    ideas = public_ideas()
    if call is not None:
        ideas = ideas.filter(call=call)
    return (
        ideas.annotate(similarity=TrigramWordSimilarity(Unaccent(Value(title)), Unaccent(F("title"))))
        .filter(similarity__gte=threshold)
        .select_related("call")
        .order_by("-similarity", "-support_count")[:limit]
    )


def idea_detail(*, idea_id: int, user):
    """The idea with what its page shows: images, public activity, comments and replies,
    and whether the visitor voted for or follows it."""
    events = IdeaEvent.objects.filter(is_public=True).select_related("actor")
    # Hidden comments stay in the thread as "masqué par la modération" with the reason.
    comments = (
        Comment.objects.filter(parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author")))
    )
    ideas = Idea.objects.select_related("call", "category", "neighbourhood", "author", "merged_into").prefetch_related(
        "images", Prefetch("events", queryset=events, to_attr="public_events"),
        Prefetch("comments", queryset=comments, to_attr="top_comments"),
    )
    if user.is_authenticated:
        ideas = ideas.annotate(
            my_vote=Vote.objects.filter(idea=OuterRef("pk"), voter=user).values("value")[:1],
            i_follow=Exists(Follow.objects.filter(idea=OuterRef("pk"), follower=user)),
        )
    kinds = call_kinds_on()
    if kinds is not None:
        ideas = ideas.filter(call__kind__in=kinds)
    return ideas.filter(pk=idea_id).first()


def my_contributions(*, user):
    status_events = IdeaEvent.objects.filter(kind=IdeaEvent.Kind.STATUS, is_public=True).order_by("created_at")
    ideas = (
        Idea.objects.filter(author=user)
        .select_related("call", "category")
        .prefetch_related(Prefetch("events", queryset=status_events, to_attr="status_history"))
        .order_by("-created_at")
    )
    comments = Comment.objects.filter(author=user, is_hidden=False).select_related("idea").order_by("-created_at")
    votes = Vote.objects.filter(voter=user).select_related("idea").order_by("-created_at")
    notifications = user.notifications.filter(read_at__isnull=True)[:20]
    return {"ideas": ideas, "comments": comments, "votes": votes, "notifications": list(notifications)}
