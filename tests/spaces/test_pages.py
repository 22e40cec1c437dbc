"""The public project pages: a project shows exactly what is public elsewhere (published
calls, surveys that have opened, news items published and due) and never a draft; unknown,
unpublished and other communes' projects answer 404; the menu links to the projects only
when one is published; each page costs a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import tenant_context

from ideas.models import Call, Phase
from spaces import selectors
from tenants.models import Commune, Module
from tests.ideas.conftest import make_call
from tests.news.conftest import make_article
from tests.spaces.conftest import make_plain_survey, make_space
from tests.conftest import change_commune

LINK = 'href="/projets/"'


def relate(commune, space, *, calls=(), surveys=(), articles=()):
    with tenant_context(commune):
        space.calls.add(*calls)
        space.surveys.add(*surveys)
        space.articles.add(*articles)


@pytest.fixture
def full_space(bertrix, agent):
    """A project holding, of each kind, what the public sees and what it must not."""
    now = timezone.now()
    calls = [make_call(bertrix, slug="velo", title="Des idées pour le vélo"),
             make_call(bertrix, slug="brouillon", title="Appel en préparation"),
             make_call(bertrix, slug="budget-velo", title="Budget vélo")]
    with tenant_context(bertrix):
        Call.objects.filter(pk=calls[1].pk).update(is_published=False)
        Call.objects.filter(pk=calls[2].pk).update(kind=Call.Kind.BUDGET)
        Phase.objects.filter(call=calls[2]).update(kind=Phase.Kind.VOTE)
    surveys = [make_plain_survey(bertrix, "trajets", title="Vos trajets", closes_in_days=10),
               make_plain_survey(bertrix, "pistes", title="Les pistes cyclables", opened_days_ago=30,
                                 closes_in_days=-5),
               make_plain_survey(bertrix, "cachee", title="Enquête non publiée", published=False),
               make_plain_survey(bertrix, "bientot", title="Enquête à venir", opened_days_ago=-3)]
    articles = [make_article(bertrix, agent, "Ancienne brève", at=now - timedelta(days=5)),
                make_article(bertrix, agent, "Nouvelle brève", at=now - timedelta(hours=1)),
                make_article(bertrix, agent, "Brève en brouillon", publish=False),
                make_article(bertrix, agent, "Brève programmée", at=now + timedelta(days=2))]
    space = make_space(bertrix, agent, "Mobilité douce", description="<p>Se déplacer autrement.</p>")
    relate(bertrix, space, calls=calls, surveys=surveys, articles=articles)
    return space


def test_a_project_shows_exactly_its_public_items(bertrix, full_space, bertrix_client):
    response = bertrix_client.get("/projets/mobilite-douce/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Mobilité douce</h1>" in page and "<p>Se déplacer autrement.</p>" in page
    for shown in ("Des idées pour le vélo", "Budget vélo", "Vos trajets", "Les pistes cyclables",
                  "Ancienne brève", "Nouvelle brève"):
        assert shown in page, shown
    for hidden in ("Appel en préparation", "Enquête non publiée", "Enquête à venir", "Brève en brouillon",
                   "Brève programmée"):
        assert hidden not in page, hidden
    # Where each item leads, its step, the surveys' state, the news newest first.
    assert 'href="/participer/appels/velo/"' in page and 'href="/budgets/budget-velo/"' in page
    assert 'data-call="velo" data-phase="submission"' in page and 'data-call="budget-velo" data-phase="vote"' in page
    assert 'data-survey="trajets" data-state="open"' in page and 'data-survey="pistes" data-state="closed"' in page
    assert page.index("Nouvelle brève") < page.index("Ancienne brève")


def test_the_list_shows_published_projects_with_their_counts(bertrix, agent, full_space, bertrix_client):
    make_space(bertrix, agent, "Centre-ville 2030", position=0)
    make_space(bertrix, agent, "Projet en préparation", published=False)
    with tenant_context(bertrix):
        type(full_space).objects.filter(pk=full_space.pk).update(position=1)
    page = bertrix_client.get("/projets/").content.decode()
    assert "Projet en préparation" not in page
    assert page.index("Centre-ville 2030") < page.index("Mobilité douce")
    # Two published calls and two surveys that have opened; two news items published and due.
    assert 'data-slug="mobilite-douce" data-consultations="4" data-news="2"' in page
    assert 'data-slug="centre-ville-2030" data-consultations="0" data-news="0"' in page


def test_a_module_switched_off_leaves_its_items_out(bertrix, full_space, bertrix_client):
    modules = [m for m in Module.values if m not in (Module.NEWS, Module.SURVEYS, Module.BUDGETS)]
    change_commune(bertrix, modules=modules)
    page = bertrix_client.get("/projets/mobilite-douce/").content.decode()
    assert "Des idées pour le vélo" in page
    for hidden in ("Budget vélo", "Vos trajets", "Nouvelle brève"):
        assert hidden not in page, hidden
    assert 'data-consultations="1" data-news="0"' in bertrix_client.get("/projets/").content.decode()


def test_unknown_and_unpublished_projects_are_not_found(bertrix, agent, bertrix_client):
    make_space(bertrix, agent, "En préparation", published=False)
    assert bertrix_client.get("/projets/en-preparation/").status_code == 404
    assert bertrix_client.get("/projets/inconnu/").status_code == 404
    assert "En préparation" not in bertrix_client.get("/projets/").content.decode()


def test_another_communes_project_is_not_found(bertrix, fleurus, fleurus_agent, bertrix_client, fleurus_client):
    make_space(fleurus, fleurus_agent, "Centre-ville 2030")
    assert fleurus_client.get("/projets/centre-ville-2030/").status_code == 200
    assert bertrix_client.get("/projets/centre-ville-2030/").status_code == 404
    assert "Centre-ville 2030" not in bertrix_client.get("/projets/").content.decode()
    assert LINK not in bertrix_client.get("/").content.decode()


def test_the_description_is_sanitised(bertrix, agent, bertrix_client):
    space = make_space(bertrix, agent, "Centre-ville", description='<p onclick="x()">Le <script>alert(1)</script>'
                                                                   'centre <a href="javascript:alert(2)">ici</a></p>')
    assert space.description == "<p>Le centre ici</p>"
    from spaces import services

    with tenant_context(bertrix):
        services.space_update(space=space, actor=agent, description="<p>Neuf<script>alert(3)</script></p>")
        space.refresh_from_db()
    assert space.description == "<p>Neuf</p>"
    page = bertrix_client.get("/projets/centre-ville/").content.decode()
    assert "alert(" not in page and "<p>Neuf</p>" in page


# --- The menu's link ----------------------------------------------------------------------------

def test_the_menu_links_to_projects_only_when_one_is_published(bertrix, agent, bertrix_client):
    assert LINK not in bertrix_client.get("/enquetes/").content.decode()
    space = make_space(bertrix, agent, "Mobilité douce", published=False)
    assert LINK not in bertrix_client.get("/enquetes/").content.decode()
    from spaces import services

    with tenant_context(bertrix):
        services.space_update(space=space, actor=agent, is_published=True)
    assert LINK in bertrix_client.get("/enquetes/").content.decode()
    assert LINK in bertrix_client.get("/").content.decode()
    with tenant_context(bertrix):
        services.space_delete(space=space, actor=agent)
    assert LINK not in bertrix_client.get("/enquetes/").content.decode()


def test_the_link_costs_no_query_and_the_home_page_asks_again_when_the_cache_is_lost(
        bertrix, agent, bertrix_client, count_queries):
    make_space(bertrix, agent, "Mobilité douce")
    with count_queries() as warm:
        assert LINK in bertrix_client.get("/enquetes/").content.decode()
    with tenant_context(bertrix):
        cache.delete(selectors._flag_key())  # as when the cache is emptied or evicts it
    with count_queries() as lost:
        assert LINK not in bertrix_client.get("/enquetes/").content.decode()
    assert len(lost) == len(warm)  # a page other than home never asks
    with count_queries() as home:
        assert LINK in bertrix_client.get("/").content.decode()
    with count_queries() as home_again:
        bertrix_client.get("/")
    assert len(home) == len(home_again) + 1, home.statements  # asked once, then remembered
    assert LINK in bertrix_client.get("/enquetes/").content.decode()


def test_another_communes_projects_do_not_light_the_menu(bertrix, fleurus, fleurus_agent, bertrix_client,
                                                          fleurus_client):
    make_space(fleurus, fleurus_agent, "Centre-ville 2030")
    assert LINK in fleurus_client.get("/enquetes/").content.decode()
    assert LINK not in bertrix_client.get("/enquetes/").content.decode()
    assert LINK not in bertrix_client.get("/").content.decode()


# --- Queries -------------------------------------------------------------------------------------

@pytest.mark.parametrize("items", [1, 12])
def test_pages_cost_a_fixed_number_of_queries(bertrix, agent, bertrix_client, count_queries, items):
    now = timezone.now()
    spaces = [make_space(bertrix, agent, f"Projet {number}") for number in range(items)]
    calls = [make_call(bertrix, slug=f"appel-{number}", title=f"Appel {number}") for number in range(items)]
    surveys = [make_plain_survey(bertrix, f"enquete-{number}") for number in range(items)]
    articles = [make_article(bertrix, agent, f"Brève {number}", at=now - timedelta(hours=number + 1))
                for number in range(items)]
    for space in spaces:
        relate(bertrix, space, calls=calls, surveys=surveys, articles=articles)
    with count_queries() as listing:
        assert bertrix_client.get("/projets/").status_code == 200
    with count_queries() as detail:
        page = bertrix_client.get("/projets/projet-0/")
        assert page.status_code == 200 and page.content.decode().count("data-call=") == items
    # The projects with their counts (list); the project, its calls, their steps, its surveys,
    # its news items, their categories (detail).
    assert (len(listing), len(detail)) == (1, 6), (listing.statements, detail.statements)


def test_the_flag_is_written_again_in_the_right_commune_after_commit(bertrix, fleurus, agent, fleurus_client,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        make_space(bertrix, agent, "Mobilité douce")
    with tenant_context(fleurus):
        for callback in callbacks:  # run while another commune's schema is current
            callback()
        assert cache.get(selectors._flag_key()) is None
    with tenant_context(bertrix):
        assert cache.get(selectors._flag_key()) is True
    assert LINK not in fleurus_client.get("/enquetes/").content.decode()
