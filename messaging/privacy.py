"""Private messages in a person's data (protocol: accounts/privacy.py).

``export``: the conversations the person opened with the commune, every message in them,
whether from them or from the commune. Agents' names are left out (the commune answered);
what an agent wrote to *other* citizens is those citizens' correspondence and is not exported.

``forget``: the threads are **kept, emptied**. They are a two-person correspondence, not a
public contribution: nobody else ever read them, so nothing public loses its thread if their
words go, and what the citizen wrote (and what the commune wrote back, which quotes and
answers their situation) is personal data through and through. But that the commune was
asked something on a given day and answered after so many hours is the commune's own record
(its workload, its response times, who handled what). So each thread stays with its dates,
status and assigned agent, pointing at the anonymous tombstone; its subject and every
message body, both sides, are erased and ``erased_at`` is set; it is closed so that nobody
answers into the void; the person's site notifications about their threads (which quote
the subject) are deleted. Nothing of the content can be rebuilt afterwards.

When the person leaving is an agent, the threads they were assigned go back to every agent
(unassigned); what they wrote to citizens stays: it is the commune's correspondence."""

from django.utils import timezone

ERASED_SUBJECT = "—"


def export(user) -> dict:
    from messaging.models import Thread

    threads = (Thread.objects.filter(citizen=user).order_by("created_at", "id")
               .prefetch_related("messages"))
    return {"message_threads": [
        {
            "subject": thread.subject,
            "status": thread.status,
            "opened_at": thread.created_at.isoformat(),
            "messages": [
                {"from": "commune" if message.from_commune else "you", "body": message.body,
                 "sent_at": message.created_at.isoformat()}
                for message in thread.messages.all()
            ],
        }
        for thread in threads
    ]}


def forget(user) -> None:
    from accounts.models import Notification
    from messaging.models import Message, Thread

    now = timezone.now()
    threads = Thread.objects.filter(citizen=user)
    Message.objects.filter(thread__in=threads).update(body="")
    threads.update(subject=ERASED_SUBJECT, status=Thread.Status.CLOSED, waiting_since=None, erased_at=now,
                   updated_at=now)
    Notification.objects.filter(recipient=user, key__startswith="messaging:").delete()
    Thread.objects.filter(assigned_to=user).update(assigned_to=None, updated_at=now)
