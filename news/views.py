"""The public news pages: the list (pinned first, then the newest; by category and kind;
with the upcoming events) and one item. Drafts and scheduled items are not found here:
agents see them in the admin's preview."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from news import selectors
from news.models import Article

PAGE_SIZE = 12


def article_list(request):
    categories = list(selectors.categories())
    category = next((c for c in categories if c.slug == request.GET.get("categorie")), None)
    kind = request.GET.get("type")
    kind = kind if kind in Article.Kind.values else None
    articles = selectors.article_list(category=category, kind=kind)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "news/article_list.html", {
        "page": page, "categories": categories, "category": category, "kind": kind, "kinds": Article.Kind.choices,
        "query": query.urlencode(), "upcoming": selectors.upcoming_events(limit=3),
        "filtered": category is not None or kind is not None,
    })


def article_detail(request, slug):
    article = selectors.article_detail(slug=slug)
    if article is None:
        raise Http404
    return render(request, "news/article_detail.html", {
        "article": article, "more": selectors.more_news(article=article),
    })
