"""The one place that decides who is told what: every app hands its recipients, a topic
and the message to ``tell``; the person's preferences choose the channels (on the site,
by email). Service messages (receipts, moderation decisions, answers to a private
message) always go through. Each message is sent at most once per key and person."""

from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Topic
from accounts.services import notification_create
from civic.mail import commune_message, commune_subject, send_once
from tenants.models import site_url

CHANNELS = ("site", "email")
# Topics that are not switched off: the person asked for them or must know.
ALWAYS = {Topic.SERVICE}


def wants(user, topic: str, channel: str) -> bool:
    if topic in ALWAYS:
        return True
    return bool((user.notification_preferences or {}).get(topic, {}).get(channel, True))


def absolute(path: str) -> str:
    return site_url(connection.tenant.primary_domain).rstrip("/") + path


def tell(*, users, topic: str, key: str, subject: str, lines: list[str] = (), path: str = "",
         site: bool = True, email: bool = True, body: str = "") -> int:
    """Tell ``users`` about something (``key``: what it is, so nobody is told twice).
    ``site`` / ``email``: the channels this message uses at all; ``body``: an email text
    of its own instead of ``lines``. Returns the number of emails sent."""
    sent = 0
    for user in users:
        if not user.is_active or getattr(user, "is_deleted", False):
            continue
        if site and wants(user, topic, "site"):
            notification_create(recipient=user, key=key, message=subject[:300], url=path)
        if email and user.email and wants(user, topic, "email"):
            preferences = absolute(reverse("notification_preferences")) if topic not in ALWAYS else ""
            if body:
                text = body + (render_to_string("email/preferences_footer.txt", {"preferences_url": preferences})
                               if preferences else "")
            else:
                text = render_to_string("email/message.txt", {
                    "lines": lines, "url": absolute(path) if path else "", "preferences_url": preferences})
            sent += send_once(f"{key}:{user.pk}",
                              commune_message(subject=commune_subject(subject), body=text, to=[user.email]))
    return sent


def preferences_of(user) -> list[dict]:
    """The rows of the preferences page: each topic with its two switches."""
    return [{"topic": value, "label": label, "always": value in ALWAYS,
             **{channel: wants(user, value, channel) for channel in CHANNELS}}
            for value, label in Topic.choices]
