"""The host's commune is kept in the cache between requests, and forgotten the moment a
commune or a domain changes, whichever way it is saved."""

from django.db import transaction

from tenants.models import Commune, Domain
from tenants.services import commune_set_parent


def routing_queries(queries) -> list[str]:
    return [sql for sql in queries.statements if '"tenants_domain"."domain" =' in sql]


def test_the_commune_is_looked_up_once_then_kept(bertrix, fleurus, count_queries):
    from tests.conftest import client_for

    bertrix_client, fleurus_client = client_for("bertrix.localhost"), client_for("fleurus.localhost")
    with count_queries() as first:
        assert bertrix_client.get("/").status_code == 200
    assert len(routing_queries(first)) == 1
    with count_queries() as second:
        page = bertrix_client.get("/").content.decode()
    assert routing_queries(second) == []
    # Each host keeps its own commune.
    assert "<title>Accueil · Bertrix</title>" in page
    assert "<title>Accueil · Fleurus</title>" in fleurus_client.get("/").content.decode()
    assert "<title>Accueil · Bertrix</title>" in bertrix_client.get("/").content.decode()
    assert "<title>Accueil · Fleurus</title>" in fleurus_client.get("/").content.decode()


def test_a_change_of_the_commune_shows_on_the_next_request(bertrix, bertrix_client):
    assert "--primary: #166534" in bertrix_client.get("/").content.decode()
    commune = Commune.objects.get(pk=bertrix.pk)
    commune.primary_colour, commune.name = "#b91c1c", "Bertrix-sur-Semois"
    commune.save()
    page = bertrix_client.get("/").content.decode()
    assert "--primary: #b91c1c" in page and "Accueil · Bertrix-sur-Semois" in page


def test_a_change_rolled_back_is_not_kept(bertrix, bertrix_client):
    bertrix_client.get("/")
    try:
        with transaction.atomic():
            commune = Commune.objects.get(pk=bertrix.pk)
            commune.name = "Jamais enregistré"
            commune.save()
            raise RuntimeError
    except RuntimeError:
        pass
    assert "Accueil · Bertrix" in bertrix_client.get("/").content.decode()


def test_a_domain_removed_stops_answering_and_a_new_one_answers(bertrix):
    from tests.conftest import client_for

    Domain.objects.create(domain="bertrix-semois.localhost", tenant=bertrix, is_primary=False)
    other = client_for("bertrix-semois.localhost")
    assert other.get("/").status_code == 200
    Domain.objects.get(domain="bertrix-semois.localhost").delete()
    assert other.get("/").status_code == 404
    Domain.objects.create(domain="bertrix-semois.localhost", tenant=bertrix, is_primary=False)
    assert other.get("/").status_code == 200


def test_an_affiliation_shows_and_goes_at_once(bertrix, fleurus, bertrix_client):
    assert "Fleurus</a>" not in bertrix_client.get("/").content.decode()
    commune_set_parent(commune=Commune.objects.get(pk=bertrix.pk), parent=Commune.objects.get(pk=fleurus.pk))
    assert 'href="http://fleurus.localhost/">Fleurus</a>' in bertrix_client.get("/").content.decode()
    commune_set_parent(commune=Commune.objects.get(pk=bertrix.pk), parent=None)
    assert "Fleurus</a>" not in bertrix_client.get("/").content.decode()


def test_losing_the_cache_costs_one_lookup_again(bertrix, bertrix_client, count_queries):
    from django.core.cache import cache

    bertrix_client.get("/")
    cache.clear()
    with count_queries() as queries:
        assert bertrix_client.get("/").status_code == 200
    assert len(routing_queries(queries)) == 1


def test_the_health_check_asks_the_database_even_with_the_commune_kept(bertrix, bertrix_client, count_queries):
    bertrix_client.get("/sante/")
    with count_queries() as queries:
        assert bertrix_client.get("/sante/").content == b"ok"
    assert queries.statements == ["SELECT 1"]
