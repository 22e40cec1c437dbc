"""No conversation is ever seen by anyone but its citizen and the commune's agents: not by
another citizen, a visitor, other staff, nor from another commune; each gets the same
answer whether the thread exists or not. A person's export holds their threads; when they
leave, the threads stay as empty records."""

import json
import re

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from messaging.models import Message, Thread
from tests.conftest import client_for, create_citizen, create_staff, log_in
from tests.messaging.conftest import answer, open_thread

SECRET = "Mon fils est suivi par le CPAS depuis mars."


@pytest.fixture
def secret_thread(bertrix, citizen, agent):
    thread = open_thread(bertrix, citizen, subject="Aide sociale", body=SECRET)
    answer(bertrix, thread, agent, body="Le CPAS vous recontacte jeudi.")
    return thread


def missing_id(commune, *also_missing_in) -> int:
    """An id no thread has, here nor in ``also_missing_in``."""
    ids = []
    for place in (commune, *also_missing_in):
        with tenant_context(place):
            ids.append(max(Thread.objects.values_list("pk", flat=True), default=0))
    return max(ids) + 1000


def assert_same_404(client, existing: int, missing: int, *, post=False):
    responses = []
    for pk in (existing, missing):
        url = f"/messages/{pk}/"
        response = client.post(url, {"body": "Intrusion.", "form_token": f"x{pk}"}) if post else client.get(url)
        responses.append(response)
        assert response.status_code == 404
        html = response.content.decode()
        assert SECRET not in html and "Aide sociale" not in html and "CPAS" not in html
    pages = [re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", r.content.decode())
             .replace(f"/messages/{pk}/", "/messages/#/")
             for r, pk in zip(responses, (existing, missing))]
    assert pages[0] == pages[1]


def test_another_citizen_gets_the_same_404_as_for_a_missing_thread(bertrix, secret_thread, other_citizen,
                                                                   bertrix_client):
    client = log_in(bertrix_client, bertrix, other_citizen)
    assert_same_404(client, secret_thread.pk, missing_id(bertrix))
    assert_same_404(client, secret_thread.pk, missing_id(bertrix), post=True)
    assert "Aide sociale" not in client.get("/messages/").content.decode()
    with tenant_context(bertrix):
        assert Message.objects.filter(body="Intrusion.").count() == 0


def test_a_visitor_is_sent_to_log_in_whatever_the_thread(bertrix, secret_thread, bertrix_client):
    missing = missing_id(bertrix)
    existing = bertrix_client.get(f"/messages/{secret_thread.pk}/")
    absent = bertrix_client.get(f"/messages/{missing}/")
    assert existing.status_code == absent.status_code == 302
    assert existing["Location"] == f"/accounts/login/?next=/messages/{secret_thread.pk}/"
    assert absent["Location"] == f"/accounts/login/?next=/messages/{missing}/"
    response = bertrix_client.post(f"/messages/{secret_thread.pk}/", {"body": "Intrusion."})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MODERATOR, Role.STEERING_COMMITTEE, Role.AGENT])
def test_staff_see_nothing_of_it_on_the_site(bertrix, secret_thread, bertrix_client, role):
    """Even agents: they work on conversations in the admin, not through citizens' pages."""
    person = create_staff(bertrix, f"{role.value}@bertrix.example", role) if role != Role.AGENT else None
    if person is None:
        from accounts.models import User

        with tenant_context(bertrix):
            person = User.objects.get(email="agent@bertrix.example")
    assert_same_404(log_in(bertrix_client, bertrix, person), secret_thread.pk, missing_id(bertrix))


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MODERATOR, Role.STEERING_COMMITTEE])
def test_non_agent_staff_get_404_everywhere_in_the_admin(bertrix, secret_thread, role):
    client = log_in(client_for("bertrix.localhost"), bertrix, create_staff(bertrix, f"{role.value}@b.example", role))
    missing = missing_id(bertrix)
    for url in ("/admin/messaging/", "/admin/messaging/thread/", f"/admin/messaging/thread/{secret_thread.pk}/change/",
                f"/admin/messaging/thread/{missing}/change/", "/admin/messaging/thread/?q=CPAS"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Aide sociale" not in response.content.decode()
    response = client.post(f"/admin/messaging/thread/{secret_thread.pk}/change/",
                           {"action": "answer", "body": "Je réponds.", "form_token": "s"})
    assert response.status_code == 404
    client.post(f"/admin/messaging/thread/{secret_thread.pk}/change/", {"action": "close"})
    with tenant_context(bertrix):
        secret_thread.refresh_from_db()
        assert secret_thread.is_open and not Message.objects.filter(body="Je réponds.").exists()


def test_a_citizen_never_enters_the_admin(bertrix, secret_thread, citizen):
    client = log_in(client_for("bertrix.localhost"), bertrix, citizen)
    response = client.get(f"/admin/messaging/thread/{secret_thread.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_thread_of_fleurus_is_nowhere_at_bertrix(bertrix, fleurus, citizen, bertrix_client):
    julie = create_citizen(fleurus, "julie@fleurus.example")
    fleurus_thread = open_thread(fleurus, julie, subject="Aide sociale", body=SECRET)
    with tenant_context(bertrix):
        assert not Thread.objects.filter(pk=fleurus_thread.pk).exists()
    # A Bertrix citizen asks for the Fleurus id: the same 404 as for an id that exists nowhere.
    assert_same_404(log_in(bertrix_client, bertrix, citizen), fleurus_thread.pk, missing_id(bertrix, fleurus))


def test_a_fleurus_agent_sees_nothing_of_bertrix(bertrix, fleurus, secret_thread, fleurus_client):
    fleurus_agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    log_in(fleurus_client, fleurus, fleurus_agent)
    assert "Aide sociale" not in fleurus_client.get("/admin/messaging/thread/").content.decode()
    # Their session means nothing at Bertrix, and their password does not open Bertrix's admin.
    bertrix = client_for("bertrix.localhost")
    bertrix.cookies["sessionid"] = fleurus_client.cookies["sessionid"].value
    for url in ("/admin/messaging/thread/", f"/admin/messaging/thread/{secret_thread.pk}/change/"):
        response = bertrix.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    from tests.conftest import PASSWORD

    bertrix.post("/admin/login/", {"username": fleurus_agent.email, "password": PASSWORD})
    assert bertrix.get("/admin/messaging/thread/").status_code == 302


def test_the_export_holds_my_threads_and_nobody_elses(bertrix, secret_thread, citizen, other_citizen, agent):
    from messaging import privacy

    open_thread(bertrix, other_citizen, subject="Le sujet de Lucas")
    with tenant_context(bertrix):
        data = privacy.export(citizen)
        agent_data = privacy.export(agent)
    json.dumps(data)  # serialisable as it is
    assert [thread["subject"] for thread in data["message_threads"]] == ["Aide sociale"]
    assert [(m["from"], m["body"]) for m in data["message_threads"][0]["messages"]] == [
        ("you", SECRET), ("commune", "Le CPAS vous recontacte jeudi.")]
    assert "agent@bertrix.example" not in json.dumps(data)
    assert agent_data == {"message_threads": []}  # what an agent wrote to others is theirs


def test_forgetting_a_citizen_keeps_an_empty_record_of_the_exchange(bertrix, secret_thread, citizen, agent,
                                                                     other_citizen):
    from accounts.models import Notification
    from messaging import privacy

    others = open_thread(bertrix, other_citizen, subject="Le sujet de Lucas", body="Le texte de Lucas.")
    with tenant_context(bertrix):
        from messaging import tasks

        tasks.notify_citizen.apply(kwargs={"message_id": secret_thread.messages.last().pk})
        assert Notification.objects.filter(recipient=citizen).exists()
        privacy.forget(citizen)
        secret_thread.refresh_from_db()
        assert secret_thread.subject == "—" and secret_thread.erased_at is not None
        assert secret_thread.status == "closed" and secret_thread.waiting_since is None
        assert secret_thread.citizen_id == citizen.pk  # the tombstone, for the foreign keys
        assert list(secret_thread.messages.values_list("body", flat=True)) == ["", ""]
        assert secret_thread.messages.count() == 2 and secret_thread.created_at is not None
        assert not Notification.objects.filter(recipient=citizen).exists()
        others.refresh_from_db()
        assert others.subject == "Le sujet de Lucas" and others.messages.get().body == "Le texte de Lucas."
        assert privacy.export(citizen)["message_threads"][0]["messages"][0]["body"] == ""
        from messaging import services

        with pytest.raises(services.MessagingError):
            services.message_send(thread=secret_thread, author=agent, body="Encore ?")
    html = log_in(client_for("bertrix.localhost"), bertrix, agent).get(
        f"/admin/messaging/thread/{secret_thread.pk}/change/").content.decode()
    assert SECRET not in html and "CPAS" not in html and 'name="body"' not in html


def test_forgetting_an_agent_puts_their_threads_back_to_everyone(bertrix, secret_thread, agent, citizen):
    from messaging import privacy

    with tenant_context(bertrix):
        secret_thread.refresh_from_db()
        assert secret_thread.assigned_to == agent
        privacy.forget(agent)
        secret_thread.refresh_from_db()
        assert secret_thread.assigned_to is None and secret_thread.subject == "Aide sociale"
        assert secret_thread.messages.filter(from_commune=True).get().body == "Le CPAS vous recontacte jeudi."
