"""The demo news (seed 004 for Fleurus, budgets for Bertrix) load twice without duplicates;
an agent's data export lists the items they wrote, and deleting their account leaves them."""

import re

from django.utils import timezone
from django_tenants.utils import tenant_context

from news import demo, privacy
from news.models import Article, ArticleEvent
from tests.news.conftest import make_article


def test_the_fleurus_demo_follows_seed_004_and_loads_once(fleurus, fleurus_agent, fleurus_client):
    with tenant_context(fleurus):
        demo.LOADERS["fleurus"](password="x")
        first = Article.objects.count()
        demo.LOADERS["fleurus"](password="x")
        assert Article.objects.count() == first == len(demo.fleurus_items())
        launch = Article.objects.get(slug="lancement-de-la-plateforme")
        assert launch.is_pinned and launch.state() == "published" and "Co-construction" in launch.body
        states = {a.slug: a.state() for a in Article.objects.all()}
        assert states["premiers-chiffres-de-la-participation"] == "scheduled"
        assert states["semaine-de-la-mobilite"] == "draft" and states["runnin-city-le-saviez-vous"] == "draft"
        event = Article.objects.get(kind="event")
        assert event.starts_at > timezone.now() and event.place
    page = fleurus_client.get("/actualites/").content.decode()
    slugs = re.findall(r'data-slug="([\w-]+)"', page)
    assert slugs[0] == "lancement-de-la-plateforme"
    assert "premiers-chiffres-de-la-participation" not in slugs and "semaine-de-la-mobilite" not in slugs
    assert fleurus_client.get("/actualites/premiers-chiffres-de-la-participation/").status_code == 404
    launch_page = fleurus_client.get("/actualites/lancement-de-la-plateforme/").content.decode()
    assert "<strong>Transparence</strong>" in launch_page


def test_the_bertrix_demo_loads_without_budgets_too(bertrix, agent, bertrix_client):
    with tenant_context(bertrix):
        demo.LOADERS["bertrix"](password="x")
        demo.LOADERS["bertrix"](password="x")
        assert Article.objects.count() == len(demo.bertrix_items())
        pinned = Article.objects.get(is_pinned=True)
        assert pinned.related_call is None  # no budget in this commune yet: no link
    assert bertrix_client.get("/actualites/budget-participatif-2021-le-vote-est-ouvert/").status_code == 200


def test_the_bertrix_demo_links_to_its_budget(bertrix, agent, bertrix_client):
    from datetime import timedelta

    from ideas.models import Call, Phase

    now = timezone.now()
    with tenant_context(bertrix):
        call = Call.objects.create(title="Budget participatif 2021", slug="budget-participatif-2021", kind="budget",
                                   is_published=True)
        vote = Phase.objects.create(call=call, kind="vote", starts_at=now - timedelta(days=5),
                                    ends_at=now + timedelta(days=21))
        demo.LOADERS["bertrix"](password="x")
        pinned = Article.objects.get(is_pinned=True)
        assert pinned.related_call == call and pinned.publish_at == vote.starts_at
        last_week = Article.objects.get(slug="derniere-semaine-pour-voter")
        assert last_week.publish_at == vote.ends_at - timedelta(days=7) and last_week.state() == "scheduled"
    page = bertrix_client.get(f"/actualites/{pinned.slug}/").content.decode()
    assert 'href="/budgets/budget-participatif-2021/"' in page


def test_export_lists_the_agents_items_and_forget_keeps_them(bertrix, agent, citizen):
    article = make_article(bertrix, agent, "Le vote est ouvert", body="<p>Texte.</p>")
    with tenant_context(bertrix):
        data = privacy.export(agent)
        assert [a["title"] for a in data["news_articles"]] == ["Le vote est ouvert"]
        assert data["news_articles"][0]["status"] == "published" and data["news_articles"][0]["body"] == "<p>Texte.</p>"
        assert [e["event"] for e in data["news_activity"]] == ["created", "published"]
        assert privacy.export(citizen) == {"news_articles": [], "news_activity": []}
        import json

        json.dumps(data)  # serialisable as it is
        privacy.forget(agent)
        article.refresh_from_db()
        assert article.author == agent and article.state() == "published"
        assert ArticleEvent.objects.filter(article=article).count() == 2


def test_the_privacy_module_is_found_by_the_protocol():
    from accounts.privacy import privacy_modules

    assert "news" in dict(privacy_modules())
