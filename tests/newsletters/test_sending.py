"""Sending in-process (tasks run eagerly, mail kept in memory): what each email holds, a
second run sends nothing, people who left meanwhile are skipped, refusals are recorded,
and a batch cut short by the mail server is finished later without sending anyone twice.
tests/newsletters/test_worker.py does the same through real workers, SMTP and SIGKILL."""

import re
import smtplib
from collections import Counter
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from newsletters import services
from newsletters.models import Batch, Delivery, Newsletter, NewsletterEvent
from newsletters.tasks import send_due, send_newsletter
from tests.newsletters.conftest import make_newsletter, start, subscriber


def html_of(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


def test_each_email_has_its_own_unsubscribe_header_links_and_pixel_on_the_communes_domain(
        bertrix, agent, django_capture_on_commit_callbacks, mailoutbox):
    for name in ("anne", "bruno"):
        subscriber(bertrix, f"{name}@bertrix.example")
    newsletter = make_newsletter(bertrix, agent, subject="Nouvelles de mai")
    with django_capture_on_commit_callbacks(execute=True):
        start(bertrix, newsletter, agent)
    assert sorted(m.to[0] for m in mailoutbox) == ["anne@bertrix.example", "bruno@bertrix.example"]
    with tenant_context(bertrix):
        tokens = dict(Delivery.objects.values_list("email", "token"))
        newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT and newsletter.recipient_count == 2
    for message in mailoutbox:
        token = tokens[message.to[0]]
        assert message.subject == "[Bertrix] Nouvelles de mai"
        assert message.extra_headers["List-Unsubscribe"] == (
            f"<http://bertrix.localhost/lettres/desinscription/{token}/>")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["X-Civic-Commune"] == "bertrix"
        html = html_of(message)
        assert f'src="http://bertrix.localhost/lettres/o/{token}.gif"' in html
        assert f"http://bertrix.localhost/lettres/desinscription/{token}/" in html
        assert 'href="http://bertrix.localhost/compte/notifications/"' in html
        links = re.findall(r'href="(http://bertrix\.localhost/lettres/c/[^"]+)"', html)
        assert len(links) == 2 and all(f"/lettres/c/{token}/?u=" in link for link in links)
        assert token in message.body and "/lettres/desinscription/" in message.body  # the text part
        # The other recipient's token appears nowhere.
        assert not any(other in html or other in message.body for other in tokens.values() if other != token)


def test_running_the_task_again_sends_nothing(bertrix, agent, django_capture_on_commit_callbacks, mailoutbox):
    subscriber(bertrix, "anne@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    with django_capture_on_commit_callbacks(execute=True):
        start(bertrix, newsletter, agent)
    assert len(mailoutbox) == 1
    with tenant_context(bertrix):
        assert send_newsletter.apply(kwargs={"newsletter_id": newsletter.pk}).result == 0
        services.newsletter_prepare(newsletter_id=newsletter.pk)
        assert Delivery.objects.count() == 1
        assert NewsletterEvent.objects.filter(to_status=Newsletter.Status.SENT).count() == 1
    assert len(mailoutbox) == 1


def test_people_who_unsubscribe_or_leave_after_sending_started_are_skipped(
        bertrix, agent, mailoutbox):
    for name in ("anne", "bruno", "chloe"):
        subscriber(bertrix, f"{name}@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    start(bertrix, newsletter, agent)  # queued on commit, which never comes in this test: sent below
    with tenant_context(bertrix):
        services.newsletter_prepare(newsletter_id=newsletter.pk)
        User.objects.filter(email="bruno@bertrix.example").update(newsletter_opt_in=False)
        User.objects.filter(email="chloe@bertrix.example").update(is_active=False)
        assert services.newsletter_send(newsletter_id=newsletter.pk) == 1
        assert dict(Delivery.objects.values_list("email", "status")) == {
            "anne@bertrix.example": "sent", "bruno@bertrix.example": "skipped", "chloe@bertrix.example": "skipped"}
    assert [m.to for m in mailoutbox] == [["anne@bertrix.example"]]


class RefusingBackend(EmailBackend):
    """Refuses one address the way an SMTP server does (550 at RCPT)."""

    def send_messages(self, messages):
        for message in messages:
            if message.to == ["inconnu@bertrix.example"]:
                raise smtplib.SMTPRecipientsRefused({"inconnu@bertrix.example": (550, b"5.1.1 No such user")})
        return super().send_messages(messages)


def test_an_address_the_server_refuses_is_recorded_as_failed(bertrix, agent, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.newsletters.test_sending.RefusingBackend"
    subscriber(bertrix, "anne@bertrix.example")
    subscriber(bertrix, "inconnu@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    start(bertrix, newsletter, agent)
    with tenant_context(bertrix):
        assert services.newsletter_send(newsletter_id=newsletter.pk) == 1
        failed = Delivery.objects.get(email="inconnu@bertrix.example")
        newsletter.refresh_from_db()
    assert failed.status == "failed" and "550" in failed.error and failed.sent_at is None
    assert newsletter.status == Newsletter.Status.SENT
    assert [m.to for m in mailoutbox] == [["anne@bertrix.example"]]


class FlakyBackend(EmailBackend):
    """The SMTP server goes away after accepting ``accept`` messages, once."""

    accept = 130

    def send_messages(self, messages):
        if FlakyBackend.accept == 0:
            FlakyBackend.accept = -1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        FlakyBackend.accept -= 1
        return super().send_messages(messages)


def test_a_batch_cut_short_by_the_mail_server_is_finished_by_the_retry_without_sending_twice(
        bertrix, agent, settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.EMAIL_BACKEND = "tests.newsletters.test_sending.FlakyBackend"
    FlakyBackend.accept = 130
    for number in range(250):
        subscriber(bertrix, f"personne{number:03d}@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    with django_capture_on_commit_callbacks(execute=True):
        start(bertrix, newsletter, agent)  # the eager task is retried at once by autoretry
    received = Counter(m.to[0] for m in mailoutbox)
    assert len(received) == 250 and set(received.values()) == {1}
    with tenant_context(bertrix):
        assert Delivery.objects.filter(status="sent").count() == 250
        assert Batch.objects.filter(done_at__isnull=True).count() == 0
        newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT


def test_a_scheduled_newsletter_leaves_when_beat_finds_it_due(bertrix, agent, django_capture_on_commit_callbacks,
                                                               mailoutbox):
    subscriber(bertrix, "anne@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    with tenant_context(bertrix):
        services.newsletter_schedule(newsletter=newsletter, actor=agent, at=timezone.now() + timedelta(minutes=5))
        with django_capture_on_commit_callbacks(execute=True):
            send_due.apply()
        assert mailoutbox == []
        Newsletter.objects.filter(pk=newsletter.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            send_due.apply()
        newsletter.refresh_from_db()
        event = newsletter.events.get(to_status=Newsletter.Status.SENDING)
    assert len(mailoutbox) == 1 and newsletter.status == Newsletter.Status.SENT
    assert event.actor is None and event.from_status == Newsletter.Status.SCHEDULED


def test_beat_resumes_a_newsletter_nobody_is_sending(bertrix, agent, django_capture_on_commit_callbacks, mailoutbox):
    """The tasks were lost (a worker died, Redis was flushed): sending is stuck in SENDING."""
    for number in range(3):
        subscriber(bertrix, f"personne{number}@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    start(bertrix, newsletter, agent)  # its tasks are never run
    with tenant_context(bertrix):
        with django_capture_on_commit_callbacks(execute=True):
            send_due.apply()
        newsletter.refresh_from_db()
        assert newsletter.status == Newsletter.Status.SENT and len(mailoutbox) == 3
        # Nothing left: beat does not queue anything more.
        assert services.newsletters_resume_stalled() == []


def test_a_scheduled_newsletter_whose_budget_was_deleted_goes_back_to_the_drafts(bertrix, agent):
    from tests.budgets.conftest import make_budget

    budget, _projects = make_budget(bertrix, agent)
    subscriber(bertrix, "anne@bertrix.example")
    newsletter = make_newsletter(bertrix, agent, segment="budget", segment_budget=budget)
    with tenant_context(bertrix):
        services.newsletter_schedule(newsletter=newsletter, actor=agent, at=timezone.now() + timedelta(minutes=1))
        Newsletter.objects.filter(pk=newsletter.pk).update(segment_budget=None)
        assert services.newsletters_start_due(now=timezone.now() + timedelta(minutes=2)) == []
        newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.DRAFT


def test_content_is_frozen_once_sending_starts(bertrix, agent):
    subscriber(bertrix, "anne@bertrix.example")
    newsletter = make_newsletter(bertrix, agent, subject="Avant")
    start(bertrix, newsletter, agent)
    with tenant_context(bertrix):
        with pytest.raises(services.NewsletterError):
            services.newsletter_update(newsletter=newsletter, actor=agent, subject="Après")
        with pytest.raises(services.NewsletterError):
            services.newsletter_schedule(newsletter=newsletter, actor=agent, at=timezone.now() + timedelta(days=1))
        with pytest.raises(services.NewsletterError):
            services.newsletter_start(newsletter=newsletter, actor=agent)
        assert Newsletter.objects.get(pk=newsletter.pk).subject == "Avant"


def test_only_agents_write_and_send(bertrix, agent, citizen):
    newsletter = make_newsletter(bertrix, agent)
    with tenant_context(bertrix):
        for call in (lambda: services.newsletter_create(actor=citizen, subject="S", body="B"),
                     lambda: services.newsletter_update(newsletter=newsletter, actor=citizen, subject="S"),
                     lambda: services.newsletter_start(newsletter=newsletter, actor=citizen),
                     lambda: services.newsletter_send_test(newsletter=newsletter, actor=citizen)):
            with pytest.raises(services.NewsletterError):
                call()


def test_a_test_email_goes_to_the_agent_only_without_tracking_or_unsubscribe_header(
        bertrix, agent, django_capture_on_commit_callbacks, mailoutbox):
    subscriber(bertrix, "anne@bertrix.example")
    newsletter = make_newsletter(bertrix, agent, subject="Essai")
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send_test(newsletter=newsletter, actor=agent)
    [message] = mailoutbox
    assert message.to == [agent.email] and message.subject.endswith("[Bertrix] Essai")
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/lettres/o/" not in html_of(message)
    with tenant_context(bertrix):
        assert not Delivery.objects.exists()
        assert Newsletter.objects.get(pk=newsletter.pk).status == Newsletter.Status.DRAFT
