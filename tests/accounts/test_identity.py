"""Verified identity and secured consultations: an identity service the commune trusts
(FranceConnect, itsme… an OpenID Connect app marked "verifies_identity") or an agent at
the counter records it; a secured vote or survey refuses whoever lacks it, in words that
say how to get it; another commune's verification counts for nothing here."""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from django.test import RequestFactory
from django.utils import translation
from django_tenants.utils import tenant_context

from accounts.identity import is_identity_verified
from accounts.models import User
from accounts.roles import Role
from budgets import services as budget_services
from budgets.ballots import BallotError
from budgets.models import Ballot
from surveys.models import Survey
from surveys.services import refusal as survey_refusal
from tests.budgets.conftest import make_budget
from tests.conftest import create_citizen, create_staff, log_in


def fresh(commune, user) -> User:
    with tenant_context(commune):
        return User.objects.get(pk=user.pk)


def identity_app(commune, *, provider="openid_connect", provider_id="franceconnect", name="FranceConnect",
                 verifies=True):
    settings = {"server_url": "https://fc.example"} if provider == "openid_connect" else {}
    if verifies:
        settings["verifies_identity"] = True
    with tenant_context(commune):
        return SocialApp.objects.create(provider=provider, provider_id=provider_id if provider == "openid_connect"
                                        else "", name=name, client_id=f"{name}-id", secret="s", settings=settings)


def request_for(commune, user):
    request = RequestFactory().get("/", HTTP_HOST=f"{commune.slug}.localhost")
    request.tenant, request.user, request.session = commune, user, {}
    return request


def connect(commune, user, provider="franceconnect", uid="fc-0001"):
    """What allauth does when a logged-in person links an account of an identity service."""
    with tenant_context(commune):
        login = SocialLogin(user=user, account=SocialAccount(provider=provider, uid=uid))
        login.connect(request_for(commune, user), user)


def test_connecting_a_trusted_identity_service_verifies_the_identity(bertrix, citizen):
    identity_app(bertrix)
    assert not fresh(bertrix, citizen).identity_verified
    connect(bertrix, citizen)
    user = fresh(bertrix, citizen)
    assert user.identity_verified and user.identity_verified_by == "FranceConnect"


def test_logging_in_through_it_verifies_too_but_not_through_other_apps(bertrix, citizen):
    identity_app(bertrix, provider_id="itsme", name="itsme")
    identity_app(bertrix, provider_id="oidc-mairie", name="Connexion mairie", verifies=False)
    identity_app(bertrix, provider="google", name="Google")  # marked, but Google only knows an email
    other = create_citizen(bertrix, "autre@bertrix.example")
    with tenant_context(bertrix):
        for provider, person in (("oidc-mairie", citizen), ("google", other)):
            login = SocialLogin(user=person, account=SocialAccount(provider=provider, uid=f"{provider}-1"))
            user_logged_in.send(sender=User, request=request_for(bertrix, person), user=person, sociallogin=login)
    assert not fresh(bertrix, citizen).identity_verified and not fresh(bertrix, other).identity_verified
    with tenant_context(bertrix):
        login = SocialLogin(user=citizen, account=SocialAccount(provider="itsme", uid="itsme-1"))
        user_logged_in.send(sender=User, request=request_for(bertrix, citizen), user=citizen, sociallogin=login)
    assert fresh(bertrix, citizen).identity_verified_by == "itsme"


def test_an_agent_records_an_identity_checked_at_the_counter(bertrix, citizen, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post("/admin/accounts/user/", {"action": "verify_identity_at_the_counter",
                                                     "_selected_action": [citizen.pk]})
    assert response.status_code == 302
    user = fresh(bertrix, citizen)
    assert user.identity_verified and user.identity_verified_by.endswith(agent.get_short_name())
    client.post("/admin/accounts/user/", {"action": "withdraw_identity_verification",
                                          "_selected_action": [citizen.pk]})
    assert not fresh(bertrix, citizen).identity_verified


def test_other_staff_cannot_record_identities(bertrix, citizen, bertrix_client):
    moderator = create_staff(bertrix, "moderation@bertrix.example", Role.MODERATOR)
    client = log_in(bertrix_client, bertrix, moderator)
    client.post("/admin/accounts/user/", {"action": "verify_identity_at_the_counter",
                                          "_selected_action": [citizen.pk]})
    assert not fresh(bertrix, citizen).identity_verified


def test_a_secured_vote_refuses_an_unverified_identity_and_says_how(bertrix, agent, citizen, bertrix_client):
    identity_app(bertrix)
    budget, ideas = make_budget(bertrix, agent, require_verified_identity=True)
    client = log_in(bertrix_client, bertrix, citizen)
    page = client.get(f"/budgets/{budget.slug}/voter/").content.decode()
    assert "Ce vote est sécurisé" in page and 'href="/compte/profil/"' in page
    with tenant_context(bertrix), translation.override("fr"):
        try:
            budget_services.ballot_cast(budget=budget, voter=citizen, choices={ideas[0].pk: 1})
        except BallotError as error:
            assert "vérifiez votre identité" in error.messages[0]
        else:
            raise AssertionError("an unverified identity voted in a secured vote")
        assert not Ballot.objects.exists()
    connect(bertrix, citizen)
    with tenant_context(bertrix):
        voter = User.objects.get(pk=citizen.pk)
        assert budget_services.ballot_cast(budget=budget, voter=voter, choices={ideas[0].pk: 1})


def test_a_secured_survey_asks_for_a_verified_identity(bertrix, citizen):
    from tests.surveys.conftest import make_survey

    identity_app(bertrix)
    survey, _questions = make_survey(bertrix, slug="securisee", audience=Survey.Audience.IDENTITY)
    with tenant_context(bertrix), translation.override("fr"):
        assert "Cette enquête est sécurisée" in survey_refusal(User.objects.get(pk=citizen.pk), survey)
    connect(bertrix, citizen)
    with tenant_context(bertrix):
        assert survey_refusal(User.objects.get(pk=citizen.pk), survey) is None


def test_the_profile_page_offers_the_trusted_services_then_shows_the_verification(bertrix, citizen, bertrix_client):
    identity_app(bertrix)
    identity_app(bertrix, provider="google", name="Google")
    client = log_in(bertrix_client, bertrix, citizen)
    page = client.get("/compte/profil/").content.decode()
    assert "Vérifier mon identité avec FranceConnect" in page and "avec Google" not in page
    assert 'action="/accounts/oidc/franceconnect/login/?process=connect' in page
    connect(bertrix, citizen)
    page = client.get("/compte/profil/").content.decode()
    assert "Votre identité est vérifiée (FranceConnect" in page and "Vérifier mon identité avec" not in page


def test_a_verification_in_one_commune_counts_for_nothing_in_another(bertrix, fleurus, citizen):
    identity_app(bertrix)
    same_person = create_citizen(fleurus, citizen.email)
    connect(bertrix, citizen)
    assert fresh(bertrix, citizen).identity_verified
    with tenant_context(fleurus):
        assert not is_identity_verified(User.objects.get(pk=same_person.pk))


def test_the_verification_is_in_the_persons_data_and_goes_with_the_account(bertrix, citizen):
    from accounts.privacy import personal_data
    from accounts.services import account_delete

    identity_app(bertrix)
    connect(bertrix, citizen)
    with tenant_context(bertrix):
        user = User.objects.get(pk=citizen.pk)
        assert personal_data(user)["account"]["identity_verified_by"] == "FranceConnect"
        account_delete(user=user)
        user.refresh_from_db()
        assert user.identity_verified_at is None and user.identity_verified_by == ""
