"""The public news pages: what is shown (published items whose date has come, pinned
first), what is not (drafts, scheduled items, another commune's), filters, the upcoming
events, the feed links, and a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from news import services
from news.models import Article
from tests.news.conftest import make_article, make_category


def slugs_in_order(html: str) -> list[str]:
    return re.findall(r'class="card news-card[^"]*" data-kind="\w+" data-slug="([\w-]+)"', html)


def test_only_published_items_whose_date_has_come_are_shown(bertrix, agent, bertrix_client):
    now = timezone.now()
    make_article(bertrix, agent, "Le vote est ouvert", at=now - timedelta(days=1))
    make_article(bertrix, agent, "Brouillon secret", publish=False, at=now - timedelta(days=1))
    make_article(bertrix, agent, "Annonce programmée", at=now + timedelta(days=2))
    page = bertrix_client.get("/actualites/").content.decode()
    assert slugs_in_order(page) == ["le-vote-est-ouvert"]
    assert "Brouillon secret" not in page and "Annonce programmée" not in page
    assert bertrix_client.get("/actualites/le-vote-est-ouvert/").status_code == 200
    assert bertrix_client.get("/actualites/brouillon-secret/").status_code == 404
    assert bertrix_client.get("/actualites/annonce-programmee/").status_code == 404


def test_a_scheduled_item_appears_when_its_date_comes(bertrix, agent, bertrix_client):
    article = make_article(bertrix, agent, "Annonce programmée", at=timezone.now() + timedelta(minutes=30))
    assert bertrix_client.get("/actualites/annonce-programmee/").status_code == 404
    with tenant_context(bertrix):  # the half hour passes
        Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert bertrix_client.get("/actualites/annonce-programmee/").status_code == 200
    assert "annonce-programmee" in slugs_in_order(bertrix_client.get("/actualites/").content.decode())


def test_an_item_moved_back_to_draft_disappears(bertrix, agent, bertrix_client):
    article = make_article(bertrix, agent, "Erreur de date")
    assert bertrix_client.get("/actualites/erreur-de-date/").status_code == 200
    with tenant_context(bertrix):
        services.article_unpublish(article=article, actor=agent)
    assert bertrix_client.get("/actualites/erreur-de-date/").status_code == 404
    assert slugs_in_order(bertrix_client.get("/actualites/").content.decode()) == []


def test_pinned_items_come_first_then_the_newest(bertrix, agent, bertrix_client):
    now = timezone.now()
    make_article(bertrix, agent, "Ancienne épinglée", at=now - timedelta(days=30), pinned=True)
    make_article(bertrix, agent, "Récente", at=now - timedelta(hours=1))
    make_article(bertrix, agent, "Moins récente", at=now - timedelta(days=2))
    old = make_article(bertrix, agent, "Vieille", at=now - timedelta(days=10))
    assert slugs_in_order(bertrix_client.get("/actualites/").content.decode()) == [
        "ancienne-epinglee", "recente", "moins-recente", "vieille"]
    with tenant_context(bertrix):
        services.article_set_pinned(article=old, actor=agent, pinned=True)
    assert slugs_in_order(bertrix_client.get("/actualites/").content.decode()) == [
        "vieille", "ancienne-epinglee", "recente", "moins-recente"]


def test_filters_by_category_and_kind_and_pages(bertrix, agent, bertrix_client):
    now = timezone.now()
    budget = make_category(bertrix, agent, "Budget participatif")
    works = make_category(bertrix, agent, "Travaux")
    make_article(bertrix, agent, "Le vote est ouvert", categories=[budget], at=now - timedelta(days=1))
    make_article(bertrix, agent, "Réfection de la place", categories=[works], at=now - timedelta(days=2))
    make_article(bertrix, agent, "Séance d'information", kind="event", categories=[budget],
                 starts_at=now + timedelta(days=3), at=now - timedelta(days=3))
    page = bertrix_client.get("/actualites/", {"categorie": budget.slug}).content.decode()
    assert slugs_in_order(page) == ["le-vote-est-ouvert", "seance-dinformation"]
    # The feeds of the category are offered in the head.
    assert f'href="/actualites/flux/rss/?categorie={budget.slug}"' in page
    page = bertrix_client.get("/actualites/", {"type": "event"}).content.decode()
    assert slugs_in_order(page) == ["seance-dinformation"]
    page = bertrix_client.get("/actualites/", {"categorie": works.slug, "type": "event"}).content.decode()
    assert slugs_in_order(page) == []
    # An unknown filter shows everything.
    assert len(slugs_in_order(bertrix_client.get("/actualites/", {"categorie": "zzz", "type": "x"})
                              .content.decode())) == 3
    for number in range(12):
        make_article(bertrix, agent, f"Brève {number}", at=now - timedelta(days=10 + number))
    first = slugs_in_order(bertrix_client.get("/actualites/").content.decode())
    second = bertrix_client.get("/actualites/", {"page": 2}).content.decode()
    assert len(first) == 12 and slugs_in_order(second) == ["breve-9", "breve-10", "breve-11"]
    assert 'rel="prev"' in second and "page=1" in second


def test_the_upcoming_events_block(bertrix, agent, bertrix_client):
    now = timezone.now()
    make_article(bertrix, agent, "Séance d'information", kind="event", starts_at=now + timedelta(days=4),
                 place="Salle du conseil communal", at=now - timedelta(days=1))
    make_article(bertrix, agent, "Atelier en cours", kind="event", starts_at=now - timedelta(hours=1),
                 ends_at=now + timedelta(hours=1), at=now - timedelta(days=2))
    make_article(bertrix, agent, "Fête passée", kind="event", starts_at=now - timedelta(days=3),
                 at=now - timedelta(days=5))
    make_article(bertrix, agent, "Événement non annoncé", kind="event", starts_at=now + timedelta(days=5),
                 publish=False)
    page = bertrix_client.get("/actualites/").content.decode()
    block = page[page.index('class="news-upcoming"'):]
    block = block[:block.index("</aside>")]
    assert re.findall(r'data-slug="([\w-]+)"', block) == ["atelier-en-cours", "seance-dinformation"]
    assert "Salle du conseil communal" in block
    detail = bertrix_client.get("/actualites/seance-dinformation/").content.decode()
    assert "Salle du conseil communal" in detail and 'class="facts news-event"' in detail


def test_the_detail_page_shows_the_sanitised_text_and_links_to_the_consultation(bertrix, agent, bertrix_client):
    from surveys.models import Survey

    with tenant_context(bertrix):
        survey = Survey.objects.create(title="Comment améliorer le prochain budget ?", slug="bilan", is_published=True)
        draft_survey = Survey.objects.create(title="Enquête en préparation", slug="preparation")
    make_article(bertrix, agent, "Votre avis compte", related_survey=survey,
                 body='<p onmouseover="alert(1)">Répondez <a href="javascript:alert(2)">ici</a>'
                      '<script>alert(3)</script> <a href="/enquetes/bilan/">à l\'enquête</a></p>')
    make_article(bertrix, agent, "Bientôt une enquête", related_survey=draft_survey)
    page = bertrix_client.get("/actualites/votre-avis-compte/").content.decode()
    body = page[page.index('<div class="news-body">'):]
    body = body[:body.index("</div>")]
    assert body == ('<div class="news-body"><p>Répondez ici <a href="/enquetes/bilan/">à l&#x27;enquête</a></p>'
                    .replace("&#x27;", "'"))
    assert "alert(" not in page
    assert 'href="/enquetes/bilan/">Comment améliorer le prochain budget ?</a>' in page
    # A consultation not published yet is not linked.
    assert "/enquetes/preparation/" not in bertrix_client.get("/actualites/bientot-une-enquete/").content.decode()


def test_feed_links_in_the_head_of_the_pages(bertrix, agent, bertrix_client):
    make_article(bertrix, agent, "Le vote est ouvert")
    for path in ("/actualites/", "/actualites/le-vote-est-ouvert/"):
        head = bertrix_client.get(path).content.decode().split("</head>")[0]
        assert '<link rel="alternate" type="application/rss+xml" href="/actualites/flux/rss/"' in head
        assert '<link rel="alternate" type="application/atom+xml" href="/actualites/flux/atom/"' in head


def test_another_communes_items_are_not_found(bertrix, fleurus, agent, fleurus_agent, bertrix_client,
                                               fleurus_client):
    make_article(fleurus, fleurus_agent, "Fleurus lance sa plateforme")
    assert fleurus_client.get("/actualites/fleurus-lance-sa-plateforme/").status_code == 200
    assert bertrix_client.get("/actualites/fleurus-lance-sa-plateforme/").status_code == 404
    assert "Fleurus lance sa plateforme" not in bertrix_client.get("/actualites/").content.decode()
    # The same address may exist in both communes, each with its own item.
    make_article(bertrix, agent, "Fleurus lance sa plateforme", body="Texte de Bertrix.")
    assert "Texte de Bertrix." in bertrix_client.get("/actualites/fleurus-lance-sa-plateforme/").content.decode()
    assert "Texte de Bertrix." not in fleurus_client.get("/actualites/fleurus-lance-sa-plateforme/").content.decode()


def test_the_latest_news_block_for_the_home_page(bertrix, agent):
    from django.template import Context, Template

    now = timezone.now()
    make_article(bertrix, agent, "Épinglée", pinned=True, at=now - timedelta(days=9))
    for number in range(4):
        make_article(bertrix, agent, f"Brève {number}", at=now - timedelta(days=number + 1))
    make_article(bertrix, agent, "Programmée", at=now + timedelta(days=1))
    with tenant_context(bertrix):
        html = Template("{% load news_tags %}{% latest_news 3 %}").render(Context({}))
    assert slugs_in_order(html) == ["epinglee", "breve-0", "breve-1"]


@pytest.mark.parametrize("items", [3, 30])
def test_pages_cost_a_fixed_number_of_queries(bertrix, agent, bertrix_client, count_queries, items):
    now = timezone.now()
    categories = [make_category(bertrix, agent, name) for name in ("Budget participatif", "Travaux")]
    for number in range(items):
        make_article(bertrix, agent, f"Brève {number}", categories=categories, at=now - timedelta(hours=number + 1),
                     pinned=number == 0)
        make_article(bertrix, agent, f"Événement {number}", kind="event", categories=categories,
                     starts_at=now + timedelta(days=number + 1), place="Salle", at=now - timedelta(days=number + 1))
    with count_queries() as listing:
        assert bertrix_client.get("/actualites/").status_code == 200
    with count_queries() as filtered:
        assert bertrix_client.get("/actualites/", {"categorie": categories[0].slug, "type": "event"}).status_code == 200
    with count_queries() as detail:
        assert bertrix_client.get("/actualites/breve-1/").status_code == 200
    # Categories, count, page, its categories, upcoming events (list); the item, its categories,
    # more news (detail).
    assert (len(listing), len(filtered), len(detail)) == (5, 5, 3)
