"""The agents' inbox in the commune's admin: waiting conversations first, the longest wait
on top; filters; a conversation's page to answer, assign, close and reopen; nothing edited
or deleted there."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from messaging import services
from messaging.models import Message, Thread
from tests.conftest import client_for, log_in, warm_client_for
from tests.messaging.conftest import answer, fr, open_thread


@pytest.fixture
def agent_client(bertrix, agent):
    return log_in(warm_client_for("bertrix.localhost"), bertrix, agent)


def subjects_in_order(html: str) -> list[str]:
    return re.findall(r'<th class="field-subject"><a href="[^"]+">([^<]+)</a>', unescape(html))


def test_waiting_conversations_come_first_the_longest_wait_on_top(bertrix, citizen, other_citizen, agent,
                                                                   agent_client):
    now = timezone.now()
    recent_wait = open_thread(bertrix, citizen, subject="Attend depuis une heure")
    long_wait = open_thread(bertrix, other_citizen, subject="Attend depuis trois jours")
    answered_old = open_thread(bertrix, citizen, subject="Répondu il y a longtemps")
    answered_recent = open_thread(bertrix, other_citizen, subject="Répondu hier")
    answer(bertrix, answered_old, agent)
    answer(bertrix, answered_recent, agent)
    with tenant_context(bertrix):
        for thread, waiting, last in [(recent_wait, now - timedelta(hours=1), now - timedelta(hours=1)),
                                      (long_wait, now - timedelta(days=3), now - timedelta(hours=2)),
                                      (answered_old, None, now - timedelta(days=20)),
                                      (answered_recent, None, now - timedelta(days=1))]:
            Thread.objects.filter(pk=thread.pk).update(waiting_since=waiting, last_message_at=last)
    html = agent_client.get("/admin/messaging/thread/").content.decode()
    assert subjects_in_order(html) == ["Attend depuis trois jours", "Attend depuis une heure", "Répondu hier",
                                       "Répondu il y a longtemps"]

    assert subjects_in_order(agent_client.get("/admin/messaging/thread/?waiting=yes").content.decode()) == [
        "Attend depuis trois jours", "Attend depuis une heure"]
    with tenant_context(bertrix):
        services.thread_close(thread=answered_old, actor=agent)
    assert subjects_in_order(agent_client.get("/admin/messaging/thread/?status__exact=closed").content.decode()) == [
        "Répondu il y a longtemps"]
    # The agent took the two they answered.
    assert subjects_in_order(agent_client.get("/admin/messaging/thread/?assigned=me").content.decode()) == [
        "Répondu hier", "Répondu il y a longtemps"]
    assert subjects_in_order(agent_client.get("/admin/messaging/thread/?assigned=nobody").content.decode()) == [
        "Attend depuis trois jours", "Attend depuis une heure"]
    html = unescape(agent_client.get("/admin/messaging/thread/?q=lucas@bertrix").content.decode())
    assert subjects_in_order(html) == ["Attend depuis trois jours", "Répondu hier"]


def test_an_agent_answers_from_the_conversations_page(bertrix, thread, citizen, agent, agent_client,
                                                      django_capture_on_commit_callbacks):
    url = f"/admin/messaging/thread/{thread.pk}/change/"
    html = unescape(agent_client.get(url).content.decode())
    assert "Le recyparc est-il ouvert lundi ?" in html and "citoyen@bertrix.example" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(url, {"action": "answer", "body": "Oui, de 9 h à 16 h.", "form_token": "a1"})
    assert response.status_code == 302 and response["Location"] == url
    with tenant_context(bertrix):
        thread.refresh_from_db()
        message = thread.messages.last()
        assert (message.body, message.from_commune, message.author) == ("Oui, de 9 h à 16 h.", True, agent)
        assert thread.assigned_to == agent and thread.waiting_since is None and thread.is_open
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    html = unescape(agent_client.get(url).content.decode())
    assert fr("Your answer is sent; the citizen is told by email.") in html and "Oui, de 9 h à 16 h." in html

    # Answer and close at once; the same form sent twice answers once.
    data = {"action": "answer", "body": "Nous clôturons la demande.", "close": "on", "form_token": "a2"}
    agent_client.post(url, data)
    agent_client.post(url, data)
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.messages.filter(body="Nous clôturons la demande.").count() == 1
        assert thread.status == "closed"


def test_an_empty_answer_comes_back_with_a_message(bertrix, thread, agent_client):
    url = f"/admin/messaging/thread/{thread.pk}/change/"
    response = agent_client.post(url, {"action": "answer", "body": "   ", "form_token": "e"})
    assert response.status_code == 400 and fr("Write your answer.") in unescape(response.content.decode())
    long = "Une réponse bien trop longue. " * 200
    response = agent_client.post(url, {"action": "answer", "body": long, "form_token": "e2"})
    assert response.status_code == 400 and long.strip() in unescape(response.content.decode())
    with tenant_context(bertrix):
        assert thread.messages.count() == 1


def test_assign_to_a_colleague_or_to_oneself_close_and_reopen(bertrix, thread, agent, second_agent, agent_client,
                                                              django_capture_on_commit_callbacks):
    url = f"/admin/messaging/thread/{thread.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(url, {"action": "assign", "assignee": second_agent.pk})
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.assigned_to == second_agent
    # The colleague hears of it, with the link to the conversation.
    assert [m.to for m in mail.outbox] == [[second_agent.email]]
    assert f"http://bertrix.localhost/admin/messaging/thread/{thread.pk}/change/" in mail.outbox[0].body
    agent_client.post(url, {"action": "assign_me"})
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.assigned_to == agent
    agent_client.post(url, {"action": "assign", "assignee": ""})
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.assigned_to is None
    agent_client.post(url, {"action": "close"})
    html = unescape(agent_client.get(url).content.decode())
    assert fr("Reopen the conversation") in html and fr("The conversation is closed.") in html
    response = agent_client.post(url, {"action": "close"})  # again: refused plainly
    assert fr("This conversation is already closed.") in unescape(agent_client.get(response["Location"]).content
                                                                  .decode())
    agent_client.post(url, {"action": "reopen"})
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.is_open
        kinds = list(thread.events.values_list("kind", flat=True))
    assert kinds == ["assigned", "assigned", "unassigned", "closed", "reopened"]
    assert len(mail.outbox) == 1  # assigning oneself tells nobody


def test_a_citizen_cannot_be_assigned(bertrix, thread, citizen, agent_client):
    url = f"/admin/messaging/thread/{thread.pk}/change/"
    response = agent_client.post(url, {"action": "assign", "assignee": citizen.pk})
    assert response.status_code == 400
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.assigned_to is None


def test_messages_are_neither_edited_nor_deleted_in_the_admin(bertrix, thread, agent_client):
    assert agent_client.get("/admin/messaging/message/").status_code == 404
    assert agent_client.get(f"/admin/messaging/thread/{thread.pk}/delete/").status_code == 404
    assert agent_client.post(f"/admin/messaging/thread/{thread.pk}/delete/", {"post": "yes"}).status_code == 404
    assert agent_client.get(f"/admin/messaging/thread/{thread.pk}/history/").status_code == 404
    assert agent_client.get("/admin/messaging/thread/add/").status_code == 403
    html = agent_client.get(f"/admin/messaging/thread/{thread.pk}/change/").content.decode()
    assert 'name="subject"' not in html  # nothing of the thread itself is a form field
    with tenant_context(bertrix):
        assert Message.objects.count() == 1 and Thread.objects.count() == 1


def test_the_inbox_is_in_the_admin_index_for_agents_only(bertrix, agent_client, analyst, moderator):
    assert "/admin/messaging/thread/" in agent_client.get("/admin/").content.decode()
    for person in (analyst, moderator):
        html = log_in(client_for("bertrix.localhost"), bertrix, person).get("/admin/").content.decode()
        assert "/admin/messaging/" not in html


def test_the_inbox_costs_a_fixed_number_of_queries(bertrix, citizen, agent, agent_client, count_queries):
    for number in range(3):
        answer(bertrix, open_thread(bertrix, citizen, subject=f"Sujet {number}"), agent)
    with count_queries() as few:
        agent_client.get("/admin/messaging/thread/")
    for number in range(20):
        answer(bertrix, open_thread(bertrix, citizen, subject=f"Autre {number}"), agent)
    with count_queries() as many:
        agent_client.get("/admin/messaging/thread/")
    assert len(few) == len(many), many.statements
