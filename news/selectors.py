"""Reads for the news pages and feeds, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from news.models import Article, NewsCategory


def public_articles(*, at=None):
    """What the public sees: published items whose publication date has come."""
    at = at or timezone.now()
    return Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__lte=at)


def categories():
    return NewsCategory.objects.all()


def article_list(*, category: NewsCategory | None = None, kind: str | None = None):
    """Pinned items first, then the newest; a card needs neither the body nor the author."""
    articles = public_articles().defer("body").prefetch_related("categories")
    if category is not None:
        articles = articles.filter(categories=category)
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    return articles.order_by("-is_pinned", "-publish_at", "-id")


def upcoming_events(*, limit: int = 3, at=None):
    """Published events not over yet (under way or to come), the soonest first."""
    at = at or timezone.now()
    return list(public_articles(at=at).filter(kind=Article.Kind.EVENT)
                .filter(Q(ends_at__gte=at) | Q(ends_at__isnull=True, starts_at__gte=at))
                .defer("body").order_by("starts_at", "id")[:limit])


def article_detail(*, slug: str) -> Article | None:
    return (public_articles().filter(slug=slug).select_related("related_call", "related_survey")
            .prefetch_related("categories").first())


def more_news(*, article: Article, limit: int = 3) -> list[Article]:
    return list(public_articles().exclude(pk=article.pk).defer("body").order_by("-publish_at", "-id")[:limit])


def feed_items(*, category: NewsCategory | None = None, limit: int = 20) -> list[Article]:
    """The newest public items, by publication date (pinning is for the page, not feeds)."""
    articles = public_articles().prefetch_related("categories")
    if category is not None:
        articles = articles.filter(categories=category)
    return list(articles.order_by("-publish_at", "-id")[:limit])


def latest_news(*, limit: int = 3) -> list[Article]:
    """For a block on the home page: pinned first, then the newest."""
    return list(public_articles().defer("body").prefetch_related("categories")
                .order_by("-is_pinned", "-publish_at", "-id")[:limit])
