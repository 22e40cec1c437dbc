"""A person's newsletters (accounts/privacy.py describes the protocol).

Export: each newsletter sent to them, with what the commune recorded about it (sent,
first opened, first clicked, clicks, unsubscribed from it).

Forget: the delivery rows stay but lose everything that leads to the person: the link to
the account, the address, and the token (replaced by a new random one, so the links of the
emails already in their mailbox no longer lead to the row; following one still reaches
the linked page, without recording anything). Deleting the rows instead would change the
figures of newsletters sent long ago (recipients, open and click rates) each time someone
leaves; what stays is a count, with nothing personal in it. A delivery still waiting to
be sent is marked skipped: nothing is sent to a deleted account.
"""

from django.db.models.expressions import RawSQL

from newsletters.models import Delivery


def export(user) -> dict:
    deliveries = Delivery.objects.filter(recipient=user).select_related("newsletter").order_by("pk")
    return {"newsletters": [{
        "subject": delivery.newsletter.subject,
        "email": delivery.email,
        "status": delivery.status,
        "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None,
        "opened_at": delivery.opened_at.isoformat() if delivery.opened_at else None,
        "clicked_at": delivery.clicked_at.isoformat() if delivery.clicked_at else None,
        "clicks": delivery.click_count,
        "unsubscribed_at": delivery.unsubscribed_at.isoformat() if delivery.unsubscribed_at else None,
    } for delivery in deliveries]}


def forget(user) -> None:
    deliveries = Delivery.objects.filter(recipient=user)
    deliveries.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.SKIPPED)
    deliveries.update(recipient=None, email="", token=RawSQL("replace(gen_random_uuid()::text, '-', '')", []))
