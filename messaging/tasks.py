"""Emails about conversations, sent by the worker in the commune's schema, once each.

What an email says: that there is a message, and the link to it. Never the message, nor the
subject the citizen typed: private correspondence often holds personal matters (health,
family, money, a dispute with a neighbour), and an email is copied to mail providers, read
on lock screens, forwarded, or lands in a shared mailbox (the commune's contact address).
The conversation itself stays behind a login. The citizen's notification on the site (also
behind a login) names the subject so they know which conversation it is."""

from celery import shared_task
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Topic
from accounts.notify import tell
from accounts.services import notification_create
from civic.mail import commune_message, commune_subject, send_once
from tenants.models import site_url

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


def _url(path: str) -> str:
    return site_url(connection.tenant.primary_domain).rstrip("/") + path


def admin_path(thread_id: int) -> str:
    return reverse("admin:messaging_thread_change", args=[thread_id])


def commune_recipients(thread) -> list[str]:
    """Who hears of a citizen's message: the agent the thread is assigned to; else every
    agent of the commune; else the commune's contact address."""
    from accounts.models import User
    from accounts.roles import Role
    from messaging.rules import may_be_assigned

    if thread.assigned_to is not None and may_be_assigned(thread.assigned_to):
        return [thread.assigned_to.email]
    agents = (User.objects.filter(is_active=True, groups__name=Role.AGENT.value)
              .exclude(pk=thread.citizen_id).order_by("email").values_list("email", flat=True).distinct())
    if agents:
        return list(agents)
    contact = getattr(connection.tenant, "contact_email", "")
    return [contact] if contact else []


def _send(key: str, *, to: str, subject: str, lines: list[str], url: str) -> None:
    body = render_to_string("email/message.txt", {"lines": lines, "url": url})
    send_once(key, commune_message(subject=commune_subject(subject), body=body, to=[to]))


@shared_task(bind=True, **RETRY)
def notify_commune(self, *, message_id: int):
    """A citizen wrote: the agents hear of it, with the link to the thread in the admin."""
    from messaging.models import Message

    message = Message.objects.select_related("thread__assigned_to").filter(pk=message_id).first()
    if message is None or message.from_commune or message.thread.erased_at is not None:
        return
    thread = message.thread
    first = not thread.messages.filter(created_at__lt=message.created_at).exists()
    with translation.override(connection.tenant.default_language):
        if first:
            subject = _("New private message from a citizen (conversation no. %(id)s)") % {"id": thread.pk}
            lines = [_("A citizen wrote to the commune. Read the message and answer it in the administration:")]
        else:
            subject = _("A citizen wrote again (conversation no. %(id)s)") % {"id": thread.pk}
            lines = [_("A citizen added a message to their conversation with the commune. Read it and answer it "
                       "in the administration:")]
        for address in commune_recipients(thread):
            _send(f"messaging:commune:{message_id}:{address.lower()}", to=address, subject=subject, lines=lines,
                  url=_url(admin_path(thread.pk)))


@shared_task(bind=True, **RETRY)
def notify_citizen(self, *, message_id: int):
    """The commune answered: the citizen is told on the site and by email, with the link."""
    from messaging.models import Message

    message = Message.objects.select_related("thread__citizen").filter(pk=message_id).first()
    if message is None or not message.from_commune:
        return
    thread = message.thread
    citizen = thread.citizen
    if citizen is None or not citizen.is_active or thread.erased_at is not None:
        return
    path = reverse("messaging:thread", args=[thread.pk])
    with translation.override(connection.tenant.default_language):
        # On the site (behind a login) the notification names the subject; the email does not.
        notification_create(recipient=citizen, key=f"messaging:{thread.pk}:{message_id}",
                            message=_("The commune answered your message “%(subject)s”.") % {"subject": thread.subject},
                            url=path)
        tell(users=[citizen], topic=Topic.SERVICE, key=f"messaging:citizen:{message_id}", site=False,
             subject=_("The commune answered your message"), path=path,
             lines=[_("The commune answered your private message. Read the answer, and reply if you wish, on the "
                      "site (log in with your usual address):")])


@shared_task(bind=True, **RETRY)
def notify_assignee(self, *, event_id: int):
    """A colleague assigned a conversation to an agent."""
    from messaging.models import ThreadEvent

    event = ThreadEvent.objects.select_related("assigned_to", "thread").filter(pk=event_id).first()
    if event is None or event.assigned_to is None or not event.assigned_to.is_active:
        return
    if event.thread.assigned_to_id != event.assigned_to_id:
        return  # assigned to someone else meanwhile
    with translation.override(connection.tenant.default_language):
        _send(f"messaging:assigned:{event_id}", to=event.assigned_to.email,
              subject=_("A conversation with a citizen is assigned to you (no. %(id)s)") % {"id": event.thread_id},
              lines=[_("A colleague assigned you a private conversation with a citizen. Read it and answer it in "
                       "the administration:")],
              url=_url(admin_path(event.thread_id)))
