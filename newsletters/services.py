"""Every change to a newsletter goes through here: the admin, the tasks, the public views
(unsubscribe, tracking) and the demo call the same functions.

Sending, exactly once as far as SMTP allows
-------------------------------------------
1. ``newsletter_start`` freezes the newsletter (status SENDING) and queues ``SENDERS``
   copies of the sending task. Content and recipients can no longer change.
2. ``newsletter_prepare`` (the first task to get there; the others wait on the row lock)
   resolves the segment and inserts one ``Delivery`` per person with ``INSERT … SELECT … ON
   CONFLICT DO NOTHING``, numbered into batches of ``BATCH_SIZE``, plus one ``Batch`` row per
   number, all in one transaction with ``prepared_at``: either everybody has a delivery or
   nobody does, and running it again adds nothing.
3. ``newsletter_send``: a worker claims a batch with ``SELECT … FOR UPDATE SKIP LOCKED`` and
   keeps that transaction open while it sends the batch's pending deliveries over ONE SMTP
   connection. The lock is the claim: two workers never hold the same batch, and when a
   worker dies (even SIGKILL) PostgreSQL sees its connection close, rolls the transaction
   back and frees the batch for the next worker.
4. Each delivery is marked sent right after the SMTP server accepted it (250 after DATA),
   through a SECOND database connection in autocommit, so the mark is committed at once
   instead of at the end of the batch (``_Marks``). Marking through the connection that holds
   the batch lock would wait for the end of the batch; marking the delivery rows from
   another connection while they were locked would block, hence the lock on the ``Batch``
   row and not on the deliveries.
5. When every delivery of the batch has an outcome, the batch is marked done in the
   lock's transaction; when no batch is left, the newsletter becomes SENT (once: the row
   is locked and its status checked).

A worker killed mid-batch leaves: deliveries marked sent (they are never sent again, the
query takes pending ones only), the others pending in a batch that is not done and no
longer locked. Running the task again — or beat's ``newsletters_resume_stalled`` noticing
a newsletter in SENDING whose batches nobody holds — sends exactly those.

The remaining window: between the SMTP server's acceptance of a message and the commit of
its mark there is one round trip to PostgreSQL (well under a millisecond locally). A worker
killed exactly there has handed the message over without recording it: it is sent again
when the batch is resumed, and that person receives it twice. No protocol can close this
window with SMTP, which has no idempotency key (the server cannot tell a resend from a new
message); the design keeps it to the single message in flight, per worker killed. A batch
aborted by an error (the SMTP server going away) has no such window: the mark of every
accepted message was already committed.
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from civic.tasks import enqueue_on_commit
from newsletters import rendering, segments
from newsletters.models import Batch, Delivery, Newsletter, NewsletterEvent
from newsletters.rendering import sanitise_body

logger = logging.getLogger(__name__)

Status = Newsletter.Status
BATCH_SIZE = 100
# Copies of the sending task queued when sending starts: as many workers as are free take
# a share of the batches; the copies that find nothing left to claim end at once.
SENDERS = 4
SMTP_TIMEOUT = 30
# beat queues new senders for a newsletter nobody is sending at most this often.
RESUME_EVERY = timedelta(minutes=5)

# The one table of allowed changes of status.
TRANSITIONS = {
    Status.DRAFT: {Status.SCHEDULED, Status.SENDING},
    Status.SCHEDULED: {Status.DRAFT, Status.SCHEDULED, Status.SENDING},
    Status.SENDING: {Status.SENT},
    Status.SENT: set(),
}
EDITABLE_FIELDS = ("subject", "body", "segment", *segments.PARAMETERS)


class NewsletterError(Exception):
    """A refusal, in words for the agent."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _require_agent(actor) -> None:
    from ideas.rules import can_triage

    if not can_triage(actor):
        raise NewsletterError(_("Only the commune's agents may do this."))


def _transition(newsletter: Newsletter, *, to: str, actor, note: str = "") -> None:
    """Move ``newsletter`` (locked by the caller) to ``to`` and log it."""
    if to not in TRANSITIONS[newsletter.status]:
        raise NewsletterError(_("A newsletter “%(from)s” cannot become “%(to)s”.") % {
            "from": newsletter.get_status_display(), "to": Status(to).label})
    NewsletterEvent.objects.create(newsletter=newsletter, actor=actor, from_status=newsletter.status, to_status=to,
                                   note=note[:300])
    newsletter.status = to


def _locked(newsletter: Newsletter) -> Newsletter:
    return Newsletter.objects.select_for_update().get(pk=newsletter.pk)


def _check_complete(newsletter: Newsletter) -> None:
    if not newsletter.subject.strip():
        raise NewsletterError(_("Give the newsletter a subject."))
    if not newsletter.body.strip():
        raise NewsletterError(_("Write the body of the newsletter."))
    if segments.errors(newsletter):
        raise NewsletterError(_("Choose who receives the newsletter."))


def _set_content(newsletter: Newsletter, fields: dict) -> list[str]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "body":
            value = sanitise_body(value)
        elif name in ("segment_idea_status", "segment_age_bracket") and value is None:
            value = ""
        setattr(newsletter, name, value)
    segments.clear_unused(newsletter)
    return list(EDITABLE_FIELDS)


# --- Writing -----------------------------------------------------------------------------------


@transaction.atomic
def newsletter_create(*, actor, subject: str, body: str, segment: str = Newsletter.Segment.SUBSCRIBERS,
                      **parameters) -> Newsletter:
    _require_agent(actor)
    newsletter = Newsletter(created_by=actor if getattr(actor, "pk", None) else None)
    _set_content(newsletter, {"subject": subject, "body": body, "segment": segment, **parameters})
    newsletter.save()
    return newsletter


@transaction.atomic
def newsletter_update(*, newsletter: Newsletter, actor, **fields) -> Newsletter:
    """Change the content or the recipients, until sending starts."""
    _require_agent(actor)
    locked = _locked(newsletter)
    if not locked.is_editable:
        raise NewsletterError(_("Sending has started: the newsletter can no longer be changed."))
    updated = _set_content(locked, fields)
    locked.save(update_fields=[*updated, "updated_at"])
    return locked


@transaction.atomic
def newsletter_schedule(*, newsletter: Newsletter, actor, at) -> Newsletter:
    """Send at ``at`` (beat checks every minute); scheduling again moves the date."""
    _require_agent(actor)
    locked = _locked(newsletter)
    if at is None or at <= timezone.now():
        raise NewsletterError(_("Choose a date and time in the future."))
    _check_complete(locked)
    _transition(locked, to=Status.SCHEDULED, actor=actor, note=timezone.localtime(at).isoformat(timespec="minutes"))
    locked.scheduled_at = at
    locked.save(update_fields=["status", "scheduled_at", "updated_at"])
    return locked


@transaction.atomic
def newsletter_unschedule(*, newsletter: Newsletter, actor) -> Newsletter:
    _require_agent(actor)
    locked = _locked(newsletter)
    _transition(locked, to=Status.DRAFT, actor=actor)
    locked.scheduled_at = None
    locked.save(update_fields=["status", "scheduled_at", "updated_at"])
    return locked


def _queue_senders(newsletter_id: int) -> None:
    from newsletters.tasks import send_newsletter

    for _copy in range(SENDERS):
        enqueue_on_commit(send_newsletter, newsletter_id=newsletter_id)


@transaction.atomic
def newsletter_start(*, newsletter: Newsletter, actor, note: str = "") -> Newsletter:
    """Start sending now: the content is frozen from here on. ``actor`` None: the platform
    (a scheduled newsletter whose time has come)."""
    if actor is not None:
        _require_agent(actor)
    locked = _locked(newsletter)
    _check_complete(locked)
    if actor is not None and not segments.recipients(locked).exists():
        raise NewsletterError(_("Nobody would receive this newsletter: no subscriber matches the recipients chosen."))
    _transition(locked, to=Status.SENDING, actor=actor, note=note)
    locked.started_at = timezone.now()
    locked.save(update_fields=["status", "started_at", "updated_at"])
    _queue_senders(locked.pk)
    return locked


def newsletter_send_test(*, newsletter: Newsletter, actor) -> None:
    """Send the newsletter as it stands to the agent's own address (queued)."""
    from newsletters.tasks import send_test

    _require_agent(actor)
    if not actor.email:
        raise NewsletterError(_("Your account has no email address."))
    if not newsletter.body.strip():
        raise NewsletterError(_("Write the body of the newsletter."))
    with transaction.atomic():
        NewsletterEvent.objects.create(newsletter=newsletter, actor=actor, from_status=newsletter.status,
                                       to_status=newsletter.status, note=f"test → {actor.email}"[:300])
        enqueue_on_commit(send_test, newsletter_id=newsletter.pk, user_id=actor.pk, request_id=uuid.uuid4().hex)


# --- Sending -----------------------------------------------------------------------------------


def newsletter_prepare(*, newsletter_id: int) -> int:
    """Resolve the segment into deliveries and batches, once (see the module's docstring).
    Returns the number of recipients."""
    table, batches = Delivery._meta.db_table, Batch._meta.db_table
    with transaction.atomic():
        newsletter = (Newsletter.objects.select_for_update(of=("self",))
                      .select_related("segment_budget").filter(pk=newsletter_id).first())
        if newsletter is None or newsletter.status != Status.SENDING:
            return 0
        if newsletter.prepared_at is not None:
            return newsletter.recipient_count
        people, params = segments.recipients(newsletter).values("id", "email").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (newsletter_id, recipient_id, email, token, batch, status, error, click_count) "
                f"SELECT %s, p.id, p.email, replace(gen_random_uuid()::text, '-', ''), "
                f"(row_number() OVER (ORDER BY p.id) - 1) / %s::integer, %s, '', 0 FROM ({people}) AS p "
                f"ON CONFLICT DO NOTHING",
                [newsletter.pk, BATCH_SIZE, Delivery.Status.PENDING, *params])
            cursor.execute(
                f"INSERT INTO {batches} (newsletter_id, number) SELECT DISTINCT newsletter_id, batch FROM {table} "
                f"WHERE newsletter_id = %s ON CONFLICT DO NOTHING", [newsletter.pk])
        count = Delivery.objects.filter(newsletter_id=newsletter.pk).count()
        Newsletter.objects.filter(pk=newsletter.pk).update(prepared_at=timezone.now(), recipient_count=count)
    return count


class _Marks:
    """Records the outcome of deliveries, each committed as soon as it is written.

    The default connection holds the batch's lock in an open transaction; the marks go
    through a second connection of the same commune in autocommit. Inside an outer
    transaction (tests running the task eagerly in theirs) nothing can be committed before
    it ends anyway and a second connection would not see its rows: the marks then go
    through the default connection."""

    SQL = (f"UPDATE {Delivery._meta.db_table} SET status = %s, error = %s, sent_at = %s "
           f"WHERE id = ANY(%s) AND status = %s")

    def __enter__(self):
        self.own = not connection.in_atomic_block
        if self.own:
            self.db = connections.create_connection(DEFAULT_DB_ALIAS)
            self.db.set_tenant(connection.tenant)
        else:
            self.db = connection
        self.cursor = self.db.cursor()
        return self

    def __exit__(self, *exc):
        self.cursor.close()
        if self.own:
            self.db.close()

    def mark(self, ids: list[int], status: str, error: str = "") -> None:
        at = timezone.now() if status == Delivery.Status.SENT else None
        self.cursor.execute(self.SQL, [status, error[:300], at, list(ids), Delivery.Status.PENDING])


def _refusal(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
                         for code, message in error.recipients.values())
    return f"{getattr(error, 'smtp_code', '')} {getattr(error, 'smtp_error', error)!s}"


def _send_batch(*, newsletter_id: int, number: int, email: rendering.Email, marks: _Marks) -> int:
    """Send the pending deliveries of one batch over one SMTP connection; returns how many
    the server accepted. People who unsubscribed or left since sending started are skipped."""
    rows = list(Delivery.objects.filter(newsletter_id=newsletter_id, batch=number, status=Delivery.Status.PENDING)
                .order_by("pk").values_list("pk", "email", "token", "recipient__is_active",
                                            "recipient__newsletter_opt_in"))
    gone = [pk for pk, address, _token, active, opted_in in rows if not (address and active and opted_in)]
    if gone:
        marks.mark(gone, Delivery.Status.SKIPPED)
    rows = [row for row in rows if row[0] not in set(gone)]
    if not rows:
        return 0
    accepted = 0
    with get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT) as smtp:
        for pk, address, token, _active, _opted_in in rows:
            message = email.personalise(to=address, token=token)
            try:
                smtp.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                marks.mark([pk], Delivery.Status.FAILED, _refusal(error))
                continue
            except smtplib.SMTPDataError as error:
                if error.smtp_code < 500:
                    raise  # temporary: the batch stops and is taken again later
                marks.mark([pk], Delivery.Status.FAILED, _refusal(error))
                continue
            # The server has the message. Until the next statement commits, a worker killed
            # here would send it again on resumption: the window described above.
            marks.mark([pk], Delivery.Status.SENT)
            accepted += 1
    return accepted


def newsletter_send(*, newsletter_id: int) -> int:
    """Send what is left of a newsletter being sent, batch after batch, until no batch is
    left to claim; then mark it sent if nothing is left at all. Safe to run any number of
    times, in any number of workers at once. Returns how many emails this call sent."""
    newsletter = Newsletter.objects.filter(pk=newsletter_id, status=Status.SENDING).first()
    if newsletter is None:
        return 0
    if newsletter.prepared_at is None:
        newsletter_prepare(newsletter_id=newsletter_id)
    email = rendering.render(newsletter)
    sent = 0
    with _Marks() as marks:
        while True:
            failure = None
            with transaction.atomic():
                batch = (Batch.objects.select_for_update(skip_locked=True)
                         .filter(newsletter_id=newsletter_id, done_at__isnull=True).order_by("number").first())
                if batch is None:
                    break
                try:
                    sent += _send_batch(newsletter_id=newsletter_id, number=batch.number, email=email, marks=marks)
                except OSError as error:  # smtplib's errors too: the mail server or the network
                    # The batch stays undone; leaving the block normally keeps the marks
                    # already written when they share this transaction (see _Marks).
                    failure = error
                else:
                    Batch.objects.filter(pk=batch.pk).update(done_at=timezone.now())
            if failure is not None:
                raise failure
    newsletter_finish_if_done(newsletter_id=newsletter_id)
    return sent


def newsletter_finish_if_done(*, newsletter_id: int) -> bool:
    """SENDING → SENT once every batch is done (once, whichever worker gets here first)."""
    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().filter(
            pk=newsletter_id, status=Status.SENDING, prepared_at__isnull=False).first()
        if newsletter is None or Batch.objects.filter(newsletter_id=newsletter_id, done_at__isnull=True).exists():
            return False
        counts = dict(Delivery.objects.filter(newsletter_id=newsletter_id).order_by().values("status")
                      .annotate(n=Count("pk")).values_list("status", "n"))
        _transition(newsletter, to=Status.SENT, actor=None,
                    note=", ".join(f"{status}: {n}" for status, n in sorted(counts.items())))
        newsletter.finished_at = timezone.now()
        newsletter.save(update_fields=["status", "finished_at", "updated_at"])
        return True


# --- What beat does every minute, in each commune ----------------------------------------------


def newsletters_start_due(*, now=None) -> list[int]:
    """Start the scheduled newsletters whose time has come. One that can no longer be sent
    (its budget or call was deleted meanwhile) goes back to the drafts, with the reason."""
    now = now or timezone.now()
    started = []
    for pk in list(Newsletter.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=now)
                   .values_list("pk", flat=True)):
        with transaction.atomic():
            newsletter = Newsletter.objects.select_for_update().filter(
                pk=pk, status=Status.SCHEDULED, scheduled_at__lte=now).first()
            if newsletter is None:
                continue
            try:
                _check_complete(newsletter)
            except NewsletterError as error:
                _transition(newsletter, to=Status.DRAFT, actor=None, note=error.message)
                newsletter.save(update_fields=["status", "updated_at"])
                continue
        newsletter_start(newsletter=newsletter, actor=None, note="scheduled")
        started.append(pk)
    return started


def _nobody_sending(newsletter_id: int) -> bool:
    """No worker holds any of its batches (nor is preparing it)."""
    with transaction.atomic():
        if not Newsletter.objects.select_for_update(skip_locked=True).filter(pk=newsletter_id).exists():
            return False  # being prepared or finished right now
        undone = Batch.objects.filter(newsletter_id=newsletter_id, done_at__isnull=True)
        total = undone.count()
        free = len(undone.select_for_update(skip_locked=True).values_list("pk", flat=True))
    return free == total


def newsletters_resume_stalled() -> list[int]:
    """Queue senders again for newsletters in SENDING that no worker is working on (a
    worker died, the queue lost its tasks); at most once per RESUME_EVERY each."""
    resumed = []
    for pk in list(Newsletter.objects.filter(status=Status.SENDING).values_list("pk", flat=True)):
        if _nobody_sending(pk) and cache.add(f"newsletters:resume:{pk}", 1, RESUME_EVERY.total_seconds()):
            logger.info("Newsletter %s: nobody is sending it, senders queued again.", pk)
            _queue_senders(pk)
            resumed.append(pk)
    return resumed


# --- What recipients do -------------------------------------------------------------------------


def delivery_record_open(*, token: str) -> bool:
    """The open pixel was loaded: the first time is recorded. False: no such delivery."""
    return bool(Delivery.objects.filter(token=token).update(opened_at=Coalesce("opened_at", Value(timezone.now()))))


def delivery_record_click(*, token: str, newsletter_id: int) -> bool:
    """A tracked link was followed (which also shows the email was opened, images or not)."""
    now = Value(timezone.now())
    return bool(Delivery.objects.filter(token=token, newsletter_id=newsletter_id).update(
        clicked_at=Coalesce("clicked_at", now), opened_at=Coalesce("opened_at", now),
        click_count=F("click_count") + 1))


@transaction.atomic
def delivery_unsubscribe(*, token: str) -> Delivery | None:
    """The person of this delivery no longer receives the newsletter. None: no such token."""
    delivery = Delivery.objects.select_related("newsletter").filter(token=token).first()
    if delivery is None:
        return None
    if delivery.recipient_id:
        User.objects.filter(pk=delivery.recipient_id, newsletter_opt_in=True).update(newsletter_opt_in=False)
    if delivery.unsubscribed_at is None:
        delivery.unsubscribed_at = timezone.now()
        Delivery.objects.filter(pk=delivery.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=delivery.unsubscribed_at)
    return delivery
