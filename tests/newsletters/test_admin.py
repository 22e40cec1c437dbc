"""The agents' admin: write, preview, test, schedule, send, follow the progress and the
rates; nobody else sees any of it (other staff, citizens, another commune's agent); the
list costs the same number of queries whatever the number of newsletters."""

import json
from datetime import timedelta
from html import unescape

import pytest
from django.utils import formats, timezone, translation
from django_tenants.utils import tenant_context

from newsletters import services
from newsletters.models import Delivery, Newsletter
from tests.conftest import client_for, log_in
from tests.newsletters.conftest import fr, make_newsletter, start, subscriber

ADMIN = "/admin/newsletters/newsletter/"


@pytest.fixture
def agent_client(bertrix, agent, bertrix_client):
    return log_in(bertrix_client, bertrix, agent)


def form_data(**fields):
    data = {"subject": "Nouvelles", "body": "<p>Bonjour</p>", "segment": "subscribers", "segment_budget": "",
            "segment_call": "", "segment_idea_status": "", "segment_neighbourhood": "", "segment_age_bracket": "",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    data.update(fields)
    return data


def sent_newsletter(commune, agent, subject="Déjà partie", people=4, opened=2, clicked=1):
    for number in range(people):
        subscriber(commune, f"{subject[:3].lower()}{number}@exemple.be")
    newsletter = make_newsletter(commune, agent, subject=subject)
    start(commune, newsletter, agent)
    with tenant_context(commune):
        services.newsletter_send(newsletter_id=newsletter.pk)
        ids = list(Delivery.objects.filter(newsletter=newsletter).order_by("pk").values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids[:opened]).update(opened_at=timezone.now())
        Delivery.objects.filter(pk__in=ids[:clicked]).update(clicked_at=timezone.now(), click_count=1)
        newsletter.refresh_from_db()
    return newsletter


def test_an_agent_writes_a_newsletter_whose_body_is_sanitised(bertrix, agent, agent_client):
    assert 'name="body"' in agent_client.get(f"{ADMIN}add/").content.decode()
    response = agent_client.post(f"{ADMIN}add/", form_data(
        subject="Mai à Bertrix", body='<p onclick="x()">Bonjour</p><script>alert(1)</script>'))
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(bertrix):
        newsletter = Newsletter.objects.get()
    assert newsletter.body == "<p>Bonjour</p>" and newsletter.created_by == agent
    assert newsletter.status == Newsletter.Status.DRAFT


def test_a_segment_needs_its_parameter(bertrix, agent_client):
    response = agent_client.post(f"{ADMIN}add/", form_data(segment="neighbourhood"))
    assert response.status_code == 200
    assert fr("Choose who receives it.") in unescape(response.content.decode())
    with tenant_context(bertrix):
        assert not Newsletter.objects.exists()


def test_the_change_form_counts_the_recipients_and_offers_the_actions(bertrix, agent, agent_client):
    for name in ("anne", "bruno"):
        subscriber(bertrix, f"{name}@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    html = unescape(agent_client.get(f"{ADMIN}{newsletter.pk}/change/").content.decode())
    assert fr("%(count)d people, if it were sent now") % {"count": 2} in html
    for action in ("apercu/", "test/", "programmer/", "envoyer/"):
        assert f"{ADMIN}{newsletter.pk}/{action}" in html


def test_the_preview_shows_the_email_as_recipients_will_see_it(bertrix, agent, agent_client):
    subscriber(bertrix, "anne@bertrix.example")
    newsletter = make_newsletter(bertrix, agent, subject="Aperçu", body="<p>Le marché de Noël revient</p>")
    response = agent_client.get(f"{ADMIN}{newsletter.pk}/apercu/")
    html = response.content.decode()
    assert response.status_code == 200
    frame = html.split('srcdoc="', 1)[1].split('"', 1)[0]
    email = unescape(frame)
    assert "Le marché de Noël revient" in email and "[Bertrix] Aperçu" in html
    assert "/lettres/desinscription/apercu/" in email and "/lettres/o/" not in email
    assert "<script" not in frame  # the email sits escaped inside the attribute, in a sandbox
    assert "sandbox" in html


def test_a_test_goes_to_the_agent_only(bertrix, agent, agent_client, django_capture_on_commit_callbacks,
                                       mailoutbox):
    subscriber(bertrix, "anne@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(f"{ADMIN}{newsletter.pk}/test/")
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[agent.email]]
    assert agent_client.get(f"{ADMIN}{newsletter.pk}/test/").status_code == 405


def test_schedule_then_cancel(bertrix, agent, agent_client):
    subscriber(bertrix, "anne@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    assert 'type="datetime-local"' in agent_client.get(f"{ADMIN}{newsletter.pk}/programmer/").content.decode()
    past = agent_client.post(f"{ADMIN}{newsletter.pk}/programmer/", {"at": "2001-01-01T10:00"})
    assert fr("Choose a date and time in the future.") in unescape(past.content.decode())
    at = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = agent_client.post(f"{ADMIN}{newsletter.pk}/programmer/", {"at": at.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    with tenant_context(bertrix):
        newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SCHEDULED and newsletter.scheduled_at == at
    change = agent_client.get(f"{ADMIN}{newsletter.pk}/change/").content.decode()
    assert f"{ADMIN}{newsletter.pk}/deprogrammer/" in change and 'name="_save"' in change
    agent_client.post(f"{ADMIN}{newsletter.pk}/deprogrammer/")
    with tenant_context(bertrix):
        newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.DRAFT and newsletter.scheduled_at is None


def test_send_now_after_confirming_then_follow_the_progress(bertrix, agent, agent_client,
                                                           django_capture_on_commit_callbacks, mailoutbox):
    for number in range(3):
        subscriber(bertrix, f"p{number}@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    confirm = unescape(agent_client.get(f"{ADMIN}{newsletter.pk}/envoyer/").content.decode())
    assert "3" in confirm and 'method="post"' in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(f"{ADMIN}{newsletter.pk}/envoyer/")
    assert response["Location"] == f"{ADMIN}{newsletter.pk}/progression/"
    assert len(mailoutbox) == 3
    page = agent_client.get(response["Location"]).content.decode()
    assert '<progress id="newsletter-progress-bar" value="3" max="3"' in page
    data = json.loads(agent_client.get(f"{ADMIN}{newsletter.pk}/progression.json").content)
    assert {key: data[key] for key in ("status", "total", "sent", "pending", "failed", "percent")} == {
        "status": "sent", "total": 3, "sent": 3, "pending": 0, "failed": 0, "percent": 100.0}


def test_progress_while_sending(bertrix, agent, agent_client):
    for number in range(3):
        subscriber(bertrix, f"p{number}@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    start(bertrix, newsletter, agent)  # tasks wait for the commit, which never comes here
    with tenant_context(bertrix):
        services.newsletter_prepare(newsletter_id=newsletter.pk)
        Delivery.objects.filter(pk=Delivery.objects.order_by("pk").first().pk).update(status="sent")
    page = agent_client.get(f"{ADMIN}{newsletter.pk}/progression/").content.decode()
    assert '<progress id="newsletter-progress-bar" value="1" max="3"' in page
    assert "newsletters/progress.js" in page
    listing = agent_client.get(ADMIN).content.decode()
    assert '<progress value="1" max="3">' in listing


def test_a_newsletter_being_sent_is_read_only(bertrix, agent, agent_client):
    newsletter = sent_newsletter(bertrix, agent, subject="Figée")
    page = agent_client.get(f"{ADMIN}{newsletter.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert agent_client.post(f"{ADMIN}{newsletter.pk}/change/", form_data(subject="Changée")).status_code == 403
    assert agent_client.post(f"{ADMIN}{newsletter.pk}/delete/", {"post": "yes"}).status_code == 403
    agent_client.post(ADMIN, {"action": "delete_selected", "_selected_action": [newsletter.pk], "post": "yes"})
    with tenant_context(bertrix):
        assert Newsletter.objects.get(pk=newsletter.pk).subject == "Figée"


def test_the_list_shows_open_and_click_rates(bertrix, agent, agent_client):
    sent_newsletter(bertrix, agent, people=4, opened=2, clicked=1)
    html = unescape(agent_client.get(ADMIN).content.decode())
    with translation.override("fr"):
        assert f"{formats.number_format(50.0, 1)} %" in html and f"{formats.number_format(25.0, 1)} %" in html
    assert "4 / 4" in html


@pytest.mark.parametrize("path", ["", "add/", "{pk}/change/", "{pk}/apercu/", "{pk}/envoyer/", "{pk}/programmer/",
                                  "{pk}/progression/", "{pk}/progression.json"])
def test_other_staff_citizens_and_visitors_get_nothing(bertrix, agent, analyst, moderator, citizen, path):
    newsletter = make_newsletter(bertrix, agent, subject="Réservée aux agents")
    url = ADMIN + path.format(pk=newsletter.pk)
    for person in (analyst, moderator):
        response = log_in(client_for("bertrix.localhost"), bertrix, person).get(url)
        assert response.status_code == 403, (person, url)
        assert "Réservée aux agents" not in response.content.decode()
    for client in (log_in(client_for("bertrix.localhost"), bertrix, citizen), client_for("bertrix.localhost")):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_admin_index_lists_newsletters_for_agents_only(bertrix, agent_client, analyst):
    assert ADMIN in agent_client.get("/admin/").content.decode()
    assert ADMIN not in log_in(client_for("bertrix.localhost"), bertrix, analyst).get("/admin/").content.decode()


def test_another_communes_agent_sees_nothing_of_ours(bertrix, fleurus, agent, fleurus_agent):
    newsletter = make_newsletter(bertrix, agent, subject="Secret de Bertrix")
    with tenant_context(fleurus):
        assert not Newsletter.objects.filter(pk=newsletter.pk).exists()
    theirs = log_in(client_for("fleurus.localhost"), fleurus, fleurus_agent)
    assert "Secret de Bertrix" not in theirs.get(ADMIN).content.decode()
    change = theirs.get(f"{ADMIN}{newsletter.pk}/change/", follow=True)
    assert "Secret de Bertrix" not in change.content.decode()
    for view in ("apercu/", "progression.json", "envoyer/"):
        assert theirs.get(f"{ADMIN}{newsletter.pk}/{view}").status_code == 404
    assert theirs.post(f"{ADMIN}{newsletter.pk}/envoyer/").status_code == 404
    # Their session means nothing at Bertrix.
    at_bertrix = client_for("bertrix.localhost")
    at_bertrix.cookies = theirs.cookies
    response = at_bertrix.get(ADMIN)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_list_costs_a_fixed_number_of_queries(bertrix, agent, agent_client, count_queries):
    sent_newsletter(bertrix, agent, subject="Première")
    agent_client.get(ADMIN)  # warm the content types and the session
    with count_queries() as few:
        agent_client.get(ADMIN)
    for number in range(6):
        sent_newsletter(bertrix, agent, subject=f"N{number}", people=2)
        make_newsletter(bertrix, agent, subject=f"Brouillon {number}", segment="neighbourhood",
                        segment_neighbourhood=None)
    with count_queries() as many:
        response = agent_client.get(ADMIN)
    assert response.content.decode().count("<tr") >= 13
    assert len(few) == len(many), many.statements
    # Of which on the newsletters' tables: two counts (the page's, the total) and the page itself.
    assert len([sql for sql in many.statements if "newsletters_" in sql]) == 3, many.statements
    assert len(many) == PINNED_ADMIN_LIST_QUERIES, many.statements


# The whole page (session, user, the role checks of every admin module in the sidebar, the
# list): changes when another app registers a model in the admin; the two lines above don't.
PINNED_ADMIN_LIST_QUERIES = 10
