"""A citizen downloads their data and deletes their account: what they posted stays, without
their name; what was private to them goes; they can no longer log in; another commune's
account of the same person is untouched."""

import json

from django.core import mail  # noqa: F401 - the locmem outbox is reset per test
from django.utils import translation
from django_tenants.utils import tenant_context

from accounts.models import Notification, User
from budgets.models import Ballot
from ideas import services as idea_services
from ideas.models import Comment, Follow, Idea, Vote
from moderation.models import Report
from tests.conftest import PASSWORD, create_citizen, log_in
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture


def contributions(commune, call, citizen):
    other = create_citizen(commune, "voisin@bertrix.example", display_name="Paul")
    idea = make_idea(commune, call, citizen, title="Des bancs au parc")
    other_idea = make_idea(commune, call, other, title="Une fontaine")
    with tenant_context(commune):
        idea_services.comment_add(idea=other_idea, author=citizen, body="Oui, une fontaine à eau potable.")
        idea_services.idea_vote(idea=other_idea, voter=citizen, value=1)
        idea_services.idea_follow(idea=other_idea, follower=citizen)
        reply = idea_services.comment_add(idea=idea, author=other, body="Bonne idée, Marie !")
        from moderation.services import report_create

        report_create(content=reply, reporter=citizen, reason="off_topic")
    return idea, other_idea


def test_the_download_holds_everything_of_the_person_and_only_theirs(bertrix, call, citizen, bertrix_client):
    idea, other_idea = contributions(bertrix, call, citizen)
    client = log_in(bertrix_client, bertrix, citizen)
    response = client.get("/compte/mes-donnees/telecharger/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == citizen.email and data["account"]["display_name"] == "Marie"
    assert [i["title"] for i in data["ideas"]["ideas"]] == ["Des bancs au parc"]
    assert [c["text"] for c in data["ideas"]["comments"]] == ["Oui, une fontaine à eau potable."]
    assert len(data["ideas"]["votes"]) == 1
    assert sorted(f["idea"] for f in data["ideas"]["follows"]) == sorted([idea.pk, other_idea.pk])
    assert data["moderation"]["reports_made"][0]["reason"] == "off_topic"
    assert "Une fontaine" not in json.dumps(data["ideas"]["ideas"])  # someone else's idea
    assert "voisin@bertrix.example" not in response.content.decode()
    assert bertrix_client.get("/compte/mes-donnees/telecharger/").status_code == 200  # same client, logged in
    assert client.logout() is None
    anonymous = bertrix_client.get("/compte/mes-donnees/telecharger/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


def test_deleting_the_account_keeps_contributions_without_the_name(bertrix, call, citizen, bertrix_client):
    idea, other_idea = contributions(bertrix, call, citizen)
    with tenant_context(bertrix):
        Notification.objects.create(recipient=citizen, message="Votre idée avance", key="x")
    client = log_in(bertrix_client, bertrix, citizen)
    wrong = client.post("/compte/mes-donnees/", {"password": "wrong", "confirm": "1"})
    assert wrong.status_code == 400 and "mot de passe" in wrong.content.decode()
    unticked = client.post("/compte/mes-donnees/", {"password": PASSWORD})
    assert unticked.status_code == 400 and "Cochez la case" in unticked.content.decode()
    response = client.post("/compte/mes-donnees/", {"password": PASSWORD, "confirm": "1"})
    assert response.status_code == 302
    with tenant_context(bertrix):
        gone = User.objects.get(pk=citizen.pk)
        assert gone.is_deleted and not gone.is_active and not gone.has_usable_password()
        assert gone.display_name == "" and "marie" not in gone.email
        with translation.override("fr"):
            assert str(gone) == "Compte supprimé"
        assert not gone.emailaddress_set.exists() and not Notification.objects.filter(recipient=gone).exists()
        # The discussion keeps its thread.
        assert Idea.objects.get(pk=idea.pk).author_id == gone.pk
        assert Comment.objects.filter(author=gone, body="Oui, une fontaine à eau potable.").exists()
        assert Vote.objects.filter(voter=gone).count() == 1
        assert Idea.objects.get(pk=other_idea.pk).support_count == 1
        assert not Follow.objects.filter(follower=gone).exists()
        # The report still waiting stays in the moderators' queue.
        assert Report.objects.filter(reporter=gone, handled_at__isnull=True).count() == 1
    page = bertrix_client.get(f"/participer/idees/{other_idea.pk}/").content.decode()
    assert "Oui, une fontaine à eau potable." in page and "Marie" not in page
    assert "Des bancs au parc" in bertrix_client.get(f"/participer/idees/{idea.pk}/").content.decode()
    # Logged out, and no way back in.
    assert bertrix_client.get("/compte/mes-donnees/").status_code == 302
    assert not bertrix_client.login(email=citizen.email, password=PASSWORD)
    # The address is free again: the person may sign up anew.
    again = create_citizen(bertrix, citizen.email)
    assert again.pk != citizen.pk


def test_ballots_stay_counted_after_deletion(bertrix, agent, citizen):
    from accounts.services import account_delete
    from tests.budgets.conftest import make_budget

    budget, ideas = make_budget(bertrix, agent)
    with tenant_context(bertrix):
        from budgets import services

        services.ballot_cast(budget=budget, voter=citizen, choices={ideas[0].pk: 1})
        account_delete(user=User.objects.get(pk=citizen.pk))
        ballot = Ballot.objects.get()
        assert ballot.voter_id == citizen.pk and ballot.choices.count() == 1


def test_another_communes_account_of_the_same_person_is_untouched(bertrix, fleurus, citizen, bertrix_client):
    same_person = create_citizen(fleurus, citizen.email, display_name="Marie")
    client = log_in(bertrix_client, bertrix, citizen)
    client.post("/compte/mes-donnees/", {"password": PASSWORD, "confirm": "1"})
    with tenant_context(fleurus):
        kept = User.objects.get(pk=same_person.pk)
        assert kept.is_active and kept.email == citizen.email and kept.display_name == "Marie"
