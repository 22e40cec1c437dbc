"""Social login apps are rows of each commune's schema, set up in its own admin."""

from allauth.socialaccount.models import SocialApp
from django_tenants.utils import tenant_context

from tests.conftest import log_in


def test_a_google_app_set_up_by_one_commune_appears_on_its_login_page_only(
    bertrix, agent, bertrix_client, fleurus_client
):
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.post("/admin/socialaccount/socialapp/add/", {
        "provider": "google", "provider_id": "", "name": "Google Bertrix",
        "client_id": "bertrix-client-id", "secret": "bertrix-secret", "key": "", "settings": "{}",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(bertrix):
        assert SocialApp.objects.get().client_id == "bertrix-client-id"

    bertrix_client.post("/accounts/logout/")
    assert "/accounts/google/login/" in bertrix_client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" not in fleurus_client.get("/accounts/login/").content.decode()


def test_an_openid_connect_provider_such_as_franceconnect_is_configured_per_commune(bertrix, fleurus_client):
    with tenant_context(bertrix):
        SocialApp.objects.create(
            provider="openid_connect", provider_id="franceconnect", name="FranceConnect",
            client_id="fc-id", secret="fc-secret",
            settings={"server_url": "https://fcp.integ01.dev-franceconnect.fr/api/v1"},
        )
    from tests.conftest import client_for

    login_page = client_for("bertrix.localhost").get("/accounts/login/").content.decode()
    assert "/accounts/oidc/franceconnect/login/" in login_page
    assert "franceconnect" not in fleurus_client.get("/accounts/login/").content.decode()
