"""The agents' admin for news: writing, checking the cover image, publishing now or later,
preview, actions, and who may do any of it (agents of the commune only)."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from news import services
from news.models import Article, ArticleEvent
from tests.conftest import create_citizen, log_in
from tests.news.conftest import image_upload, make_article, make_category

ADD = "/admin/news/article/add/"
CHANGELIST = "/admin/news/article/"


def form_data(**fields):
    data = {"kind": "article", "title": "", "slug": "", "summary": "", "body": "", "cover_alt": "",
            "publish_at_0": "", "publish_at_1": "", "starts_at_0": "", "starts_at_1": "", "ends_at_0": "",
            "ends_at_1": "", "place": "", "related_call": "", "related_survey": ""}
    data.update(fields)
    return data


def inline_fields(page: str) -> dict:
    """The hidden fields of the read-only activity inline, as the browser sends them back."""
    return {name: value for name, value in re.findall(r'name="(events-[\w-]+)"[^>]*?value="([^"]*)"', page)}


def errors_of(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S))


def test_an_agent_writes_and_publishes_an_item(bertrix, agent, bertrix_client):
    category = make_category(bertrix, agent, "Budget participatif")
    client = log_in(bertrix_client, bertrix, agent)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, form_data(
        title="Le vote est ouvert !", summary="Composez votre panier.", categories=[category.pk],
        body='<h1>Comment voter</h1><p onclick="alert(1)">Rendez-vous <a href="javascript:alert(2)">ici</a>'
             '<script>alert(3)</script> sur <a href="/budgets/">la page du budget</a>.</p>',
        cover=image_upload(), cover_alt="Des enfants sur l'aire de jeu inclusive", _publish="1"))
    assert response.status_code == 302, errors_of(response)
    with tenant_context(bertrix):
        article = Article.objects.get()
        assert article.slug == "le-vote-est-ouvert" and article.author == agent
        assert article.status == "published" and article.publish_at <= timezone.now()
        assert article.body == ('<h2>Comment voter</h2><p>Rendez-vous ici sur '
                                '<a href="/budgets/">la page du budget</a>.</p>')
        assert list(article.categories.all()) == [category]
        assert (article.cover_width, article.cover_height) == (12, 8)
        assert list(ArticleEvent.objects.filter(article=article).order_by("id").values_list("kind", flat=True)) == [
            "created", "published"]
    page = bertrix_client.get("/actualites/le-vote-est-ouvert/").content.decode()
    assert f'src="{article.cover.url}" alt="Des enfants sur l&#x27;aire de jeu inclusive"' in page
    assert "alert(" not in page


def test_editing_sanitises_again_and_is_logged(bertrix, agent, bertrix_client):
    article = make_article(bertrix, agent, "Travaux rue de la Gare", body="<p>Premier texte.</p>")
    client = log_in(bertrix_client, bertrix, agent)
    change = f"/admin/news/article/{article.pk}/change/"
    page = client.get(change).content.decode()
    assert 'data-news-toolbar' in page and f"/admin/news/article/{article.pk}/apercu/" in page
    response = client.post(change, form_data(
        title="Travaux rue de la Gare", slug="travaux-rue-de-la-gare", summary="Déviation jusqu'au 30 juin.",
        body='<p style="color:red">Texte <img src=x onerror=alert(1)>corrigé.</p>',
        publish_at_0=timezone.localtime(article.publish_at).strftime("%d/%m/%Y"),
        publish_at_1=timezone.localtime(article.publish_at).strftime("%H:%M:%S"), **inline_fields(page)))
    assert response.status_code == 302, errors_of(response)
    with tenant_context(bertrix):
        article.refresh_from_db()
        assert article.body == "<p>Texte corrigé.</p>" and article.status == "published"
        edit = ArticleEvent.objects.get(article=article, kind="edited")
        assert "body" in edit.note and "summary" in edit.note and edit.actor == agent


@pytest.mark.parametrize("upload,message", [
    (lambda: image_upload("anime.gif", "GIF"), "JPEG"),
    (lambda: SimpleUploadedFile("faux.png", b"<?php echo 1; ?>" * 10, content_type="image/png"), "image"),
    (lambda: SimpleUploadedFile("enorme.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 1),
                                content_type="image/png"), "image"),
])
def test_cover_images_are_checked(bertrix, agent, bertrix_client, upload, message):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post(ADD, form_data(title="Avec image", cover=upload(), cover_alt="Une image"))
    assert response.status_code == 200 and message.lower() in errors_of(response).lower()
    with tenant_context(bertrix):
        assert not Article.objects.exists()


def test_a_cover_needs_a_description(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post(ADD, form_data(title="Avec image", cover=image_upload()))
    assert response.status_code == 200 and errors_of(response)
    with tenant_context(bertrix):
        assert not Article.objects.exists()


def test_the_service_checks_images_too(bertrix, agent):
    with tenant_context(bertrix):
        with pytest.raises(ValidationError):
            services.article_create(actor=agent, title="GIF", cover=image_upload("x.gif", "GIF"), cover_alt="x")
        article = services.article_create(actor=agent, title="WebP", cover=image_upload("x.webp", "WEBP"),
                                          cover_alt="Une image")
        assert article.cover.name.endswith(".webp")


def test_an_item_published_for_later_waits(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    later = timezone.localtime(timezone.now() + timedelta(days=3))
    response = client.post(ADD, form_data(title="Dernière semaine pour voter", summary="Plus que sept jours.",
                                          publish_at_0=later.strftime("%d/%m/%Y"), publish_at_1="09:00:00",
                                          _publish="1"))
    assert response.status_code == 302, errors_of(response)
    with tenant_context(bertrix):
        article = Article.objects.get()
        assert article.status == "published" and article.state() == "scheduled"
    assert 'data-state="scheduled"' in client.get(CHANGELIST).content.decode()
    anonymous = bertrix_client.__class__(HTTP_HOST="bertrix.localhost")
    assert anonymous.get("/actualites/derniere-semaine-pour-voter/").status_code == 404
    assert "Dernière semaine" not in anonymous.get("/actualites/flux/rss/").content.decode()


def test_an_event_needs_its_dates(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post(ADD, form_data(kind="event", title="Séance d'information", summary="Entrée libre."))
    assert response.status_code == 200 and errors_of(response)
    response = client.post(ADD, form_data(kind="event", title="Séance d'information", summary="Entrée libre.",
                                          starts_at_0="05/03/2031", starts_at_1="19:00:00",
                                          ends_at_0="05/03/2031", ends_at_1="18:00:00"))
    assert response.status_code == 200 and errors_of(response)
    response = client.post(ADD, form_data(kind="event", title="Séance d'information", summary="Entrée libre.",
                                          starts_at_0="05/03/2031", starts_at_1="19:00:00",
                                          ends_at_0="05/03/2031", ends_at_1="21:00:00", place="Salle du conseil"))
    assert response.status_code == 302, errors_of(response)


def test_the_preview_shows_drafts_to_agents_only(bertrix, agent, analyst, citizen, bertrix_client):
    article = make_article(bertrix, agent, "Brouillon du bilan", publish=False, body="<p>Texte en cours.</p>")
    url = f"/admin/news/article/{article.pk}/apercu/"
    page = log_in(bertrix_client, bertrix, agent).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Texte en cours." in html and '<meta name="robots" content="noindex">' in html
    assert log_in(bertrix_client.__class__(HTTP_HOST="bertrix.localhost"), bertrix, analyst).get(url).status_code == 404
    assert log_in(bertrix_client.__class__(HTTP_HOST="bertrix.localhost"), bertrix, citizen).get(url).status_code == 302
    assert bertrix_client.__class__(HTTP_HOST="bertrix.localhost").get(url).status_code == 302


def test_actions_publish_pin_and_move_back_to_draft(bertrix, agent, bertrix_client):
    first = make_article(bertrix, agent, "Premier", publish=False)
    second = make_article(bertrix, agent, "Second", publish=False, summary="", body="")  # nothing to publish
    client = log_in(bertrix_client, bertrix, agent)
    ids = [str(first.pk), str(second.pk)]
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": ids})
    client.post(CHANGELIST, {"action": "pin_selected", "_selected_action": [str(first.pk)]})
    with tenant_context(bertrix):
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.status, first.is_pinned, second.status) == ("published", True, "draft")
    client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": ids})
    with tenant_context(bertrix):
        first.refresh_from_db()
        assert first.status == "draft"
        assert list(first.events.order_by("id").values_list("kind", flat=True)) == [
            "created", "published", "pinned", "unpublished"]


def test_publishing_twice_publishes_once_and_transitions_are_guarded(bertrix, agent):
    article = make_article(bertrix, agent, "Une fois", publish=False)
    with tenant_context(bertrix):
        services.article_publish(article=article, actor=agent)
        services.article_publish(article=article, actor=agent)
        assert article.events.filter(kind="published").count() == 1
        empty = services.article_create(actor=agent, title="Sans contenu")
        with pytest.raises(services.NewsError):
            services.article_publish(article=empty, actor=agent)


def test_only_agents_may_write(bertrix, agent, analyst, citizen):
    article = make_article(bertrix, agent, "Article")
    with tenant_context(bertrix):
        for person in (citizen, analyst):
            with pytest.raises(services.NewsError):
                services.article_create(actor=person, title="Intrus")
            with pytest.raises(services.NewsError):
                services.article_unpublish(article=article, actor=person)
            with pytest.raises(services.NewsError):
                services.article_update(article=article, actor=person, title="Changé")


def test_citizens_and_other_staff_get_no_news_admin(bertrix, agent, analyst, citizen, bertrix_client):
    article = make_article(bertrix, agent, "Article")
    citizen_client = log_in(bertrix_client.__class__(HTTP_HOST="bertrix.localhost"), bertrix, citizen)
    for url in (CHANGELIST, ADD, f"/admin/news/article/{article.pk}/change/", "/admin/news/article/calendrier/",
                "/admin/news/newscategory/"):
        assert citizen_client.get(url).status_code == 302, url  # to the admin's login page
    analyst_client = log_in(bertrix_client, bertrix, analyst)
    for url in (CHANGELIST, ADD, f"/admin/news/article/{article.pk}/change/", "/admin/news/newscategory/"):
        assert analyst_client.get(url).status_code == 403, url
    assert analyst_client.get("/admin/news/article/calendrier/").status_code == 404
    assert "/admin/news/" not in analyst_client.get("/admin/").content.decode()
    assert analyst_client.post(ADD, form_data(title="Intrus")).status_code == 403
    with tenant_context(bertrix):
        assert Article.objects.count() == 1


def test_another_communes_agent_sees_nothing(bertrix, fleurus, agent, fleurus_agent, bertrix_client, fleurus_client):
    article = make_article(bertrix, agent, "Budget participatif de Bertrix")
    make_article(fleurus, fleurus_agent, "Fleurus lance sa plateforme")
    theirs = log_in(fleurus_client, fleurus, fleurus_agent)
    listing = theirs.get(CHANGELIST).content.decode()
    assert "Fleurus lance sa plateforme" in listing and "Budget participatif de Bertrix" not in listing
    other = theirs.get(f"/admin/news/article/{article.pk}/change/")
    assert other.status_code in (200, 302) and "Budget participatif de Bertrix" not in other.content.decode()
    assert "Budget participatif de Bertrix" not in theirs.get("/admin/news/article/calendrier/").content.decode()
    # Their Fleurus session means nothing on Bertrix.
    crossing = log_in(bertrix_client, fleurus, fleurus_agent)
    assert crossing.get(CHANGELIST).status_code == 302
    assert crossing.get(f"/admin/news/article/{article.pk}/apercu/").status_code == 302


def test_categories_are_managed_by_agents(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post("/admin/news/newscategory/add/", {"name": "Mobilité", "slug": "mobilite", "position": 1})
    assert response.status_code == 302
    assert "Mobilité" in client.get(ADD).content.decode()


def test_a_citizen_account_is_not_an_author(bertrix, bertrix_client):
    person = create_citizen(bertrix, "marie@bertrix.example")
    assert log_in(bertrix_client, bertrix, person).get(ADD).status_code == 302
