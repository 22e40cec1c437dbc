"""Nothing of one commune is visible or usable from another."""

from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.roles import Role
from tests.conftest import PASSWORD, create_citizen, create_staff, log_in


def test_an_account_of_one_commune_cannot_log_into_another(bertrix, citizen, fleurus_client):
    response = fleurus_client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in fleurus_client.session


def test_the_same_address_may_hold_separate_accounts_in_two_communes(bertrix, fleurus, citizen):
    other = create_citizen(fleurus, citizen.email, password="another-password-42")
    with tenant_context(fleurus):
        assert User.objects.get(email=citizen.email).check_password("another-password-42")
    with tenant_context(bertrix):
        assert User.objects.get(email=citizen.email).check_password(PASSWORD)
    assert other.pk is not None


def test_a_session_cookie_from_one_commune_is_worthless_at_another(bertrix, citizen, bertrix_client, fleurus_client):
    log_in(bertrix_client, bertrix, citizen)
    cookie = bertrix_client.cookies["sessionid"].value
    assert "citoyen@bertrix.example" in bertrix_client.get("/compte/profil/").content.decode()

    fleurus_client.cookies["sessionid"] = cookie
    response = fleurus_client.get("/compte/profil/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "citoyen@bertrix.example" not in fleurus_client.get("/").content.decode()


def test_session_and_csrf_cookies_are_host_only(bertrix, citizen, bertrix_client):
    response = bertrix_client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    assert response.cookies["sessionid"]["domain"] == ""
    bertrix_client.get("/accounts/login/")
    assert bertrix_client.cookies["csrftoken"]["domain"] == ""


def test_an_agent_works_in_the_admin_of_their_own_commune_only(bertrix, agent, bertrix_client, fleurus_client):
    bertrix_client.post("/admin/login/", {"username": agent.email, "password": PASSWORD})
    response = bertrix_client.get("/admin/")
    assert response.status_code == 200
    assert "Bertrix · administration" in response.content.decode()

    response = fleurus_client.post("/admin/login/?next=/admin/", {"username": agent.email, "password": PASSWORD})
    assert response.status_code == 200  # refused: the login form again
    assert fleurus_client.get("/admin/").status_code == 302


def test_the_admin_of_a_commune_lists_only_its_own_people(bertrix, fleurus, agent, bertrix_client):
    create_citizen(fleurus, "habitant@fleurus.example")
    create_citizen(bertrix, "habitant@bertrix.example")
    log_in(bertrix_client, bertrix, agent)
    html = bertrix_client.get("/admin/accounts/user/").content.decode()
    assert "habitant@bertrix.example" in html
    assert "habitant@fleurus.example" not in html


def test_another_communes_ids_lead_nowhere(bertrix, fleurus, agent, bertrix_client):
    fleurusien = create_citizen(fleurus, "unique@fleurus.example")
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.get(f"/admin/accounts/user/{fleurusien.pk}/change/", follow=True)
    assert "unique@fleurus.example" not in response.content.decode()


def test_a_citizen_cannot_enter_the_admin(bertrix, citizen, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    response = bertrix_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_consultants_admin_is_not_reachable_from_a_commune(bertrix_client, bertrix, agent):
    log_in(bertrix_client, bertrix, agent)
    assert bertrix_client.get("/admin/tenants/commune/").status_code == 404


def test_each_commune_has_its_role_groups(bertrix, fleurus):
    from django.contrib.auth.models import Group

    for commune in (bertrix, fleurus):
        with tenant_context(commune):
            assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_roles_open_the_admin_with_their_permissions(bertrix):
    analyst = create_staff(bertrix, "analyste@bertrix.example", Role.ANALYST)
    with tenant_context(bertrix):
        analyst = User.objects.get(pk=analyst.pk)
        assert analyst.is_staff
        assert not analyst.has_perm("accounts.change_user")
        agent = create_staff(bertrix, "agent2@bertrix.example", Role.AGENT)
        agent = User.objects.get(pk=agent.pk)
        assert agent.has_perm("accounts.change_user") and agent.has_perm("socialaccount.add_socialapp")
        assert not agent.has_perm("auth.change_group")
