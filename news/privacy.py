"""News and the privacy protocol (accounts/privacy.py).

Only agents write news: an item's ``author`` is the agent who created it, and the activity
log keeps who published or edited what. Both are the commune's publications, written as
part of the agents' work, so they are exported to the person and kept when the account is
deleted (the account row stays as an anonymous tombstone; the public pages never show an
author). Nothing else here is about a person."""

from news.models import Article, ArticleEvent


def _iso(moment):
    return moment.isoformat() if moment else None


def export(user) -> dict:
    articles = Article.objects.filter(author=user).order_by("created_at", "id")
    activity = ArticleEvent.objects.filter(actor=user).select_related("article").order_by("created_at", "id")
    return {
        "news_articles": [
            {"title": a.title, "slug": a.slug, "kind": a.kind, "status": a.status, "summary": a.summary,
             "body": a.body, "publish_at": _iso(a.publish_at), "starts_at": _iso(a.starts_at),
             "ends_at": _iso(a.ends_at), "place": a.place, "created_at": _iso(a.created_at),
             "updated_at": _iso(a.updated_at)}
            for a in articles
        ],
        "news_activity": [
            {"article": e.article.title, "event": e.kind, "from": e.from_status, "to": e.to_status,
             "note": e.note, "at": _iso(e.created_at)}
            for e in activity
        ],
    }


def forget(user) -> None:
    """Nothing to scrub: the items stay published as the commune's, their author link
    pointing at the anonymous tombstone the account becomes."""
    return None
