"""The modules a consultant switches on for a commune: a module switched off leaves the
menus, the home page and the admin, and its pages answer 404 like anything that does not
exist; its data is kept and comes back when it is switched on again. Another commune's
switches change nothing here."""

import pytest
from django_tenants.utils import tenant_context

from budgets.models import Budget
from tenants.models import Commune, Module
from tests.budgets.conftest import make_budget
from tests.conftest import change_commune, log_in
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture
from tests.newsletters.conftest import fr
from tests.newsletters.test_unsubscribe_and_tracking import sent


def switch(commune, *off):
    """Every module on for ``commune`` except ``off`` (the row the routing reads per request)."""
    modules = [module for module in Module.values if module not in off]
    change_commune(commune, modules=modules)


# A page of each module, and the link to it in the menu.
PAGES = [
    (Module.BUDGETS, "/budgets/", 'href="/budgets/"'),
    (Module.SURVEYS, "/enquetes/", 'href="/enquetes/"'),
    (Module.NEWS, "/actualites/", 'href="/actualites/"'),
    (Module.MODERATION, "/signalements/", 'href="/signalements/"'),
    (Module.MODERATION, "/messages/nouveau/", 'href="/messages/nouveau/"'),
    (Module.REPORTS, "/transparence/", 'href="/transparence/"'),
    (Module.SPACES, "/projets/", 'href="/projets/"'),
]


@pytest.mark.parametrize(("module", "path", "link"), PAGES)
def test_a_module_switched_off_answers_404_and_leaves_the_menus(bertrix, bertrix_client, citizen, agent, module, path,
                                                                 link):
    if module == Module.SPACES:  # the menu offers projects once one is published
        from tests.spaces.conftest import make_space

        make_space(bertrix, agent)
    client = log_in(bertrix_client, bertrix, citizen)
    page = client.get(path)
    assert page.status_code == 200
    assert link in client.get("/").content.decode()

    switch(bertrix, module)
    assert client.get(path).status_code == 404
    home = client.get("/")
    assert home.status_code == 200 and link not in home.content.decode()

    switch(bertrix)
    assert client.get(path).status_code == 200


def test_the_home_page_offers_a_way_in_for_each_module_switched_on(bertrix, bertrix_client):
    switch(bertrix, Module.NEWS, Module.SURVEYS)
    home = bertrix_client.get("/").content.decode()
    assert fr("Propose an idea") in home and fr("Report a problem") in home
    assert 'href="/participer/"' in home and 'href="/budgets/"' in home
    assert 'href="/enquetes/"' not in home and 'href="/actualites/"' not in home


def test_budgets_off_hides_budget_calls_and_their_projects_but_not_the_idea_box(bertrix, bertrix_client, agent,
                                                                                 citizen, call):
    budget, projects = make_budget(bertrix, agent)
    idea = make_idea(bertrix, call, citizen, title="Un potager partagé")
    calls_page = bertrix_client.get("/participer/").content.decode()
    assert budget.call.title in calls_page and call.title in calls_page

    switch(bertrix, Module.BUDGETS)
    calls_page = bertrix_client.get("/participer/")
    assert calls_page.status_code == 200
    assert budget.call.title not in calls_page.content.decode() and call.title in calls_page.content.decode()
    assert bertrix_client.get(f"/participer/appels/{budget.call.slug}/").status_code == 404
    assert bertrix_client.get(f"/participer/idees/{projects[0].pk}/").status_code == 404
    assert bertrix_client.get(f"/budgets/{budget.slug}/").status_code == 404
    assert bertrix_client.get(f"/participer/idees/{idea.pk}/").status_code == 200
    # A vote for a project of the switched-off budget is refused like one for an unknown idea.
    client = log_in(bertrix_client, bertrix, citizen)
    assert client.post(f"/participer/idees/{projects[0].pk}/voter/", {"value": "1"}).status_code == 404

    switch(bertrix, Module.IDEAS)
    assert bertrix_client.get(f"/participer/idees/{idea.pk}/").status_code == 404
    assert bertrix_client.get(f"/participer/appels/{call.slug}/").status_code == 404
    assert bertrix_client.get(f"/participer/idees/{projects[0].pk}/").status_code == 200

    switch(bertrix, Module.IDEAS, Module.BUDGETS)
    assert bertrix_client.get("/participer/").status_code == 404
    home = bertrix_client.get("/").content.decode()
    assert 'href="/participer/"' not in home


def test_the_admin_of_a_switched_off_module_disappears_and_its_data_comes_back(bertrix, bertrix_client, agent):
    budget, _projects = make_budget(bertrix, agent)
    client = log_in(bertrix_client, bertrix, agent)
    assert "/admin/budgets/" in client.get("/admin/").content.decode()
    assert client.get("/admin/budgets/budget/").status_code == 200

    switch(bertrix, Module.BUDGETS, Module.REPORTS, Module.NEWSLETTERS)
    index = client.get("/admin/").content.decode()
    assert "/admin/budgets/" not in index and "/admin/newsletters/" not in index
    assert "/admin/ideas/" in index and "/admin/moderation/" in index
    for path in ("/admin/budgets/budget/", f"/admin/budgets/budget/{budget.pk}/etape/1/", "/admin/budgets/",
                 "/admin/reports/report/tableau-de-bord/", "/admin/newsletters/newsletter/add/"):
        assert client.get(path).status_code == 404, path
    with tenant_context(bertrix):
        assert Budget.objects.filter(pk=budget.pk).exists()

    switch(bertrix)
    assert client.get(f"/admin/budgets/budget/{budget.pk}/etape/1/").status_code == 200
    assert client.get(f"/budgets/{budget.slug}/").status_code == 200


def test_newsletter_links_already_sent_keep_working_when_newsletters_are_switched_off(bertrix, bertrix_client, agent):
    delivery = sent(bertrix, agent, "anne@bertrix.example")["anne@bertrix.example"]
    switch(bertrix, Module.NEWSLETTERS)
    page = bertrix_client.get(f"/lettres/desinscription/{delivery.token}/")
    assert page.status_code == 200 and fr("Unsubscribe") in page.content.decode()


def test_one_communes_switches_change_nothing_in_another(bertrix, fleurus, bertrix_client, fleurus_client):
    switch(bertrix, Module.BUDGETS, Module.SURVEYS, Module.NEWS)
    assert bertrix_client.get("/budgets/").status_code == 404
    assert fleurus_client.get("/budgets/").status_code == 200
    assert fleurus_client.get("/enquetes/").status_code == 200
    assert 'href="/actualites/"' in fleurus_client.get("/").content.decode()
