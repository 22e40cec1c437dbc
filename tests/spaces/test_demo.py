"""The demo projects: they gather the demo's calls, surveys and news by slug, load twice
without duplicates, skip what the demo did not make, and show only what is public (a draft
news item linked stays out). The whole demo (tenants' load_demo) is run by tests/test_demo.py."""

from django_tenants.utils import tenant_context

from spaces.models import Space
from tests.ideas.conftest import make_call
from tests.news.conftest import make_article


def test_the_demo_projects_load_twice_and_show_public_items(bertrix, agent, bertrix_client):
    from spaces.demo import LOADERS

    make_call(bertrix, slug="boite-a-idees", title="Boîte à idées de Bertrix")
    make_call(bertrix, slug="budget-participatif-2021", title="Budget participatif 2021")
    make_article(bertrix, agent, "Budget participatif 2021 : le vote est ouvert",
                 slug="budget-participatif-2021-le-vote-est-ouvert")
    make_article(bertrix, agent, "Résultats du budget participatif 2021", slug="resultats-budget-participatif-2021",
                 publish=False)
    with tenant_context(bertrix):
        for _ in range(2):
            LOADERS["bertrix"](password="demo")
        assert list(Space.objects.values_list("slug", flat=True)) == ["budgets-participatifs",
                                                                       "vos-idees-pour-bertrix"]
        budgets = Space.objects.get(slug="budgets-participatifs")
        assert budgets.calls.count() == 1 and budgets.articles.count() == 2
    page = bertrix_client.get("/projets/budgets-participatifs/").content.decode()
    assert "Budget participatif 2021 : le vote est ouvert" in page
    assert "Résultats du budget participatif 2021" not in page  # a draft: linked, not shown
    assert 'href="/projets/"' in bertrix_client.get("/").content.decode()
