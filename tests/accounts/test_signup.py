import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django_tenants.utils import tenant_context

from accounts.models import Neighbourhood, User
from tests.conftest import PASSWORD, log_in

LINK = re.compile(r"http://[^\s]+/accounts/confirm-email/[^\s]+/")


def signup_data(**overrides):
    data = {"email": "nouvelle@exemple.be", "password1": PASSWORD, "password2": PASSWORD,
            "accept_terms": "on", "age_bracket": "25_34", "gender": "female"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def sign_up(client, capture, **overrides):
    with capture(execute=True):
        return client.post("/accounts/signup/", signup_data(**overrides))


def test_signup_sends_a_verification_email_in_the_communes_name(
    bertrix_client, bertrix, django_capture_on_commit_callbacks, mailoutbox
):
    response = sign_up(bertrix_client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"

    with tenant_context(bertrix):
        user = User.objects.get(email="nouvelle@exemple.be")
        assert user.age_bracket == "25_34" and user.gender == "female"
        assert user.terms_accepted_at is not None
        assert user.newsletter_opt_in is False
        assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nouvelle@exemple.be"]
    assert message.subject.startswith("[Bertrix]")
    assert "Bertrix" in message.body
    assert LINK.search(message.body).group(0).startswith("http://bertrix.localhost/")


def test_login_is_refused_until_the_address_is_confirmed_then_works(
    bertrix_client, bertrix, django_capture_on_commit_callbacks, mailoutbox
):
    sign_up(bertrix_client, django_capture_on_commit_callbacks)
    bertrix_client.logout()
    response = bertrix_client.post("/accounts/login/", {"login": "nouvelle@exemple.be", "password": PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in bertrix_client.session

    link = LINK.search(mailoutbox[-1].body).group(0)
    path = link.replace("http://bertrix.localhost", "")
    assert bertrix_client.get(path).status_code == 200  # a page with a button: no change on GET
    with tenant_context(bertrix):
        assert not EmailAddress.objects.get(email="nouvelle@exemple.be").verified
    bertrix_client.post(path)
    with tenant_context(bertrix):
        assert EmailAddress.objects.get(email="nouvelle@exemple.be").verified

    response = bertrix_client.post("/accounts/login/", {"login": "NOUVELLE@exemple.be", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Nouvelle" in bertrix_client.get("/").content.decode() or bertrix_client.session["_auth_user_id"]


def test_the_terms_must_be_accepted_and_nothing_typed_is_lost(
    bertrix_client, bertrix, django_capture_on_commit_callbacks
):
    response = sign_up(bertrix_client, django_capture_on_commit_callbacks, accept_terms=None, display_name="Zoé")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Vous devez accepter les conditions d'utilisation pour créer un compte." in html
    assert 'value="nouvelle@exemple.be"' in html and 'value="Zoé"' in html
    with tenant_context(bertrix):
        assert not User.objects.filter(email="nouvelle@exemple.be").exists()


def test_the_newsletter_box_is_unchecked_and_the_neighbourhoods_are_the_communes(bertrix_client, bertrix):
    response = bertrix_client.get("/accounts/signup/")
    form = response.context["form"]
    assert form.fields["newsletter_opt_in"].initial is False
    assert 'name="newsletter_opt_in"' in response.content.decode()
    assert 'name="newsletter_opt_in" checked' not in response.content.decode()
    names = [n.name for n in form.fields["neighbourhood"].queryset]
    assert names == ["Cugnon", "Jehonville"]  # Fleurus has Brye and Lambusart


def test_a_neighbourhood_of_another_commune_is_refused(
    bertrix_client, bertrix, fleurus, django_capture_on_commit_callbacks
):
    with tenant_context(fleurus):
        brye = Neighbourhood.objects.get(name="Brye")
    with tenant_context(bertrix):
        # The same id may exist at Bertrix; use one that does not.
        missing_id = max(Neighbourhood.objects.values_list("id", flat=True)) + 1000
    response = sign_up(bertrix_client, django_capture_on_commit_callbacks, neighbourhood=str(missing_id))
    assert response.status_code == 200
    assert "neighbourhood" in response.context["form"].errors
    assert brye.name not in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "pas-une-adresse"}, "email"),
        ({"password2": "autre-chose-123"}, "password2"),
        ({"password1": "1234", "password2": "1234"}, "password1"),
        ({"age_bracket": "999"}, "age_bracket"),
        ({"display_name": "x" * 81}, "display_name"),
    ],
)
def test_bad_input_gets_a_clear_message(bertrix_client, bertrix, django_capture_on_commit_callbacks, overrides, field):
    response = sign_up(bertrix_client, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    with tenant_context(bertrix):
        assert User.objects.count() == 0


def test_html_in_the_display_name_is_shown_as_text(bertrix, citizen, bertrix_client):
    with tenant_context(bertrix):
        citizen.display_name = "<script>alert(1)</script>"
        citizen.save()
    log_in(bertrix_client, bertrix, citizen)
    html = bertrix_client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_signing_up_twice_with_the_same_address_creates_one_account(
    bertrix_client, bertrix, django_capture_on_commit_callbacks
):
    sign_up(bertrix_client, django_capture_on_commit_callbacks)
    bertrix_client.logout()
    sign_up(bertrix_client, django_capture_on_commit_callbacks, email="NOUVELLE@exemple.be")
    with tenant_context(bertrix):
        assert User.objects.filter(email__iexact="nouvelle@exemple.be").count() == 1


def test_signup_is_rate_limited_per_ip(bertrix_client, bertrix, django_capture_on_commit_callbacks):
    statuses = [
        sign_up(bertrix_client, django_capture_on_commit_callbacks, email=f"n{i}@exemple.be").status_code
        for i in range(7)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    response = bertrix_client.post("/accounts/signup/", signup_data(email="late@exemple.be"))
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_failed_logins_are_rate_limited(bertrix_client, citizen):
    for _ in range(5):
        response = bertrix_client.post("/accounts/login/", {"login": citizen.email, "password": "wrong-password"})
        assert response.status_code == 200
    # Then even the right password is refused while the limit holds, with a clear message.
    response = bertrix_client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de tentatives de connexion échouées" in unescape(response.content.decode())
    assert "_auth_user_id" not in bertrix_client.session


def test_the_rate_limit_of_one_commune_does_not_block_another(
    bertrix_client, fleurus_client, fleurus, django_capture_on_commit_callbacks
):
    for i in range(6):
        sign_up(bertrix_client, django_capture_on_commit_callbacks, email=f"n{i}@exemple.be")
    response = sign_up(fleurus_client, django_capture_on_commit_callbacks, email="fleurusien@exemple.be")
    assert response.status_code == 302


def test_password_reset_email_links_to_the_commune(
    bertrix_client, citizen, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = bertrix_client.post("/accounts/password/reset/", {"email": citizen.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("[Bertrix]")
    assert "http://bertrix.localhost/accounts/password/reset/key/" in mailoutbox[0].body


def test_logout_needs_a_post(bertrix_client, bertrix, citizen):
    log_in(bertrix_client, bertrix, citizen)
    bertrix_client.get("/accounts/logout/")
    assert "_auth_user_id" in bertrix_client.session
    bertrix_client.post("/accounts/logout/")
    assert "_auth_user_id" not in bertrix_client.session


def test_the_profile_page_saves_optional_fields(bertrix_client, bertrix, citizen):
    log_in(bertrix_client, bertrix, citizen)
    with tenant_context(bertrix):
        cugnon = Neighbourhood.objects.get(name="Cugnon")
    response = bertrix_client.post("/compte/profil/", {
        "display_name": "Marie D.", "age_bracket": "50_64", "gender": "", "neighbourhood": cugnon.pk,
        "newsletter_opt_in": "on", "birth_year": "1968",
    })
    assert response.status_code == 302
    with tenant_context(bertrix):
        citizen.refresh_from_db()
    assert (citizen.display_name, citizen.age_bracket, citizen.neighbourhood_id, citizen.newsletter_opt_in,
            citizen.birth_year) == ("Marie D.", "50_64", cugnon.pk, True, 1968)
    response = bertrix_client.post("/compte/profil/", {"display_name": "Marie D.", "birth_year": "1850"})
    assert response.status_code == 200 and "1900" in response.content.decode()


def test_the_profile_page_needs_a_login(bertrix_client):
    response = bertrix_client.get("/compte/profil/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_signup_is_closed_on_the_platforms_own_host(platform_client):
    response = platform_client.get("/accounts/signup/")
    assert response.status_code == 404


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    bertrix_client, bertrix, citizen, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        bertrix_client.post("/accounts/password/reset/", {"email": citizen.email})
    link = re.search(r"http://bertrix\.localhost(/accounts/password/reset/key/\S+/)", mailoutbox[0].body).group(1)
    response = bertrix_client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new_password = "a-brand-new-password-77"
    response = bertrix_client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    bertrix_client.logout()
    response = bertrix_client.post("/accounts/login/", {"login": citizen.email, "password": new_password})
    assert response.status_code == 302 and "_auth_user_id" in bertrix_client.session


def test_the_profile_page_has_a_fixed_number_of_queries(bertrix_client, bertrix, citizen, count_queries):
    log_in(bertrix_client, bertrix, citizen)
    with count_queries() as queries:
        assert bertrix_client.get("/compte/profil/").status_code == 200
    # session, user, whether the commune has neighbourhoods, the neighbourhood options, the
    # commune's identity services (asked only while the identity is not verified)
    assert len(queries) == 5, queries.statements
