"""Affiliated spaces: a parent space (an agglomeration) shows what its affiliated communes
consult on; each affiliate shows, in its footer, the parent it belongs to."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.models import Commune
from tenants.services import commune_parent_check, commune_set_parent
from tests.conftest import change_commune, PASSWORD, log_in
from tests.ideas.conftest import make_call
from tests.news.conftest import make_article


def affiliate(commune, parent):
    change_commune(commune, parent=parent)


def make_survey(commune, slug, *, published=True, ends_in_days=None, starts_in_days=-1):
    from surveys.models import Survey

    now = timezone.now()
    with tenant_context(commune):
        return Survey.objects.create(
            title=f"Enquête {slug}", slug=slug, is_published=published,
            starts_at=now + timedelta(days=starts_in_days),
            ends_at=None if ends_in_days is None else now + timedelta(days=ends_in_days))


def admin_change_data(response, **overrides):
    """What the change form posts back, as the page shows it, with ``overrides``."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if name in form.Meta.fields and not field.disabled:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for index, inline_form in enumerate(formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value not in (None, False):
                    data[f"{formset.prefix}-{index}-{name}"] = "on" if value is True else value
    data.pop("logo", None)
    data.update(overrides)
    return data


# --- The rule ---------------------------------------------------------------------------------


def test_a_consultant_affiliates_a_commune_in_the_platform_admin(platform_client, consultant, bertrix, fleurus):
    platform_client.post("/admin/login/", {"username": consultant.email, "password": PASSWORD})
    url = f"/admin/tenants/commune/{bertrix.pk}/change/"
    response = platform_client.post(url, admin_change_data(platform_client.get(url), parent=fleurus.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    bertrix.refresh_from_db()
    assert bertrix.parent == fleurus
    # The parent's change page lists its affiliates, read only.
    page = platform_client.get(f"/admin/tenants/commune/{fleurus.pk}/change/")
    html = page.content.decode()
    assert f'href="/admin/tenants/commune/{bertrix.pk}/change/">Bertrix</a>' in html
    assert "affiliate_list" not in page.context["adminform"].form.fields
    # And the affiliation is undone the same way.
    response = platform_client.post(url, admin_change_data(platform_client.get(url), parent=""))
    assert response.status_code == 302
    bertrix.refresh_from_db()
    assert bertrix.parent is None


def test_the_admin_refuses_a_second_level_and_a_loop_with_a_message(platform_client, consultant, bertrix, fleurus):
    from tests.conftest import make_commune

    paliseul = make_commune("paliseul", "Paliseul")
    affiliate(bertrix, fleurus)
    platform_client.post("/admin/login/", {"username": consultant.email, "password": PASSWORD})
    # Fleurus has an affiliate: it cannot itself be affiliated.
    url = f"/admin/tenants/commune/{fleurus.pk}/change/"
    response = platform_client.post(url, admin_change_data(platform_client.get(url), parent=paliseul.pk))
    assert response.status_code == 200
    assert "Fleurus" in " ".join(response.context["adminform"].form.errors["parent"])
    # Bertrix is affiliated: nobody can be affiliated to it.
    url = f"/admin/tenants/commune/{paliseul.pk}/change/"
    response = platform_client.post(url, admin_change_data(platform_client.get(url), parent=bertrix.pk))
    assert response.status_code == 200
    assert "Bertrix" in " ".join(response.context["adminform"].form.errors["parent"])
    # A commune is not offered as its own parent.
    response = platform_client.post(url, admin_change_data(platform_client.get(url), parent=paliseul.pk))
    assert response.status_code == 200 and "parent" in response.context["adminform"].form.errors
    assert Commune.objects.get(pk=fleurus.pk).parent_id is None
    assert Commune.objects.get(pk=paliseul.pk).parent_id is None


def test_the_rule_refuses_self_loops_and_two_levels(bertrix, fleurus):
    with pytest.raises(ValidationError) as error:
        commune_parent_check(commune=bertrix, parent=bertrix)
    assert "parent" in error.value.message_dict
    commune_set_parent(commune=bertrix, parent=fleurus)
    fleurus.refresh_from_db()
    with pytest.raises(ValidationError) as error:  # Fleurus → Bertrix → Fleurus
        commune_set_parent(commune=fleurus, parent=bertrix)
    assert "Bertrix" in error.value.message_dict["parent"][0] and "Fleurus" in error.value.message_dict["parent"][0]
    assert Commune.objects.get(pk=fleurus.pk).parent_id is None
    # A new commune cannot be affiliated to a commune that is itself affiliated.
    from tenants.services import commune_create

    with pytest.raises(ValidationError) as error:
        commune_create(name="Paliseul", slug="paliseul", domain="paliseul.localhost", population=5000,
                       parent=Commune.objects.get(pk=bertrix.pk))
    assert "parent" in error.value.message_dict
    assert not Commune.objects.filter(slug="paliseul").exists()


def test_commune_create_accepts_a_parent(fleurus):
    from tenants.services import commune_create

    paliseul = commune_create(name="Paliseul", slug="paliseul", domain="paliseul.localhost", population=5000,
                              parent=fleurus)
    assert Commune.objects.get(pk=paliseul.pk).parent == fleurus
    assert [c.name for c in fleurus.affiliates.all()] == ["Paliseul"]


# --- The parent's page ------------------------------------------------------------------------


@pytest.fixture
def fleurus_parent_of_bertrix(bertrix, fleurus):
    affiliate(bertrix, fleurus)
    return fleurus


def test_the_parent_shows_what_its_affiliates_have_open_and_nothing_else(
    fleurus_parent_of_bertrix, fleurus_client, bertrix, agent
):
    make_call(bertrix, slug="mobilite", title="Mobilité douce : vos idées")
    unpublished = make_call(bertrix, slug="brouillon", title="Appel pas encore publié")
    with tenant_context(bertrix):
        type(unpublished).objects.filter(pk=unpublished.pk).update(is_published=False)
    finished = make_call(bertrix, slug="fini", title="Appel terminé", open_=False)
    with tenant_context(bertrix):  # its results are published: nothing more to take part in
        from ideas.models import Phase

        Phase.objects.create(call=finished, kind=Phase.Kind.RESULTS, starts_at=timezone.now() - timedelta(days=1))
    make_survey(bertrix, "velo")
    make_survey(bertrix, "cachee", published=False)
    make_survey(bertrix, "close", ends_in_days=-1, starts_in_days=-5)
    make_survey(bertrix, "future", starts_in_days=3)
    make_article(bertrix, agent, "Le marché de Noël revient")
    make_article(bertrix, agent, "Article en brouillon", publish=False)
    make_article(bertrix, agent, "Article programmé", at=timezone.now() + timedelta(days=2))

    response = fleurus_client.get("/communes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bertrix" in html and 'href="http://bertrix.localhost/"' in html
    assert "8000" in html.replace("\u202f", "").replace(" ", "").replace(".", "")
    assert 'href="http://bertrix.localhost/participer/appels/mobilite/"' in html
    assert "Mobilité douce : vos idées" in html
    assert 'href="http://bertrix.localhost/enquetes/velo/"' in html
    assert "Le marché de Noël revient" in html and 'href="http://bertrix.localhost/actualites/' in html
    for hidden in ("Appel pas encore publié", "Appel terminé", "Enquête cachee", "Enquête close",
                   "Enquête future", "Article en brouillon", "Article programmé"):
        assert hidden not in html, hidden
    # Only plain values left the affiliate's schema.
    summary = response.context["affiliates"][0]
    assert not any(isinstance(value, Commune) for value in vars(summary).values())


def test_only_listed_affiliates_appear(fleurus_parent_of_bertrix, fleurus_client, bertrix, fleurus):
    from tests.conftest import make_commune

    make_commune("paliseul", "Paliseul")
    make_call(bertrix, slug="mobilite", title="Mobilité douce")
    html = fleurus_client.get("/communes/").content.decode()
    assert "Bertrix" in html and "Paliseul" not in html
    change_commune(bertrix, is_active=False)
    from django.core.cache import cache

    cache.clear()
    assert fleurus_client.get("/communes/").status_code == 404  # no listed affiliate left


def test_the_page_is_404_on_a_commune_without_affiliates(bertrix_client, fleurus_client, fleurus_parent_of_bertrix):
    # Bertrix is an affiliate, not a parent.
    assert bertrix_client.get("/communes/").status_code == 404
    change_commune("bertrix", parent=None)
    assert fleurus_client.get("/communes/").status_code == 404


def test_the_page_is_cached_per_parent(fleurus_parent_of_bertrix, fleurus_client, bertrix, count_queries):
    make_call(bertrix, slug="mobilite", title="Mobilité douce")
    fleurus_client.get("/communes/")
    make_call(bertrix, slug="eclairage", title="Éclairage public")
    with count_queries() as queries:
        html = fleurus_client.get("/communes/").content.decode()
    assert len(queries) == 0, queries.statements  # the host's commune and the page: both cached
    assert "Mobilité douce" in html and "Éclairage public" not in html


def test_the_page_has_a_fixed_number_of_queries(fleurus_parent_of_bertrix, fleurus_client, bertrix, agent,
                                                count_queries):
    from django.core.cache import cache

    make_call(bertrix, slug="appel-0", title="Appel 0")
    make_survey(bertrix, "enquete-0")
    make_article(bertrix, agent, "Nouvelle 0")
    with count_queries() as few:
        assert "Appel 0" in fleurus_client.get("/communes/").content.decode()
    for i in (1, 2):
        make_call(bertrix, slug=f"appel-{i}", title=f"Appel {i}")
        make_survey(bertrix, f"enquete-{i}")
        make_article(bertrix, agent, f"Nouvelle {i}")
    cache.clear()
    fleurus_client.get("/sante/")  # the host's commune back in the routing cache
    with count_queries() as many:
        html = fleurus_client.get("/communes/").content.decode()
    assert "Appel 2" in html and "Enquête enquete-2" in html and "Nouvelle 2" in html
    # affiliates, their domains; per affiliate: calls, their phases, surveys, news
    assert len(few) == len(many) == 6, many.statements


# --- The footer -------------------------------------------------------------------------------


def test_the_footers_link_the_affiliate_and_its_parent(fleurus_parent_of_bertrix, bertrix_client, fleurus_client):
    html = bertrix_client.get("/").content.decode()
    assert '<p class="member-of">' in html and 'href="http://fleurus.localhost/">Fleurus</a>' in html
    assert 'href="/communes/"' not in html
    parent = fleurus_client.get("/").content.decode()
    assert 'href="/communes/"' in parent and '<p class="member-of">' not in parent


def test_no_affiliation_no_footer_line(bertrix_client):
    html = bertrix_client.get("/").content.decode()
    assert '<p class="member-of">' not in html and 'href="/communes/"' not in html


def test_the_footer_adds_no_query(bertrix_client, fleurus_client, citizen, bertrix, fleurus, count_queries):
    """The same count with and without affiliation (the home page's own count is pinned in
    tests/tenants/test_routing.py): the host's commune comes with its parent and whether it
    has affiliates in the one query that finds it."""

    def home_counts():
        counts = []
        for client in (bertrix_client, fleurus_client):
            with count_queries() as queries:
                assert client.get("/").status_code == 200
            counts.append(len(queries))
        return counts

    home_counts()  # what other parts of the page keep in the cache is kept
    before = home_counts()
    affiliate(bertrix, fleurus)
    home_counts()  # a change of a commune empties the routing cache: looked up again once
    assert home_counts() == before
    with count_queries() as queries:
        bertrix_client.get("/sante/")
    assert queries.statements == ["SELECT 1"]  # the health check's own, nothing else
    log_in(bertrix_client, bertrix, citizen)
    bertrix_client.get("/")
    with count_queries() as logged_in:
        html = bertrix_client.get("/").content.decode()
    assert 'href="http://fleurus.localhost/">Fleurus</a>' in html
    change_commune(bertrix, parent=None)
    bertrix_client.get("/sante/")  # the changed commune back in the routing cache
    with count_queries() as without:
        bertrix_client.get("/")
    assert len(logged_in) == len(without), logged_in.statements
