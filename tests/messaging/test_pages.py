"""The citizen's forms: bad input comes back with the text as typed and a clear message,
HTML stays text, a blocked or unconfirmed person reads but does not write, a double click
sends once, a burst is slowed down; the pages cost a fixed number of queries."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from accounts.models import User
from messaging import views
from messaging.models import Message, Thread
from messaging.rules import writing_refusal
from tests.conftest import client_for, create_citizen, log_in
from tests.messaging.conftest import answer, fr, open_thread


def text(response) -> str:
    return unescape(response.content.decode())


def count(commune, model=Thread) -> int:
    with tenant_context(commune):
        return model.objects.count()


def test_bad_input_comes_back_with_the_text_kept_and_a_clear_message(bertrix, citizen, bertrix_client):
    client = log_in(bertrix_client, bertrix, citizen)
    typed = "Mon long message, écrit avec soin. " * 150  # about 5 250 characters
    response = client.post("/messages/nouveau/", {"subject": "   ", "body": typed, "form_token": "t1"})
    assert response.status_code == 400 and count(bertrix) == 0
    html = text(response)
    assert fr("Give your message a subject.") in html
    assert "au plus 5000 caractères" in html  # Django's own message, in the commune's language
    assert typed.strip() in html and 'aria-invalid="true"' in html
    # The same token is still good once the text is corrected.
    response = client.post("/messages/nouveau/", {"subject": "Un sujet", "body": typed[:4000], "form_token": "t1"})
    assert response.status_code == 302 and count(bertrix) == 1

    with tenant_context(bertrix):
        thread = Thread.objects.get()
    response = client.post(f"/messages/{thread.pk}/", {"body": "  \n ", "form_token": "t2"})
    assert response.status_code == 400 and fr("Write your message.") in text(response)
    assert count(bertrix, Message) == 1


def test_the_form_speaks_the_visitors_language(fleurus, fleurus_client):
    citizen = create_citizen(fleurus, "julie@fleurus.example")
    client = log_in(fleurus_client, fleurus, citizen)
    response = client.post("/messages/nouveau/", {"subject": "Onderwerp", "body": "x" * 5001, "form_token": "t"},
                           HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400 and response["Content-Language"] == "nl"
    assert "5000" in text(response) and "Onderwerp" in text(response)


def test_html_and_scripts_are_shown_as_text_everywhere(bertrix, citizen, agent, bertrix_client):
    thread = open_thread(bertrix, citizen, subject="<b>Urgent</b> & important",
                         body='<script>alert("x")</script><img src=x onerror=alert(1)>')
    answer(bertrix, thread, agent, body="<a href='javascript:alert(2)'>cliquez</a>")
    client = log_in(bertrix_client, bertrix, citizen)
    agent_client = log_in(client_for("bertrix.localhost"), bertrix, agent)
    for html in (client.get("/messages/").content.decode(), client.get(f"/messages/{thread.pk}/").content.decode(),
                 agent_client.get("/admin/messaging/thread/").content.decode(),
                 agent_client.get(f"/admin/messaging/thread/{thread.pk}/change/").content.decode()):
        assert "<b>Urgent</b>" not in html and "&lt;b&gt;Urgent&lt;/b&gt; &amp; important" in html
        assert "<script>alert" not in html and "<img src=x" not in html and "href='javascript" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in client.get(f"/messages/{thread.pk}/").content.decode()


def test_a_blocked_citizen_reads_their_threads_but_cannot_write(bertrix, citizen, agent, bertrix_client):
    thread = open_thread(bertrix, citizen)
    answer(bertrix, thread, agent, body="La réponse de la commune.")
    with tenant_context(bertrix):
        User.objects.filter(pk=citizen.pk).update(posting_blocked_until=timezone.now() + timedelta(days=7))
    client = log_in(bertrix_client, bertrix, citizen)
    html = text(client.get(f"/messages/{thread.pk}/"))
    assert "La réponse de la commune." in html  # still reads
    with tenant_context(bertrix), translation.override("fr"):
        citizen.refresh_from_db()
        refusal = writing_refusal(citizen)
    assert "/" in refusal  # with the date the block ends
    assert refusal in html and 'name="body"' not in html
    listing = text(client.get("/messages/"))
    main = listing.split('<main', 1)[1].split('</main>', 1)[0]  # the footer links to it on every page
    assert refusal in main and 'href="/messages/nouveau/"' not in main

    response = client.post(f"/messages/{thread.pk}/", {"body": "Je réponds quand même.", "form_token": "b1"})
    assert response.status_code == 403
    assert refusal in text(response) and "Je réponds quand même." in text(response)  # nothing typed is lost
    response = client.post("/messages/nouveau/", {"subject": "Encore", "body": "Un autre sujet.", "form_token": "b2"})
    assert response.status_code == 403 and "Un autre sujet." in text(response)
    assert count(bertrix) == 1 and count(bertrix, Message) == 2


def test_an_unconfirmed_address_cannot_write_yet(bertrix, bertrix_client):
    from allauth.account.models import EmailAddress

    with tenant_context(bertrix):
        person = User.objects.create_user(email="nouveau@bertrix.example", password="x")
        EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    client = log_in(bertrix_client, bertrix, person)
    html = text(client.get("/messages/nouveau/"))
    assert fr("Confirm your email address first: click the link we sent you.") in html and 'name="body"' not in html
    response = client.post("/messages/nouveau/", {"subject": "Bonjour", "body": "Un message.", "form_token": "u"})
    assert response.status_code == 403 and count(bertrix) == 0


def test_a_double_click_sends_once(bertrix, citizen, bertrix_client):
    client = log_in(bertrix_client, bertrix, citizen)
    data = {"subject": "Poubelles", "body": "Le ramassage est-il maintenu lundi férié ?", "form_token": "same"}
    first = client.post("/messages/nouveau/", data)
    second = client.post("/messages/nouveau/", data)
    assert count(bertrix) == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    reply = {"body": "Et le mardi ?", "form_token": "again"}
    client.post(first["Location"], reply)
    client.post(first["Location"], reply)
    assert count(bertrix, Message) == 2


def test_a_burst_of_messages_is_slowed_down_without_losing_the_text(bertrix, citizen, bertrix_client, monkeypatch):
    monkeypatch.setattr(views, "THREADS_PER_HOUR", 2)
    monkeypatch.setattr(views, "MESSAGES_PER_HOUR", 3)
    client = log_in(bertrix_client, bertrix, citizen)
    for number in range(2):
        response = client.post("/messages/nouveau/", {"subject": f"Sujet {number}", "body": "Texte.",
                                                      "form_token": f"n{number}"})
        assert response.status_code == 302
    response = client.post("/messages/nouveau/", {"subject": "Sujet 3", "body": "Le troisième, gardé.",
                                                  "form_token": "n3"})
    assert response.status_code == 429
    html = text(response)
    assert fr("You have sent many messages in a short while. Wait a little and send it again: your text is "
              "kept below.") in html
    assert "Le troisième, gardé." in html and "Sujet 3" in html and 'value="n3"' not in html  # a fresh token
    assert count(bertrix) == 2

    with tenant_context(bertrix):
        thread = Thread.objects.first()
    for number in range(3):
        assert client.post(f"/messages/{thread.pk}/", {"body": f"Réponse {number}",
                                                       "form_token": f"r{number}"}).status_code == 302
    response = client.post(f"/messages/{thread.pk}/", {"body": "Une de trop.", "form_token": "r4"})
    assert response.status_code == 429 and "Une de trop." in text(response)
    # Another person is not slowed down by this one.
    other = create_citizen(bertrix, "autre@bertrix.example")
    response = log_in(client_for("bertrix.localhost"), bertrix, other).post(
        "/messages/nouveau/", {"subject": "Moi", "body": "Mon message.", "form_token": "o"})
    assert response.status_code == 302


def _threads(commune, citizen, agent, n):
    for number in range(n):
        thread = open_thread(commune, citizen, subject=f"Sujet {number}")
        if number % 2:
            answer(commune, thread, agent)


def _messages(commune, thread, citizen, agent, n):
    from messaging import services

    with tenant_context(commune):
        for number in range(n):
            services.message_send(thread=thread, author=agent if number % 2 else citizen, body=f"Message {number}")


# session, user, the count of threads, the email-verified check, one page of threads (the host's
# commune is in the routing cache after the first request: tenants.selectors.commune_for_host).
MY_MESSAGES_QUERIES = 5
# session, user, the thread, its messages, its events, the email-verified check.
THREAD_PAGE_QUERIES = 6
# pytest-django's count also holds the ``SET search_path`` django-tenants sends before each
# statement (TENANT_LIMIT_SET_CALLS stays off: TENANCY-NOTES); tests/conftest.py's count_queries
# leaves them out.
WITH_SEARCH_PATH = 2


def test_my_messages_costs_a_fixed_number_of_queries(bertrix, citizen, agent, bertrix_client,
                                                     django_assert_num_queries, count_queries):
    client = log_in(bertrix_client, bertrix, citizen)
    _threads(bertrix, citizen, agent, 3)
    with count_queries() as few:
        assert client.get("/messages/").status_code == 200
    _threads(bertrix, citizen, agent, 27)
    with count_queries() as many:
        html = client.get("/messages/").content.decode()
    assert html.count('class="thread-row') == 25  # one page
    assert len(few) == len(many) == MY_MESSAGES_QUERIES, many.statements
    with django_assert_num_queries(WITH_SEARCH_PATH * MY_MESSAGES_QUERIES):
        client.get("/messages/")


def test_the_thread_page_costs_a_fixed_number_of_queries(bertrix, citizen, agent, bertrix_client,
                                                         django_assert_num_queries, count_queries):
    client = log_in(bertrix_client, bertrix, citizen)
    thread = open_thread(bertrix, citizen)
    _messages(bertrix, thread, citizen, agent, 2)
    client.get(f"/messages/{thread.pk}/")  # read: the next visits only read
    with count_queries() as few:
        assert client.get(f"/messages/{thread.pk}/").status_code == 200
    _messages(bertrix, thread, citizen, agent, 27)
    with tenant_context(bertrix):
        from messaging import services

        services.thread_close(thread=thread, actor=agent)
        services.thread_reopen(thread=thread, actor=agent)
    client.get(f"/messages/{thread.pk}/")
    with count_queries() as many:
        html = client.get(f"/messages/{thread.pk}/").content.decode()
    assert html.count('class="bubble') == 30
    assert len(few) == len(many) == THREAD_PAGE_QUERIES, many.statements
    with django_assert_num_queries(WITH_SEARCH_PATH * THREAD_PAGE_QUERIES):
        client.get(f"/messages/{thread.pk}/")


def test_opening_a_thread_with_a_new_answer_marks_it_read_in_two_more_queries(bertrix, citizen, agent,
                                                                                 bertrix_client, count_queries):
    client = log_in(bertrix_client, bertrix, citizen)
    thread = open_thread(bertrix, citizen)
    answer(bertrix, thread, agent)
    with count_queries() as first_visit:
        client.get(f"/messages/{thread.pk}/")
    # the thread's read marker and the notifications about it, together (a savepoint here, in the
    # test's transaction)
    statements = [s for s in first_visit.statements if "SAVEPOINT" not in s]
    assert len(statements) == THREAD_PAGE_QUERIES + 2, first_visit.statements


@pytest.mark.parametrize("path", ["/messages/", "/messages/nouveau/", "/messages/1/"])
def test_pages_need_a_login(bertrix, bertrix_client, path):
    response = bertrix_client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
