"""A newsletter survives a worker killed in the middle of a batch: real Celery worker
processes, real Redis, real SMTP (aiosmtpd), SIGKILL. Every recipient receives it exactly
once, none is missing. The last test shows the one window the design leaves (services.py):
a worker killed after the server took a message but before recording it sends that one
message again."""

import signal
import time
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.roles import Role
from newsletters.models import Delivery, Newsletter
from tests.conftest import create_staff
from tests.newsletters.conftest import make_newsletter, start

pytestmark = pytest.mark.worker

RECIPIENTS = 250  # three batches of 100, 100 and 50


def committed_subscribers(commune, count: int) -> set[str]:
    with tenant_context(commune):
        users = User.objects.bulk_create([User(email=f"personne{number:04d}@rossignol.example", password="!",
                                               newsletter_opt_in=True) for number in range(count)])
        EmailAddress.objects.bulk_create([EmailAddress(user=user, email=user.email, verified=True, primary=True)
                                          for user in users])
        create_staff(commune, "agent@rossignol.example", Role.AGENT)
    return {user.email for user in users}


def agent_of(commune):
    with tenant_context(commune):
        return User.objects.get(email="agent@rossignol.example")


def wait_until_sent(commune, newsletter, workers, timeout=90) -> Newsletter:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with tenant_context(commune):
            newsletter.refresh_from_db()
        if newsletter.status == Newsletter.Status.SENT:
            return newsletter
        time.sleep(0.3)
    pytest.fail(f"Still {newsletter.status} after {timeout}s.\n{workers.logs()}")


def killed(process, workers, timeout=60) -> None:
    try:
        process.wait(timeout=timeout)
    except Exception:
        pytest.fail("The worker was not killed.\n" + workers.logs())
    assert process.returncode == -signal.SIGKILL, workers.logs()


def sent_count(commune, newsletter) -> int:
    with tenant_context(commune):
        return Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.SENT).count()


def assert_exactly_once(smtp_sink, expected: set[str]) -> None:
    received = Counter(smtp_sink.recipients())
    assert set(received) == expected, f"missing: {sorted(expected - set(received))[:5]}"
    assert [address for address, times in received.items() if times > 1] == []


def test_a_worker_killed_mid_batch_is_resumed_by_the_queued_tasks_without_sending_twice(
        live_commune, smtp_sink, letter_workers):
    expected = committed_subscribers(live_commune, RECIPIENTS)
    agent = agent_of(live_commune)
    first = letter_workers.start()
    # SIGKILL while the worker sends message 131 (the 31st of the second batch), at RCPT.
    smtp_sink.kill_at(130, first.pid, "rcpt")
    newsletter = make_newsletter(live_commune, agent)
    start(live_commune, newsletter, agent)  # committed: its tasks are queued to Redis at once
    killed(first, letter_workers)

    assert len(smtp_sink.messages) == 130
    assert sent_count(live_commune, newsletter) == 130  # each mark was committed as the server accepted
    with tenant_context(live_commune):
        newsletter.refresh_from_db()
        assert newsletter.status == Newsletter.Status.SENDING

    # A new worker takes the other copies of the task still in the queue and finishes.
    letter_workers.start()
    newsletter = wait_until_sent(live_commune, newsletter, letter_workers)
    assert_exactly_once(smtp_sink, expected)
    assert newsletter.recipient_count == RECIPIENTS
    assert sent_count(live_commune, newsletter) == RECIPIENTS
    unsubscribe = f"<http://{live_commune.primary_domain}/lettres/desinscription/"
    for message in smtp_sink.parsed():
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # Folded onto a continuation line by the email library (RFC 5322): unfolded, it is the address.
        assert str(message["List-Unsubscribe"]).strip().startswith(unsubscribe)


def test_when_the_tasks_are_lost_too_beat_notices_and_resumes(live_commune, smtp_sink, letter_workers):
    from civic.celery import app
    from newsletters.tasks import send_due_everywhere

    expected = committed_subscribers(live_commune, RECIPIENTS)
    agent = agent_of(live_commune)
    first = letter_workers.start()
    smtp_sink.kill_at(42, first.pid, "rcpt")
    newsletter = make_newsletter(live_commune, agent)
    start(live_commune, newsletter, agent)
    killed(first, letter_workers)
    assert sent_count(live_commune, newsletter) == 42
    # The queued copies are lost as well (Redis flushed, say): only beat is left.
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(letter_workers.queue)

    letter_workers.start()
    send_due_everywhere.apply_async()  # what beat queues every minute
    wait_until_sent(live_commune, newsletter, letter_workers)
    assert_exactly_once(smtp_sink, expected)


def test_the_remaining_window_one_message_taken_by_the_server_as_the_worker_died(
        live_commune, smtp_sink, letter_workers):
    """Killed after the server has the whole message, before it could answer 250: the
    message was delivered but never recorded. It is sent again on resumption: that one
    person receives it twice; nobody else does, nobody is missing."""
    expected = committed_subscribers(live_commune, RECIPIENTS)
    agent = agent_of(live_commune)
    first = letter_workers.start()
    smtp_sink.kill_at(131, first.pid, "data")
    newsletter = make_newsletter(live_commune, agent)
    start(live_commune, newsletter, agent)
    killed(first, letter_workers)
    in_flight = smtp_sink.messages[130][0][0]
    assert len(smtp_sink.messages) == 131 and sent_count(live_commune, newsletter) == 130

    letter_workers.start()
    wait_until_sent(live_commune, newsletter, letter_workers)
    received = Counter(smtp_sink.recipients())
    assert set(received) == expected
    assert {address: times for address, times in received.items() if times > 1} == {in_flight: 2}
