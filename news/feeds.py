"""RSS 2.0 and Atom feeds of the commune's news (seed 003: "Widget RSS"), optionally of one
category (``?categorie=<slug>``). Only published items whose date has come; every address
is absolute, on the commune's primary domain."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from news import selectors
from news.models import Article, NewsCategory
from civic.richtext import html_to_text
from tenants.models import site_url

ITEMS = 20


@dataclass
class FeedSubject:
    base: str  # "https://www.fleurus.be", no trailing slash
    commune: str
    category: NewsCategory | None


def commune_base_url(request) -> str:
    """The commune's own address (its primary domain), or the one the request came on."""
    domain = request.tenant.primary_domain
    if domain:
        return site_url(domain).rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")


class NewsFeed(Feed):
    def get_object(self, request, *args, **kwargs) -> FeedSubject:
        category = None
        slug = request.GET.get("categorie")
        if slug:
            category = NewsCategory.objects.filter(slug=slug).first()
            if category is None:
                raise ObjectDoesNotExist
        return FeedSubject(base=commune_base_url(request), commune=request.tenant.name, category=category)

    def title(self, subject: FeedSubject) -> str:
        if subject.category is not None:
            return _("News of %(commune)s: %(category)s") % {"commune": subject.commune,
                                                             "category": subject.category.name}
        return _("News of %(commune)s") % {"commune": subject.commune}

    def description(self, subject: FeedSubject) -> str:
        return _("Articles and events of citizen participation in %(commune)s.") % {"commune": subject.commune}

    subtitle = description

    def link(self, subject: FeedSubject) -> str:
        path = reverse("news:list")
        if subject.category is not None:
            path += f"?categorie={subject.category.slug}"
        return subject.base + path

    def feed_url(self, subject: FeedSubject) -> str:
        path = reverse(self.url_name)
        if subject.category is not None:
            path += f"?categorie={subject.category.slug}"
        return subject.base + path

    def items(self, subject: FeedSubject) -> list[Article]:
        items = selectors.feed_items(category=subject.category, limit=ITEMS)
        for item in items:
            item.absolute_url = subject.base + item.get_absolute_url()
        return items

    def item_link(self, item: Article) -> str:
        return item.absolute_url

    def item_guid(self, item: Article) -> str:
        return item.absolute_url

    def item_description(self, item: Article) -> str:
        # Readers show descriptions as HTML: the plain text is escaped.
        text = item.summary or Truncator(html_to_text(item.body)).words(60)
        return escape(text)

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item: Article) -> list[str]:
        return [category.name for category in item.categories.all()]


class RssNewsFeed(NewsFeed):
    url_name = "news:rss"


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    url_name = "news:atom"
