"""``{% load news_tags %}{% latest_news 3 %}``: the latest news, for the home page."""

from django import template

from news import selectors

register = template.Library()


@register.inclusion_tag("news/includes/latest_news.html")
def latest_news(limit: int = 3):
    return {"articles": selectors.latest_news(limit=limit)}


@register.inclusion_tag("news/includes/feed_links.html", takes_context=True)
def news_feed_links(context, category=None):
    """The ``<link rel="alternate">`` of the news feeds, for a page's head."""
    return {"category": category, "commune": context.get("commune")}
