"""Emails both ways, each sent once: a citizen's message reaches the assigned agent, else
every agent, else the commune's contact address, with the link to the admin; an answer
reaches the citizen by email and on the site, with the link to the thread. The emails
carry neither the message nor its subject."""

import re

import pytest
from django.core import mail
from django_tenants.utils import tenant_context

from accounts.models import Notification
from accounts.roles import Role
from messaging import services, tasks
from messaging.models import Message
from tests.conftest import create_citizen, create_staff
from tests.messaging.conftest import open_thread

SUBJECT = "Mon voisin et moi"
BODY = "Mon voisin dépose ses déchets dans mon jardin depuis son divorce."


def write(commune, citizen, capture, subject=SUBJECT, body=BODY):
    with capture(execute=True):
        return open_thread(commune, citizen, subject=subject, body=body)


def test_a_new_thread_reaches_every_agent_once_with_the_admin_link(
        bertrix, citizen, agent, second_agent, analyst, django_capture_on_commit_callbacks):
    thread = write(bertrix, citizen, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([agent.email, second_agent.email])  # not the analyst
    for email in mail.outbox:
        assert email.subject.startswith("[Bertrix] ") and str(thread.pk) in email.subject
        assert f"http://bertrix.localhost/admin/messaging/thread/{thread.pk}/change/" in email.body
        assert SUBJECT not in email.subject + email.body and "divorce" not in email.body
        assert email.extra_headers["X-Civic-Commune"] == "bertrix"
    # A redelivered task sends nothing more.
    with tenant_context(bertrix):
        message = thread.messages.get()
        tasks.notify_commune.apply(kwargs={"message_id": message.pk})
    assert len(mail.outbox) == 2


def test_a_citizens_reply_reaches_the_assigned_agent_only(bertrix, citizen, agent, second_agent,
                                                          django_capture_on_commit_callbacks):
    thread = open_thread(bertrix, citizen)
    with tenant_context(bertrix):
        services.thread_assign(thread=thread, assignee=agent, actor=agent)
        with django_capture_on_commit_callbacks(execute=True):
            services.message_send(thread=thread, author=citizen, body="J'ajoute une précision.")
    assert [m.to for m in mail.outbox] == [[agent.email]]
    assert "J'ajoute" not in mail.outbox[0].body


def test_without_agents_the_contact_address_is_told(bertrix, citizen):
    thread = open_thread(bertrix, citizen)
    with tenant_context(bertrix):
        tasks.notify_commune.apply(kwargs={"message_id": thread.messages.get().pk})
        assert mail.outbox == []  # no agent, no contact address: nobody to tell
        bertrix.contact_email = "participation@bertrix.example"  # the worker's copy of the commune
        tasks.notify_commune.apply(kwargs={"message_id": thread.messages.get().pk})
    assert [m.to for m in mail.outbox] == [["participation@bertrix.example"]]


def test_an_inactive_assigned_agent_is_replaced_by_every_agent(bertrix, citizen, agent, second_agent,
                                                                django_capture_on_commit_callbacks):
    from accounts.models import User

    thread = open_thread(bertrix, citizen)
    with tenant_context(bertrix):
        services.thread_assign(thread=thread, assignee=second_agent, actor=agent)
        User.objects.filter(pk=second_agent.pk).update(is_active=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.message_send(thread=thread, author=citizen, body="Quelqu'un ?")
    assert [m.to for m in mail.outbox] == [[agent.email]]


def test_an_answer_reaches_the_citizen_once_by_email_and_on_the_site(bertrix, citizen, agent,
                                                                     django_capture_on_commit_callbacks):
    thread = open_thread(bertrix, citizen)
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        message = services.message_send(thread=thread, author=agent,
                                        body="Votre dossier de médiation est transmis au juge de paix.")
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    email = mail.outbox[0]
    assert email.subject.startswith("[Bertrix] ")
    assert re.search(rf"http://bertrix\.localhost/messages/{thread.pk}/\s", email.body)
    assert "médiation" not in email.body and "Horaires du recyparc" not in email.subject + email.body
    with tenant_context(bertrix):
        notification = Notification.objects.get(recipient=citizen)
        assert notification.url == f"/messages/{thread.pk}/" and "Horaires du recyparc" in notification.message
        # Delivered twice (a retry, a second worker): still one email, one notification.
        tasks.notify_citizen.apply(kwargs={"message_id": message.pk})
        assert Notification.objects.filter(recipient=citizen).count() == 1
    assert len(mail.outbox) == 1
    # Messages from the citizen are never sent to the citizen, answers never to the agents.
    with tenant_context(bertrix):
        first = Message.objects.filter(from_commune=False).first()
        tasks.notify_citizen.apply(kwargs={"message_id": first.pk})
        tasks.notify_commune.apply(kwargs={"message_id": message.pk})
    assert len(mail.outbox) == 1


def test_the_notification_is_read_with_the_thread(bertrix, citizen, agent, bertrix_client,
                                                  django_capture_on_commit_callbacks):
    from tests.conftest import log_in

    thread = open_thread(bertrix, citizen)
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        services.message_send(thread=thread, author=agent, body="Réponse.")
    log_in(bertrix_client, bertrix, citizen).get(f"/messages/{thread.pk}/")
    with tenant_context(bertrix):
        assert Notification.objects.get(recipient=citizen).read_at is not None


def test_nothing_is_sent_about_an_erased_thread(bertrix, citizen, agent):
    from messaging import privacy

    thread = open_thread(bertrix, citizen)
    with tenant_context(bertrix):
        message = services.message_send(thread=thread, author=agent, body="Réponse.")
        privacy.forget(citizen)
        tasks.notify_citizen.apply(kwargs={"message_id": message.pk})
        tasks.notify_commune.apply(kwargs={"message_id": thread.messages.first().pk})
    assert mail.outbox == []


@pytest.mark.worker
def test_emails_both_ways_are_sent_once_by_the_worker(live_commune, celery_worker, mailoutbox):
    citizen = create_citizen(live_commune, "zoe@exemple.be", display_name="Zoé")
    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)
    with tenant_context(live_commune):
        thread = services.thread_open(citizen=citizen, subject="Le car scolaire", body="Il passe trop tôt.")
    to_agent = celery_worker.wait_for("To: agent@rossignol.example", f"/admin/messaging/thread/{thread.pk}/change/")
    from email import message_from_string
    from email.header import decode_header, make_header

    subject = str(make_header(decode_header(message_from_string(to_agent)["Subject"])))
    assert subject.startswith("[Rossignol]") and f"X-Civic-Commune: {live_commune.schema_name}" in to_agent
    assert "trop t" not in to_agent
    with tenant_context(live_commune):
        services.message_send(thread=thread, author=agent, body="Nous en parlons au TEC.")
    to_citizen = celery_worker.wait_for("To: zoe@exemple.be", f"/messages/{thread.pk}/")
    assert f"http://{live_commune.primary_domain}" in to_citizen and "TEC" not in to_citizen
    with tenant_context(live_commune):
        assert Notification.objects.filter(recipient=citizen, url=f"/messages/{thread.pk}/").count() == 1
    assert mailoutbox == []  # the worker sent them, not this process
    assert celery_worker.count("To: agent@rossignol.example") == 1
    assert celery_worker.count("To: zoe@exemple.be") == 1
