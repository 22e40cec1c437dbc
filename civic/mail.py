"""Email sending shared by every task: at most once per task, whatever the retries."""

from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives

SENT_MARK_SECONDS = 7 * 24 * 3600


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
