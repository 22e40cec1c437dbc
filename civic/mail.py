"""Email sending shared by every task: at most once per task, whatever the retries."""

from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django_tenants.utils import get_public_schema_name

SENT_MARK_SECONDS = 7 * 24 * 3600


def commune_subject(subject: str) -> str:
    """Subjects of a commune's emails start with its name: "[Bertrix] …"."""
    if connection.schema_name == get_public_schema_name():
        return subject
    return f"[{connection.tenant.name}] {subject}"


def commune_message(*, subject: str, body: str, to: list[str], html: str | None = None) -> EmailMultiAlternatives:
    """An email of the current commune, tagged with its schema (X-Civic-Commune)."""
    message = EmailMultiAlternatives(subject, body, to=to)
    message.extra_headers["X-Civic-Commune"] = connection.schema_name
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send_once(dedup_key: str, message: EmailMultiAlternatives) -> bool:
    """Send ``message`` unless a message with ``dedup_key`` was already sent.

    A redelivered task (acks_late, a second worker) carries the same id, so the
    mark set here stops it. If sending fails the mark is removed so a retry can send.
    """
    if not cache.add(f"mail-sent:{dedup_key}", 1, SENT_MARK_SECONDS):
        return False
    try:
        message.send()
    except Exception:
        cache.delete(f"mail-sent:{dedup_key}")
        raise
    return True
