"""A person's newsletters in their data download; after they delete their account, the
deliveries stay as anonymous counts and nothing leads back to them. The demo newsletter of
Fleurus is made without sending anything, with the rates of its communication plan."""

import json

from django_tenants.utils import tenant_context

from accounts.models import User
from newsletters import services
from newsletters.models import Delivery, Newsletter
from newsletters.privacy import export
from tests.conftest import log_in
from tests.newsletters.conftest import make_newsletter, start, subscriber


def test_the_download_lists_the_newsletters_received_opened_and_clicked(bertrix, agent, bertrix_client):
    anne = subscriber(bertrix, "anne@bertrix.example")
    subscriber(bertrix, "bruno@bertrix.example")
    newsletter = make_newsletter(bertrix, agent, subject="Nouvelles de juin")
    start(bertrix, newsletter, agent)
    with tenant_context(bertrix):
        services.newsletter_send(newsletter_id=newsletter.pk)
        token = Delivery.objects.get(recipient=anne).token
        services.delivery_record_open(token=token)
        services.delivery_record_click(token=token, newsletter_id=newsletter.pk)
    response = log_in(bertrix_client, bertrix, anne).get("/compte/mes-donnees/telecharger/")
    [item] = json.loads(response.content)["newsletters"]["newsletters"]
    assert item["subject"] == "Nouvelles de juin" and item["status"] == "sent" and item["clicks"] == 1
    assert item["opened_at"] and item["clicked_at"] and item["email"] == "anne@bertrix.example"
    assert "bruno" not in response.content.decode()


def test_deleting_the_account_leaves_anonymous_counts_and_sends_nothing_more(bertrix, agent):
    from accounts.services import account_delete

    anne = subscriber(bertrix, "anne@bertrix.example")
    subscriber(bertrix, "bruno@bertrix.example")
    sent = make_newsletter(bertrix, agent, subject="Envoyée")
    start(bertrix, sent, agent)
    waiting = make_newsletter(bertrix, agent, subject="En cours")
    with tenant_context(bertrix):
        services.newsletter_send(newsletter_id=sent.pk)
        old = Delivery.objects.get(recipient=anne, newsletter=sent)
        services.delivery_record_open(token=old.token)
    start(bertrix, waiting, agent)
    with tenant_context(bertrix):
        services.newsletter_prepare(newsletter_id=waiting.pk)
        account_delete(user=User.objects.get(pk=anne.pk))
        assert export(anne) == {"newsletters": []}
        kept = Delivery.objects.get(pk=old.pk)
        assert (kept.recipient_id, kept.email, kept.status) == (None, "", "sent")
        assert kept.opened_at is not None and kept.token != old.token  # the figures stay, the link is cut
        assert not Delivery.objects.filter(email="anne@bertrix.example").exists()
        assert Delivery.objects.filter(newsletter=waiting, recipient__isnull=True).get().status == "skipped"
        # The old token opens nothing, unsubscribes nobody.
        assert services.delivery_record_open(token=old.token) is False
        assert services.delivery_unsubscribe(token=old.token) is None
        services.newsletter_send(newsletter_id=waiting.pk)
        assert dict(Delivery.objects.filter(newsletter=waiting).values_list("status", "email")) == {
            "sent": "bruno@bertrix.example", "skipped": ""}


def test_the_fleurus_demo_has_a_sent_newsletter_with_the_plans_rates_and_sends_nothing(fleurus, fleurus_agent,
                                                                                         mailoutbox):
    from newsletters.demo import LOADERS

    with tenant_context(fleurus):
        LOADERS["fleurus"](password="demo-civic-2026")
        LOADERS["fleurus"](password="demo-civic-2026")  # a second run keeps what exists
        sent = Newsletter.objects.get(status=Newsletter.Status.SENT)
        deliveries = Delivery.objects.filter(newsletter=sent)
        total = deliveries.count()
        assert total == 200 and sent.recipient_count == 200
        assert deliveries.filter(status="sent").count() == 200
        assert deliveries.filter(opened_at__isnull=False).count() == 90  # 45 %
        assert deliveries.filter(clicked_at__isnull=False).count() == 23  # 11.5 %
        assert not deliveries.filter(clicked_at__isnull=False, opened_at__isnull=True).exists()
        assert Newsletter.objects.filter(status=Newsletter.Status.DRAFT).count() == 1
        assert sent.events.filter(to_status=Newsletter.Status.SENT).count() == 1
    assert mailoutbox == []


def test_the_demo_needs_an_agent(fleurus):
    from newsletters.demo import LOADERS

    with tenant_context(fleurus):
        LOADERS["fleurus"](password="x")
        assert not Newsletter.objects.exists()


def test_the_demo_agent_sees_the_rates(fleurus, fleurus_agent, fleurus_client):
    from newsletters.demo import LOADERS

    with tenant_context(fleurus):
        LOADERS["fleurus"](password="x")
    html = log_in(fleurus_client, fleurus, fleurus_agent).get(
        "/admin/newsletters/newsletter/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "45.0 %" in html and "11.5 %" in html and "200 / 200" in html
