"""Every change to conversations goes through here: the citizens' pages, the agents' admin,
the demo loader. Emails and site notifications leave once the transaction commits, by task,
with ids only (messaging.tasks)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.tasks import enqueue_on_commit
from messaging import rules
from messaging.models import BODY_MAX, SUBJECT_MAX, Message, Thread, ThreadEvent


class MessagingError(Exception):
    """A refusal, with a message meant for the person who asked."""


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise MessagingError(_("Write your message."))
    if len(body) > BODY_MAX:
        raise MessagingError(_("A message has at most %(max)s characters; this one has %(count)s.")
                             % {"max": BODY_MAX, "count": len(body)})
    return body


def _clean_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise MessagingError(_("Give your message a subject."))
    if len(subject) > SUBJECT_MAX:
        raise MessagingError(_("A subject has at most %(max)s characters; this one has %(count)s.")
                             % {"max": SUBJECT_MAX, "count": len(subject)})
    return subject


def _locked(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().get(pk=thread.pk)


def _check_transition(thread: Thread, to_status: str) -> None:
    if to_status not in rules.TRANSITIONS.get(thread.status, set()):
        if thread.status == Thread.Status.CLOSED:
            raise MessagingError(_("This conversation is already closed."))
        raise MessagingError(_("This conversation is already open."))


def _require_agent(actor) -> None:
    if not rules.is_agent(actor):
        raise MessagingError(_("Only the commune's agents handle conversations."))


def _event(thread: Thread, *, actor, kind: str, assigned_to=None, at=None) -> ThreadEvent:
    return ThreadEvent.objects.create(thread=thread, actor=actor, kind=kind, assigned_to=assigned_to,
                                      created_at=at or timezone.now())


@transaction.atomic
def thread_open(*, citizen, subject: str, body: str, notify: bool = True) -> Thread:
    """A citizen writes to the commune about a new subject: the thread and its first message.
    The agents (or the commune's contact address) are told by email."""
    refusal = rules.writing_refusal(citizen)
    if refusal:
        raise MessagingError(refusal)
    subject, body = _clean_subject(subject), _clean_body(body)
    now = timezone.now()
    thread = Thread.objects.create(citizen=citizen, subject=subject, created_at=now, last_message_at=now,
                                   last_citizen_message_at=now, waiting_since=now, citizen_read_at=now)
    message = Message.objects.create(thread=thread, author=citizen, from_commune=False, body=body, created_at=now)
    if notify:
        from messaging.tasks import notify_commune

        enqueue_on_commit(notify_commune, message_id=message.pk)
    return thread


@transaction.atomic
def message_send(*, thread: Thread, author, body: str, notify: bool = True) -> Message:
    """A new message in ``thread``: from its citizen (it then waits for an answer; a closed
    thread opens again) or from an agent (an answer: the citizen is told by email and on the
    site; an unassigned thread is assigned to the agent who answered)."""
    thread = _locked(thread)
    by_citizen = author is not None and author.pk == thread.citizen_id
    if by_citizen:
        refusal = rules.writing_refusal(author)
        if refusal:
            raise MessagingError(refusal)
    elif not rules.is_agent(author):
        # Nobody else writes in someone's conversation (and nothing says whether it exists).
        raise MessagingError(_("Only the commune's agents handle conversations."))
    if thread.erased_at is not None:
        raise MessagingError(_("This conversation was erased at the citizen's request."))
    body = _clean_body(body)
    now = timezone.now()
    message = Message.objects.create(thread=thread, author=author, from_commune=not by_citizen, body=body,
                                     created_at=now)
    fields = ["last_message_at", "updated_at"]
    thread.last_message_at = now
    if by_citizen:
        thread.last_citizen_message_at = thread.citizen_read_at = now
        fields += ["last_citizen_message_at", "citizen_read_at"]
        if thread.waiting_since is None:
            thread.waiting_since = now
            fields.append("waiting_since")
        if thread.status == Thread.Status.CLOSED:
            thread.status = Thread.Status.OPEN
            fields.append("status")
            _event(thread, actor=author, kind=ThreadEvent.Kind.REOPENED, at=now)
    else:
        thread.last_commune_message_at = thread.commune_read_at = now
        thread.waiting_since = None
        fields += ["last_commune_message_at", "commune_read_at", "waiting_since"]
        if thread.assigned_to_id is None and rules.may_be_assigned(author):
            thread.assigned_to = author
            fields.append("assigned_to")
            _event(thread, actor=author, kind=ThreadEvent.Kind.ASSIGNED, assigned_to=author, at=now)
    thread.save(update_fields=fields)
    if notify:
        from messaging.tasks import notify_citizen, notify_commune

        enqueue_on_commit(notify_commune if by_citizen else notify_citizen, message_id=message.pk)
    return message


@transaction.atomic
def thread_assign(*, thread: Thread, assignee, actor) -> Thread:
    """Give the thread to an agent (``assignee``), or to nobody (None: every agent hears of
    the citizen's next message). The agent is told by email when a colleague assigns them."""
    _require_agent(actor)
    if assignee is not None and not rules.may_be_assigned(assignee):
        raise MessagingError(_("Conversations are assigned to the commune's agents only."))
    thread = _locked(thread)
    if thread.assigned_to_id == (assignee.pk if assignee else None):
        return thread
    thread.assigned_to = assignee
    thread.save(update_fields=["assigned_to", "updated_at"])
    kind = ThreadEvent.Kind.ASSIGNED if assignee is not None else ThreadEvent.Kind.UNASSIGNED
    event = _event(thread, actor=actor, kind=kind, assigned_to=assignee)
    if assignee is not None and assignee.pk != actor.pk:
        from messaging.tasks import notify_assignee

        enqueue_on_commit(notify_assignee, event_id=event.pk)
    return thread


@transaction.atomic
def thread_close(*, thread: Thread, actor) -> Thread:
    """The commune considers the subject dealt with. The citizen still reads it, and may
    write again (which reopens it)."""
    _require_agent(actor)
    thread = _locked(thread)
    _check_transition(thread, Thread.Status.CLOSED)
    thread.status = Thread.Status.CLOSED
    thread.waiting_since = None
    thread.save(update_fields=["status", "waiting_since", "updated_at"])
    _event(thread, actor=actor, kind=ThreadEvent.Kind.CLOSED)
    return thread


@transaction.atomic
def thread_reopen(*, thread: Thread, actor) -> Thread:
    _require_agent(actor)
    thread = _locked(thread)
    if thread.erased_at is not None:
        raise MessagingError(_("This conversation was erased at the citizen's request."))
    _check_transition(thread, Thread.Status.OPEN)
    thread.status = Thread.Status.OPEN
    # Waiting again if the citizen had the last word.
    if not thread.last_from_commune and thread.last_citizen_message_at is not None:
        thread.waiting_since = thread.last_citizen_message_at
    thread.save(update_fields=["status", "waiting_since", "updated_at"])
    _event(thread, actor=actor, kind=ThreadEvent.Kind.REOPENED)
    return thread


def thread_mark_read(*, thread: Thread, reader) -> None:
    """``reader`` opened the thread: its citizen, or an agent for the whole commune. Only the
    marker moves (no updated_at): reading is not activity. The citizen's site notifications
    about the thread are marked read with it. Nothing is written when nothing was new."""
    from accounts.models import Notification

    now = timezone.now()
    if reader is not None and reader.pk == thread.citizen_id:
        if not (thread.unread_by_citizen or thread.citizen_read_at is None):
            return
        with transaction.atomic():
            Thread.objects.filter(pk=thread.pk).update(citizen_read_at=now)
            Notification.objects.filter(recipient=reader, key__startswith=f"messaging:{thread.pk}:",
                                        read_at__isnull=True).update(read_at=now)
        thread.citizen_read_at = now
    elif rules.is_agent(reader) and (thread.unread_by_commune or thread.commune_read_at is None):
        Thread.objects.filter(pk=thread.pk).update(commune_read_at=now)
        thread.commune_read_at = now
