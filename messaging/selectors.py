"""Reads for the conversation pages, each in a fixed number of queries."""

from django.db.models import Prefetch

from messaging.models import Message, Thread, ThreadEvent

# What a citizen is shown of the log (assignments are the commune's internal business).
PUBLIC_EVENTS = [ThreadEvent.Kind.CLOSED, ThreadEvent.Kind.REOPENED]


def threads_of(*, user):
    """A citizen's own threads, most recent activity first (one query; the unread marks and
    who wrote last are read from the thread's own columns)."""
    return Thread.objects.filter(citizen=user).order_by("-last_message_at", "-id")


def thread_of(*, user, thread_id: int) -> Thread | None:
    """One of ``user``'s threads with its messages and its public events, or None (missing
    or someone else's: the caller answers the same 404 either way)."""
    if not getattr(user, "is_authenticated", False):
        return None
    events = ThreadEvent.objects.filter(kind__in=PUBLIC_EVENTS)
    return (Thread.objects.filter(pk=thread_id, citizen=user)
            .prefetch_related(Prefetch("messages", queryset=Message.objects.all(), to_attr="conversation"),
                              Prefetch("events", queryset=events, to_attr="public_events"))
            .first())


def timeline(thread: Thread, *, events_attr: str = "public_events", for_commune: bool = False) -> list[dict]:
    """Messages and events of a prefetched thread in the order they happened; a message of
    the other side written since the reader's side last opened the thread is marked new."""
    read_at = thread.commune_read_at if for_commune else thread.citizen_read_at
    items = [{"kind": "message", "at": m.created_at, "message": m,
              "new": m.from_commune != for_commune and (read_at is None or m.created_at > read_at)}
             for m in thread.conversation]
    items += [{"kind": "event", "at": e.created_at, "event": e} for e in getattr(thread, events_attr)]
    return sorted(items, key=lambda item: (item["at"], item["kind"] == "event"))


def thread_for_agents(*, thread_id: int) -> Thread | None:
    """A thread with everything the agents' page shows: the citizen, the messages with their
    authors, the whole log with who did it."""
    return (Thread.objects.filter(pk=thread_id).select_related("citizen", "assigned_to")
            .prefetch_related(
                Prefetch("messages", queryset=Message.objects.select_related("author"), to_attr="conversation"),
                Prefetch("events", queryset=ThreadEvent.objects.select_related("actor", "assigned_to"),
                         to_attr="all_events"))
            .first())
