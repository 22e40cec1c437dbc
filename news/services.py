"""Every change to news goes through here: the admin, its actions, the demo."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.covers import cover_clean
from civic.richtext import sanitise_html
from civic.text import free_slug
from ideas.rules import can_triage
from news.models import Article, ArticleEvent, NewsCategory

Status = Article.Status

# The allowed transitions, in one place: (from, to).
TRANSITIONS = {
    (Status.DRAFT, Status.PUBLISHED),
    (Status.PUBLISHED, Status.DRAFT),
}

# What an agent may set on an item (status and pinning have their own services).
EDITABLE_FIELDS = ("kind", "title", "slug", "summary", "body", "cover", "cover_alt", "publish_at", "starts_at",
                   "ends_at", "place", "related_call", "related_survey")


class NewsError(Exception):
    """A refusal, with a message for the agent."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _require_agent(actor) -> None:
    if not can_triage(actor):
        raise NewsError(_("Only the commune's agents may write news."))


def _clean(article: Article) -> None:
    article.title = article.title.strip()
    article.summary = (article.summary or "").strip()
    article.body = sanitise_html(article.body)
    article.place = (article.place or "").strip()
    if article.kind == Article.Kind.ARTICLE:
        article.starts_at = article.ends_at = None
        article.place = ""
    cover_clean(article)


@transaction.atomic
def article_create(*, actor, title: str, kind: str = Article.Kind.ARTICLE, slug: str = "", summary: str = "",
                   body: str = "", cover=None, cover_alt: str = "", publish_at: datetime | None = None,
                   starts_at: datetime | None = None, ends_at: datetime | None = None, place: str = "",
                   related_call=None, related_survey=None, categories=(), is_pinned: bool = False) -> Article:
    """A draft; ``publish_at`` is the date planned for it in the editorial calendar."""
    _require_agent(actor)
    article = Article(kind=kind, title=title, summary=summary, body=body, cover_alt=cover_alt, publish_at=publish_at,
                      starts_at=starts_at, ends_at=ends_at, place=place, related_call=related_call,
                      related_survey=related_survey, is_pinned=is_pinned, author=actor, status=Status.DRAFT)
    if cover:
        article.cover = cover
    _clean(article)
    article.slug = (slug or "").strip() or free_slug(Article, article.title, fallback="actualite")
    article.full_clean()
    article.save()
    if categories:
        article.categories.set(categories)
    ArticleEvent.objects.create(article=article, actor=actor, kind=ArticleEvent.Kind.CREATED,
                                to_status=Status.DRAFT, publish_at=publish_at)
    return article


@transaction.atomic
def article_update(*, article: Article, actor, categories=None, **fields) -> Article:
    """Change what an agent may edit (``EDITABLE_FIELDS``), and the categories when given.
    The status stays: publishing is ``article_publish``."""
    _require_agent(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if not fields and categories is None:
        return article  # saved without a change: nothing to log
    for name, value in fields.items():
        setattr(article, name, value)
    if "slug" in fields and not (article.slug or "").strip():
        article.slug = Article.objects.filter(pk=article.pk).values_list("slug", flat=True).first() or free_slug(
            Article, article.title, fallback="actualite")
    _clean(article)
    if article.status == Status.PUBLISHED and article.publish_at is None:
        article.publish_at = timezone.now()
    article.full_clean()
    # Everything _clean may have changed is saved along with the fields given.
    changed = sorted({*fields, "title", "summary", "body", "place", "starts_at", "ends_at", "cover_alt",
                      "publish_at", "updated_at"})
    if "cover" in fields:
        changed += ["cover_width", "cover_height"]
    article.save(update_fields=changed)
    if categories is not None:
        article.categories.set(categories)
    note = ", ".join(sorted([*fields, *(["categories"] if categories is not None else [])]))
    ArticleEvent.objects.create(article=article, actor=actor, kind=ArticleEvent.Kind.EDITED, note=note[:300])
    return article


def _transition(article: Article, to_status: str) -> None:
    if (article.status, to_status) not in TRANSITIONS:
        raise NewsError(_("This item cannot go from “%(from)s” to “%(to)s”.") % {
            "from": Status(article.status).label, "to": Status(to_status).label})


@transaction.atomic
def article_publish(*, article: Article, actor, at: datetime | None = None) -> Article:
    """Publish a draft, now or at ``at`` (or at its planned date when that is still to
    come): until then the item stays out of the pages and feeds. Publishing twice (a double
    click) publishes once."""
    _require_agent(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Status.PUBLISHED:
        return article
    _transition(article, Status.PUBLISHED)
    if not article.title.strip():
        raise NewsError(_("Give the item a title before publishing it."))
    if not article.summary.strip() and not article.body.strip():
        raise NewsError(_("Write a summary or a text before publishing this item."))
    if article.kind == Article.Kind.EVENT and article.starts_at is None:
        raise NewsError(_("An event needs a start date."))
    now = timezone.now()
    if at is None:
        at = article.publish_at if article.publish_at and article.publish_at > now else now
    article.status, article.publish_at = Status.PUBLISHED, at
    article.save(update_fields=["status", "publish_at", "updated_at"])
    ArticleEvent.objects.create(article=article, actor=actor, kind=ArticleEvent.Kind.PUBLISHED,
                                from_status=Status.DRAFT, to_status=Status.PUBLISHED, publish_at=at)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, actor) -> Article:
    """Back to draft: out of the pages and feeds at once. The date stays as the planned one."""
    _require_agent(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Status.DRAFT:
        return article
    _transition(article, Status.DRAFT)
    article.status = Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    ArticleEvent.objects.create(article=article, actor=actor, kind=ArticleEvent.Kind.UNPUBLISHED,
                                from_status=Status.PUBLISHED, to_status=Status.DRAFT)
    return article


@transaction.atomic
def article_set_pinned(*, article: Article, actor, pinned: bool) -> Article:
    """Pinned items come first in the list, before the newest."""
    _require_agent(actor)
    if article.is_pinned == pinned:
        return article
    article.is_pinned = pinned
    article.save(update_fields=["is_pinned", "updated_at"])
    ArticleEvent.objects.create(article=article, actor=actor,
                                kind=ArticleEvent.Kind.PINNED if pinned else ArticleEvent.Kind.UNPINNED)
    return article


@transaction.atomic
def article_delete(*, article: Article, actor) -> None:
    _require_agent(actor)
    article.delete()


def category_get_or_create(*, actor, name: str, position: int = 0) -> NewsCategory:
    """The category called ``name``, created with a free slug when it does not exist yet."""
    _require_agent(actor)
    category = NewsCategory.objects.filter(name__iexact=name.strip()).first()
    if category is None:
        category = NewsCategory(name=name.strip(), position=position,
                                slug=free_slug(NewsCategory, name, fallback="categorie"))
        try:
            category.full_clean()
        except ValidationError as error:
            raise NewsError("; ".join(error.messages)) from None
        category.save()
    return category
