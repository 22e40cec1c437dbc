"""RSS and Atom feeds: valid XML, the commune's own published items only (never drafts,
scheduled items or another commune's), absolute addresses on the commune's domain."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.news.conftest import make_article, make_category

ATOM = "{http://www.w3.org/2005/Atom}"


def rss(client, path="/actualites/flux/rss/", **params):
    response = client.get(path, params)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content)


def atom(client, **params):
    response = client.get("/actualites/flux/atom/", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


@pytest.fixture
def news(bertrix, agent):
    now = timezone.now()
    budget = make_category(bertrix, agent, "Budget participatif")
    make_article(bertrix, agent, "Le vote est ouvert", categories=[budget], at=now - timedelta(hours=2),
                 summary="Composez votre panier <avant> le 30 juin.")
    make_article(bertrix, agent, "Épinglée mais ancienne", pinned=True, at=now - timedelta(days=20),
                 summary="", body="<p>Un texte <strong>sans</strong> résumé.</p>")
    make_article(bertrix, agent, "Brouillon", publish=False, at=now - timedelta(days=1))
    make_article(bertrix, agent, "Programmée", at=now + timedelta(hours=1))
    return budget


def test_rss_lists_the_published_items_newest_first_with_absolute_links(bertrix_client, news):
    channel = rss(bertrix_client).find("channel")
    assert channel.findtext("link") == "http://bertrix.localhost/actualites/"
    assert "Bertrix" in channel.findtext("title")
    items = channel.findall("item")
    # By publication date: pinning is for the page, not the feed.
    assert [item.findtext("title") for item in items] == ["Le vote est ouvert", "Épinglée mais ancienne"]
    assert [item.findtext("link") for item in items] == [
        "http://bertrix.localhost/actualites/le-vote-est-ouvert/",
        "http://bertrix.localhost/actualites/epinglee-mais-ancienne/"]
    assert items[0].findtext("guid") == items[0].findtext("link")
    assert items[0].findtext("category") == "Budget participatif"
    # The description is escaped text; without a summary, the start of the text.
    assert items[0].findtext("description") == "Composez votre panier &lt;avant&gt; le 30 juin."
    assert items[1].findtext("description") == "Un texte sans résumé."
    assert items[0].findtext("pubDate")


def test_atom_lists_the_same_items(bertrix_client, news):
    feed = atom(bertrix_client)
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://bertrix.localhost/actualites/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://bertrix.localhost/actualites/flux/atom/"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Le vote est ouvert", "Épinglée mais ancienne"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://bertrix.localhost/actualites/le-vote-est-ouvert/"
    assert entries[0].findtext(f"{ATOM}published") and entries[0].findtext(f"{ATOM}updated")


def test_a_feed_per_category(bertrix, agent, bertrix_client, news):
    other = make_category(bertrix, agent, "Travaux")
    make_article(bertrix, agent, "Réfection de la place", categories=[other])
    channel = rss(bertrix_client, categorie=news.slug).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["Le vote est ouvert"]
    assert channel.findtext("link") == f"http://bertrix.localhost/actualites/?categorie={news.slug}"
    assert bertrix_client.get("/actualites/flux/rss/", {"categorie": "inconnue"}).status_code == 404


def test_feeds_hold_only_the_communes_own_items(bertrix, fleurus, agent, fleurus_agent, bertrix_client,
                                                fleurus_client, news):
    make_article(fleurus, fleurus_agent, "Fleurus lance sa plateforme")
    bertrix_titles = [i.findtext("title") for i in rss(bertrix_client).find("channel").findall("item")]
    fleurus_channel = rss(fleurus_client).find("channel")
    assert "Fleurus lance sa plateforme" not in bertrix_titles
    assert [i.findtext("title") for i in fleurus_channel.findall("item")] == ["Fleurus lance sa plateforme"]
    assert fleurus_channel.find("item").findtext("link") == (
        "http://fleurus.localhost/actualites/fleurus-lance-sa-plateforme/")
    entries = atom(fleurus_client).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Fleurus lance sa plateforme"]


def test_links_use_the_communes_primary_domain(bertrix, agent, news):
    from django.test import Client

    from tenants.models import Domain

    Domain.objects.create(domain="participer.bertrix.example", tenant=bertrix, is_primary=False)
    channel = rss(Client(HTTP_HOST="participer.bertrix.example")).find("channel")
    assert channel.find("item").findtext("link") == "http://bertrix.localhost/actualites/le-vote-est-ouvert/"


def test_titles_with_markup_stay_text(bertrix, agent, bertrix_client):
    make_article(bertrix, agent, "<script>alert(1)</script> & co")
    item = rss(bertrix_client).find("channel").find("item")
    assert item.findtext("title") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert b"<script>" not in bertrix_client.get("/actualites/flux/rss/").content


@pytest.mark.parametrize("items", [3, 30])
def test_feeds_cost_a_fixed_number_of_queries(bertrix, agent, bertrix_client, count_queries, items):
    category = make_category(bertrix, agent, "Budget participatif")
    for number in range(items):
        make_article(bertrix, agent, f"Brève {number}", categories=[category],
                     at=timezone.now() - timedelta(hours=number + 1))
    with count_queries() as rss_queries:
        rss(bertrix_client)
    with count_queries() as atom_queries:
        atom(bertrix_client, categorie=category.slug)
    # The commune's primary domain, the items, their categories (+ the category).
    assert (len(rss_queries), len(atom_queries)) == (3, 4)
