"""A citizen writes to the commune, reads the answers and replies; agents assign, answer,
close and reopen; each side sees what is new for it."""

import re
from html import unescape

import pytest
from django.utils import translation
from django_tenants.utils import tenant_context

from messaging import services
from messaging.models import Message, Thread, ThreadEvent
from tests.conftest import client_for, log_in
from tests.messaging.conftest import answer, fr, open_thread


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def test_a_citizen_opens_a_thread_reads_the_answer_and_replies(bertrix, citizen, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, citizen)
    assert fr("You have not written to the commune yet.") in page(client, "/messages/")
    response = client.post("/messages/nouveau/", {
        "subject": "  Éclairage   rue de la Gare ", "body": "Trois lampadaires sont éteints.\nDepuis lundi.",
        "form_token": "t1"})
    assert response.status_code == 302
    with tenant_context(bertrix):
        thread = Thread.objects.get()
        assert response["Location"] == f"/messages/{thread.pk}/"
        assert thread.subject == "Éclairage rue de la Gare" and thread.citizen == citizen and thread.is_open
        assert thread.waiting_since is not None and thread.assigned_to is None
        assert list(thread.messages.values_list("body", "from_commune", "author")) == [
            ("Trois lampadaires sont éteints.\nDepuis lundi.", False, citizen.pk)]
    html = page(client, f"/messages/{thread.pk}/")
    assert "Trois lampadaires sont éteints.<br>Depuis lundi." in html
    assert fr("Your message is sent to the commune. You will be told by email when it answers.") in html

    answer(bertrix, thread, agent, body="Merci, le gestionnaire du réseau est prévenu.")
    listing = page(client, "/messages/")
    assert "Éclairage rue de la Gare" in listing and fr("New answer") in listing
    html = page(client, f"/messages/{thread.pk}/")
    assert "Merci, le gestionnaire du réseau est prévenu." in html and "Bertrix" in html
    assert fr("New answer") not in page(client, "/messages/")  # read now

    response = client.post(f"/messages/{thread.pk}/", {"body": "Merci beaucoup !", "form_token": "t2"})
    with tenant_context(bertrix):
        message = Message.objects.get(body="Merci beaucoup !")
        thread.refresh_from_db()
        assert thread.waiting_since == message.created_at and not message.from_commune
    assert response["Location"] == f"/messages/{thread.pk}/#message-{message.pk}"


def test_the_agent_who_answers_an_unassigned_thread_takes_it(bertrix, thread, agent):
    answer(bertrix, thread, agent)
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.assigned_to == agent and thread.waiting_since is None
        assert thread.last_commune_message_at is not None and thread.last_from_commune
        event = ThreadEvent.objects.get(thread=thread)
        assert (event.kind, event.actor, event.assigned_to) == ("assigned", agent, agent)


def test_assign_close_and_reopen_with_their_log(bertrix, thread, agent, second_agent, citizen, analyst):
    with tenant_context(bertrix):
        services.thread_assign(thread=thread, assignee=second_agent, actor=agent)
        services.thread_assign(thread=thread, assignee=second_agent, actor=agent)  # no change, no row
        with pytest.raises(services.MessagingError):
            services.thread_assign(thread=thread, assignee=citizen, actor=agent)  # agents only
        with pytest.raises(services.MessagingError):
            services.thread_assign(thread=thread, assignee=agent, actor=analyst)  # by agents only
        services.thread_close(thread=thread, actor=second_agent)
        thread.refresh_from_db()
        assert thread.status == "closed" and thread.waiting_since is None
        with translation.override("en"), pytest.raises(services.MessagingError, match="closed"):
            services.thread_close(thread=thread, actor=agent)
        with pytest.raises(services.MessagingError):
            services.thread_close(thread=thread, actor=citizen)
        services.thread_reopen(thread=thread, actor=agent)
        thread.refresh_from_db()
        # The citizen had the last word: the thread waits for an answer again, since then.
        assert thread.is_open and thread.waiting_since == thread.last_citizen_message_at
        services.thread_assign(thread=thread, assignee=None, actor=agent)
        events = list(thread.events.values_list("kind", "actor", "assigned_to"))
    assert events == [("assigned", agent.pk, second_agent.pk), ("closed", second_agent.pk, None),
                      ("reopened", agent.pk, None), ("unassigned", agent.pk, None)]


def test_a_citizens_message_reopens_a_closed_thread(bertrix, thread, agent, citizen, bertrix_client):
    answer(bertrix, thread, agent)
    with tenant_context(bertrix):
        services.thread_close(thread=thread, actor=agent)
    client = log_in(bertrix_client, bertrix, citizen)
    html = page(client, f"/messages/{thread.pk}/")
    assert fr("The commune closed this conversation.") in html
    assert fr("The commune closed this conversation. If you write again, it opens again.") in html
    client.post(f"/messages/{thread.pk}/", {"body": "Encore une question.", "form_token": "t3"})
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.is_open and thread.waiting_since is not None
        assert thread.events.last().kind == "reopened" and thread.events.last().actor == citizen


def test_unread_marks_for_each_side(bertrix, thread, agent, citizen, bertrix_client):
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert thread.unread_by_commune and not thread.unread_by_citizen
    agent_client = log_in(client_for("bertrix.localhost"), bertrix, agent)
    listing = agent_client.get("/admin/messaging/thread/").content.decode()
    assert re.search(r'field-unread">\s*<img[^>]*alt="True"', listing)
    agent_client.get(f"/admin/messaging/thread/{thread.pk}/change/")
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert not thread.unread_by_commune
    listing = agent_client.get("/admin/messaging/thread/").content.decode()
    assert re.search(r'field-unread">\s*<img[^>]*alt="False"', listing)

    answer(bertrix, thread, agent, body="Première réponse.")
    answer(bertrix, thread, agent, body="Deuxième réponse.")
    client = log_in(bertrix_client, bertrix, citizen)
    html = page(client, f"/messages/{thread.pk}/")
    # Both answers are marked new on the first visit, none on the next.
    assert len(re.findall(r'class="bubble from-commune new"', html)) == 2
    html = page(client, f"/messages/{thread.pk}/")
    assert 'class="bubble from-commune new"' not in html
    with tenant_context(bertrix):
        thread.refresh_from_db()
        assert not thread.unread_by_citizen


def test_the_list_shows_my_threads_with_their_status_newest_first(bertrix, citizen, other_citizen, agent,
                                                                   bertrix_client):
    first = open_thread(bertrix, citizen, subject="Premier sujet")
    second = open_thread(bertrix, citizen, subject="Deuxième sujet")
    open_thread(bertrix, other_citizen, subject="Le sujet de Lucas")
    with tenant_context(bertrix):
        services.thread_close(thread=first, actor=agent)
    html = page(log_in(bertrix_client, bertrix, citizen), "/messages/")
    assert html.index("Deuxième sujet") < html.index("Premier sujet")
    assert "Le sujet de Lucas" not in html
    assert fr("Closed") in html and fr("Open") in html
    assert html.count(fr("Waiting for the commune's answer")) == 2
    answer(bertrix, second, agent)
    html = page(bertrix_client, "/messages/")
    assert html.index("Deuxième sujet") < html.index("Premier sujet")
    assert fr("The commune answered") in html
