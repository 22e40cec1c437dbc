"""The demo conversations: realistic, idempotent, silent (no email to the demo people)."""

from django.core import mail
from django_tenants.utils import tenant_context

from accounts.roles import Role
from messaging.demo import LOADERS
from messaging.models import Thread
from tests.conftest import PASSWORD, create_citizen, create_staff


def test_the_bertrix_demo_has_an_answered_a_closed_and_a_waiting_thread(
        bertrix, citizen, other_citizen, agent, django_capture_on_commit_callbacks):
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        LOADERS["bertrix"](password=PASSWORD)
        LOADERS["bertrix"](password=PASSWORD)  # a second run keeps what exists
    assert mail.outbox == []
    with tenant_context(bertrix):
        threads = {thread.subject: thread for thread in Thread.objects.all()}
        assert len(threads) == 3
        answered = threads["Horaires du recyparc pendant les congés"]
        closed = threads["Inscription au stage multisports de Pâques"]
        waiting = threads["Éclairage public en panne rue de la Gare à Jehonville"]
        assert answered.citizen == citizen and answered.is_open and answered.unread_by_citizen
        assert answered.assigned_to == agent and answered.waiting_since is None
        assert closed.citizen == other_citizen and closed.status == "closed" and closed.messages.count() == 3
        assert waiting.waiting_since == waiting.created_at and waiting.assigned_to is None
        # The inbox: the waiting one first; messages in the past, in order.
        assert list(Thread.objects.all())[0] == waiting
        times = list(closed.messages.values_list("created_at", flat=True))
        assert times == sorted(times) and closed.last_message_at == times[-1]
        assert closed.events.get(kind="closed").created_at > times[-1]


def test_the_fleurus_demo_and_a_commune_without_the_demo_people(fleurus, bertrix):
    create_citizen(fleurus, "citoyen@fleurus.example", display_name="Julie")
    create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    with tenant_context(fleurus):
        LOADERS["fleurus"](password=PASSWORD)
        assert Thread.objects.count() == 2 and Thread.objects.filter(status="closed").count() == 1
    with tenant_context(bertrix):
        LOADERS["bertrix"](password=PASSWORD)  # nobody to write: nothing, and no error
        assert Thread.objects.count() == 0
