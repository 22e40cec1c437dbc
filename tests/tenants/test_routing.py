import pytest

from tests.conftest import client_for


def test_a_commune_answers_at_its_domain_with_its_branding(bertrix_client, bertrix):
    response = bertrix_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bertrix" in html
    assert "--primary: #166534" in html
    assert response.context["commune"] == bertrix


def test_the_commune_is_found_whatever_the_port_and_www(bertrix):
    assert client_for("bertrix.localhost:8000").get("/").status_code == 200
    assert client_for("www.bertrix.localhost").get("/").context["commune"] == bertrix


def test_a_custom_domain_routes_to_its_commune(bertrix):
    from tenants.models import Domain

    Domain.objects.create(domain="participation.bertrix.be", tenant=bertrix, is_primary=False)
    response = client_for("participation.bertrix.be").get("/")
    assert response.status_code == 200
    assert response.context["commune"] == bertrix


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/", "/does-not-exist/"])
def test_an_unknown_host_gets_a_clear_404(db, path):
    response = client_for("nowhere.localhost").get(path)
    assert response.status_code == 404
    assert "Aucune commune ici" in response.content.decode()
    assert "nowhere.localhost" in response.content.decode()


def test_the_platform_lists_the_communes_and_no_template_or_public_row(platform_client, bertrix, fleurus):
    response = platform_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bertrix" in html and "Fleurus" in html
    assert "http://bertrix.localhost" in html
    assert "commune_template" not in html
    names = [commune.name for commune in response.context["communes"]]
    assert names == ["Bertrix", "Fleurus"]


def test_the_platform_landing_page_has_a_fixed_number_of_queries(platform_client, bertrix, fleurus, count_queries):
    from tests.conftest import make_commune

    with count_queries() as queries:
        platform_client.get("/")
    assert len(queries) == 3, queries.statements  # host lookup, communes, their domains
    make_commune("paliseul", "Paliseul")
    with count_queries() as queries:
        platform_client.get("/")
    assert len(queries) == 3, queries.statements


def test_the_commune_home_page_has_a_fixed_number_of_queries(bertrix_client, bertrix, citizen, count_queries):
    with count_queries() as queries:
        bertrix_client.get("/")
    # participants count, open quick poll, latest news, and whether a project is
    # published (the menu's "Projects" link: asked here only when the cache lacks it, then
    # remembered per commune, so the second visit below does not ask again; spaces.selectors).
    assert len(queries) == 4, queries.statements  # the host's commune is kept (routing cache)
    bertrix_client.force_login(citizen)
    with count_queries() as queries:
        bertrix_client.get("/")
    assert len(queries) == 5, queries.statements  # + session, user


def test_terms_and_privacy_pages_show_the_communes_texts(bertrix_client, bertrix):
    bertrix.terms_of_use = "Respectez les autres participants de Bertrix."
    bertrix.save()
    assert "Respectez les autres participants de Bertrix." in bertrix_client.get("/conditions/").content.decode()
    privacy = bertrix_client.get("/confidentialite/").content.decode()
    assert "Bertrix" in privacy  # default text, in the commune's name


def test_a_commune_never_serves_another_communes_files(bertrix_client, fleurus_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "fleurus").mkdir()
    (tmp_path / "fleurus" / "secret.txt").write_text("fleurus only")
    assert fleurus_client.get("/media/fleurus/secret.txt").status_code == 200
    assert bertrix_client.get("/media/fleurus/secret.txt").status_code == 404
    assert bertrix_client.get("/media/fleurus/../fleurus/secret.txt").status_code == 404
