"""Versioned terms of use and ethics charter: accepted at sign-up, asked again after a change
before the citizen posts (reading stays open), history of versions, and each commune's own."""

import pytest
from django.utils import translation
from django_tenants.utils import tenant_context

from ideas import rules
from ideas import services as idea_services
from ideas.models import Comment
from accounts.roles import Role
from moderation import services
from moderation.models import Policy, TermsAcceptance
from tests.conftest import create_citizen, create_staff, log_in
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture


def publish(commune, agent, body, changes="", kind="terms"):
    with tenant_context(commune):
        return services.policy_publish(kind=kind, body=body, changes=changes, actor=agent)


def test_a_new_version_is_asked_again_before_posting_and_reading_stays_open(bertrix, call, citizen, agent,
                                                                              bertrix_client):
    idea = make_idea(bertrix, call, citizen)
    with tenant_context(bertrix):
        assert rules.may_post(citizen)
    publish(bertrix, agent, "Version deux : pas de publicité.", changes="Ajout de la règle sur la publicité.")
    bertrix.refresh_from_db()
    assert bertrix.terms_version == 1
    with tenant_context(bertrix), translation.override("fr"):
        citizen.refresh_from_db()
        assert rules.terms_pending(citizen) and not rules.may_post(citizen)
        assert rules.posting_refusal(citizen) == ("Les conditions d'utilisation ont changé : acceptez-les "
                                                  "avant de publier à nouveau.")
    client = log_in(bertrix_client, bertrix, citizen)
    page = client.get(f"/participer/idees/{idea.pk}/").content.decode().replace("&#x27;", "'")
    assert "Le banc solidaire" in page  # still reads
    assert "Les conditions d'utilisation ont changé." in page
    assert "Acceptez les nouvelles conditions d'utilisation pour réagir" in page
    # The proposal form sends to the terms first, and back.
    response = client.get(f"/participer/appels/{call.slug}/proposer/")
    assert response.status_code == 302 and response.url.startswith("/conditions/accepter/?next=")
    page = client.get(response.url).content.decode()
    assert "Ajout de la règle sur la publicité." in page and "Version deux : pas de publicité." in page
    refused = client.post("/conditions/accepter/", {"version": "1", "next": f"/participer/appels/{call.slug}/proposer/"})
    assert refused.status_code == 400 and "Cochez la case" in refused.content.decode()
    accepted = client.post("/conditions/accepter/", {"version": "1", "accept": "1",
                                                     "next": f"/participer/appels/{call.slug}/proposer/"})
    assert accepted.status_code == 302 and accepted.url == f"/participer/appels/{call.slug}/proposer/"
    with tenant_context(bertrix):
        citizen.refresh_from_db()
        assert citizen.terms_version == 1 and rules.may_post(citizen)
        assert list(TermsAcceptance.objects.filter(user=citizen).order_by("version").values_list("version", flat=True)) == [0, 1]
    assert client.get(f"/participer/appels/{call.slug}/proposer/").status_code == 200


def test_accepting_an_outdated_version_or_going_elsewhere_is_refused(bertrix, agent, citizen, bertrix_client):
    publish(bertrix, agent, "Version un.")
    publish(bertrix, agent, "Version deux.")
    client = log_in(bertrix_client, bertrix, citizen)
    stale = client.post("/conditions/accepter/", {"version": "1", "accept": "1"})
    assert stale.status_code == 400 and "ont encore changé" in stale.content.decode()
    outside = client.post("/conditions/accepter/", {"version": "2", "accept": "1", "next": "https://evil.example/"})
    assert outside.status_code == 302 and outside.url == "/"
    with tenant_context(bertrix):
        citizen.refresh_from_db()
        assert citizen.terms_version == 2


def test_a_comment_typed_while_the_terms_changed_is_kept(bertrix, call, citizen, agent, bertrix_client):
    idea = make_idea(bertrix, call, citizen)
    client = log_in(bertrix_client, bertrix, citizen)
    publish(bertrix, agent, "Nouvelle version.")
    response = client.post(f"/participer/idees/{idea.pk}/commenter/", {"body": "Mon long commentaire réfléchi."})
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    assert "Mon long commentaire réfléchi." in page and "acceptez-les avant de publier" in page
    with tenant_context(bertrix):
        assert not Comment.objects.exists()


def test_sign_up_records_the_current_version(bertrix, agent, bertrix_client):
    publish(bertrix, agent, "Version un.")
    publish(bertrix, agent, "Version deux.")
    response = bertrix_client.post("/accounts/signup/", {
        "email": "nouvelle@bertrix.example", "password1": "correct-horse-battery-9",
        "password2": "correct-horse-battery-9", "accept_terms": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    from accounts.models import User

    with tenant_context(bertrix):
        user = User.objects.get(email="nouvelle@bertrix.example")
        assert user.terms_version == 2 and user.terms_accepted_at is not None
        assert TermsAcceptance.objects.get(user=user).version == 2
        assert not rules.terms_pending(user)


def test_versions_history_pages_and_the_charter(bertrix, agent, bertrix_client):
    page = bertrix_client.get("/charte/").content.decode()
    assert "Bertrix s'engage" in page.replace("&#x27;", "'") and "Version" not in page
    publish(bertrix, agent, "Première version des conditions.")
    publish(bertrix, agent, "Deuxième version des conditions.", changes="Précisions sur les données.")
    publish(bertrix, agent, "Notre charte : répondre à tous sous 15 jours.", kind="charter")
    current = bertrix_client.get("/conditions/").content.decode()
    assert "Deuxième version des conditions." in current and "Première version" not in current
    assert "Précisions sur les données." in current and 'href="/conditions/version-1/"' in current
    old = bertrix_client.get("/conditions/version-1/").content.decode()
    assert "Première version des conditions." in old and "ancienne version" in old
    assert bertrix_client.get("/conditions/version-9/").status_code == 404
    assert "répondre à tous sous 15 jours" in bertrix_client.get("/charte/").content.decode()
    # A new charter does not ask citizens to accept anything again.
    bertrix.refresh_from_db()
    assert bertrix.terms_version == 2


def test_publishing_is_for_agents_and_never_the_same_text(bertrix, agent, citizen):
    from accounts.roles import Role

    moderator = create_staff(bertrix, "moderation@bertrix.example", Role.MODERATOR)
    for person in (citizen, moderator):
        with tenant_context(bertrix), pytest.raises(services.ModerationError):
            services.policy_publish(kind="terms", body="Un texte.", actor=person)
    publish(bertrix, agent, "Un texte.")
    with tenant_context(bertrix), translation.override("fr"), pytest.raises(services.ModerationError, match="identique"):
        services.policy_publish(kind="terms", body="  Un texte. ", actor=agent)
    with tenant_context(bertrix), pytest.raises(services.ModerationError):
        services.policy_publish(kind="terms", body="   ", actor=agent)
    with tenant_context(bertrix):
        assert Policy.objects.count() == 1


def test_agents_publish_in_the_admin_and_versions_are_read_only(bertrix, agent, citizen, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    form = client.get("/admin/moderation/policy/add/?kind=terms").content.decode()
    assert "Bertrix" in form  # starts from the current text
    response = client.post("/admin/moderation/policy/add/", {
        "kind": "terms", "body": "Les règles de Bertrix, version admin.", "changes": "Tout est neuf."})
    assert response.status_code == 302
    with tenant_context(bertrix):
        policy = Policy.objects.get()
        assert (policy.version, policy.published_by) == (1, agent)
    bertrix.refresh_from_db()
    assert bertrix.terms_version == 1
    same = client.post("/admin/moderation/policy/add/", {
        "kind": "terms", "body": "Les règles de Bertrix, version admin.", "changes": ""})
    assert same.status_code == 200 and "identique à la version actuelle" in same.content.decode()
    # A published version cannot be changed or deleted.
    client.post(f"/admin/moderation/policy/{policy.pk}/change/", {"kind": "terms", "body": "Modifié", "changes": ""})
    client.post(f"/admin/moderation/policy/{policy.pk}/delete/", {"post": "yes"})
    with tenant_context(bertrix):
        assert Policy.objects.get().body == "Les règles de Bertrix, version admin."
    # Citizens get nothing of it.
    citizen_client = log_in(bertrix_client, bertrix, citizen)
    assert citizen_client.get("/admin/moderation/policy/add/").status_code == 302


def test_each_commune_versions_its_own_terms(bertrix, fleurus, agent, fleurus_client):
    publish(bertrix, agent, "Les conditions de Bertrix, version un.")
    fleurus.refresh_from_db()
    assert fleurus.terms_version == 0
    resident = create_citizen(fleurus, "habitant@fleurus.example")
    with tenant_context(fleurus):
        assert not rules.terms_pending(resident) and not Policy.objects.exists()
    page = fleurus_client.get("/conditions/").content.decode()
    assert "Bertrix" not in page
    assert fleurus_client.get("/conditions/version-1/").status_code == 404
    fleurus_agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    client = log_in(fleurus_client, fleurus, fleurus_agent)
    assert "Bertrix" not in client.get("/admin/moderation/policy/").content.decode()
