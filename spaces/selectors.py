"""Reads for the project pages, each in a fixed number of queries whatever the number of
projects or of items in them, and the cached flag behind the menu's "Projects" link.

A project shows only what the public sees elsewhere, by each module's own rules: published
calls of a switched-on kind (``ideas.selectors.published_calls``), published surveys that
have opened (``surveys.selectors.published_surveys``), news items published and due
(``news.selectors.public_articles``); nothing of a module the commune has switched off."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from civic.modules import switched_on
from ideas.models import Phase
from ideas.selectors import published_calls
from news.selectors import public_articles
from spaces.models import Space
from surveys.selectors import published_surveys
from tenants.models import Module


def public_spaces():
    return Space.objects.filter(is_published=True)


def _surveys_on() -> bool:
    return Module.SURVEYS in switched_on()


def _news_on() -> bool:
    return Module.NEWS in switched_on()


def _count(through, column: str, items):
    """How many of ``items`` a project holds: a subquery on the relation's table."""
    rows = (through.objects.filter(space=OuterRef("pk"), **{f"{column}__in": items.values("pk")})
            .order_by().values("space").annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def space_list():
    """The published projects, by position, with how many public consultations (calls and
    surveys) and news items each holds: one query."""
    none = Value(0, output_field=IntegerField())
    return (public_spaces().defer("description")
            .annotate(call_count=_count(Space.calls.through, "call", published_calls()),
                      survey_count=_count(Space.surveys.through, "survey", published_surveys())
                      if _surveys_on() else none,
                      article_count=_count(Space.articles.through, "article", public_articles())
                      if _news_on() else none)
            .order_by("position", "title", "id"))


def space_detail(*, slug: str) -> dict | None:
    """A published project and its public items: calls with their steps, surveys, news
    items (newest first)."""
    space = public_spaces().filter(slug=slug).first()
    if space is None:
        return None
    return {"space": space, **space_items(space)}


def space_items(space: Space) -> dict:
    now = timezone.now()
    calls = list(published_calls().filter(spaces=space).defer("questions")
                 .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts_at")))
                 .order_by("-created_at", "-id"))
    for call in calls:
        call.current_phase = next((phase for phase in call.phases.all() if phase.is_open(now)), None)
    surveys = list(published_surveys().filter(spaces=space).order_by("-starts_at", "-id")) if _surveys_on() else []
    for survey in surveys:
        survey.open_now = survey.is_open(now)
    articles = (list(public_articles(at=now).filter(spaces=space).defer("body").prefetch_related("categories")
                     .order_by("-publish_at", "-id")) if _news_on() else [])
    return {"calls": calls, "surveys": surveys, "articles": articles}


# --- The menu's link ----------------------------------------------------------------------------
# Every page of a commune shows "Projects" in its menu when the commune has a published
# project. Asking the database on every page would cost a query per page: the answer is
# cached per commune, with no expiry, and written by every change (spaces.services) and by
# the pages that read the projects anyway. On a miss (a cache emptied), only the home page
# asks the database again; other pages leave the link out until then.

def _flag_key() -> str:
    # The cache's key function (django_tenants.cache.make_key) prefixes the schema too.
    return f"spaces:has-published:{connection.schema_name}"


def remember_published_flag(value: bool | None = None) -> bool:
    """Store whether the current commune has a published project (asked when not given)."""
    if value is None:
        value = public_spaces().exists()
    cache.set(_flag_key(), bool(value), None)
    return bool(value)


def has_published_spaces(*, ask_on_miss: bool = False) -> bool:
    value = cache.get(_flag_key())
    if value is None:
        return remember_published_flag() if ask_on_miss else False
    return value
