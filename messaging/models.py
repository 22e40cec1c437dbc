"""Private conversations between one citizen and their commune.

A ``Thread`` is one subject raised by a citizen; its ``Message`` rows are the conversation.
Only the citizen who opened it (on the site) and the commune's agents (in the admin) ever
see it. Assignments, closing and reopening are ``ThreadEvent`` rows: the audit trail.

The thread carries a few denormalised dates, kept by ``messaging.services`` only, so that the
lists ("My messages", the agents' inbox) sort and mark unread threads without reading messages:
``waiting_since`` (a citizen's message still unanswered, else empty), the date of the last
message from each side, and the date each side last read the thread."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SUBJECT_MAX = 140
BODY_MAX = 5000


class Thread(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("citizen"), null=True,
                                on_delete=models.SET_NULL, related_name="message_threads")
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="assigned_threads")
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    last_citizen_message_at = models.DateTimeField(_("last message from the citizen"), null=True, blank=True)
    last_commune_message_at = models.DateTimeField(_("last answer from the commune"), null=True, blank=True)
    waiting_since = models.DateTimeField(
        _("waiting for an answer since"), null=True, blank=True,
        help_text=_("The citizen's first message not answered yet; empty when nothing waits."))
    citizen_read_at = models.DateTimeField(_("read by the citizen at"), null=True, blank=True)
    commune_read_at = models.DateTimeField(_("read by the commune at"), null=True, blank=True)
    erased_at = models.DateTimeField(
        _("erased at"), null=True, blank=True,
        help_text=_("The citizen deleted their account: what was written is erased, the dates remain."))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = [models.F("waiting_since").asc(nulls_last=True), "-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["citizen", "-last_message_at"], name="messaging_thread_citizen"),
            models.Index(fields=["status", "waiting_since"], name="messaging_thread_inbox"),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def unread_by_citizen(self) -> bool:
        """The commune wrote since the citizen last opened the thread."""
        last = self.last_commune_message_at
        return last is not None and (self.citizen_read_at is None or last > self.citizen_read_at)

    @property
    def unread_by_commune(self) -> bool:
        """The citizen wrote since an agent last opened the thread."""
        last = self.last_citizen_message_at
        return last is not None and (self.commune_read_at is None or last > self.commune_read_at)

    @property
    def last_from_commune(self) -> bool:
        commune, citizen = self.last_commune_message_at, self.last_citizen_message_at
        return commune is not None and (citizen is None or commune >= citizen)


class Message(models.Model):
    """One message of a conversation. Never edited: a correction is another message."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    from_commune = models.BooleanField(_("from the commune"), default=False)
    body = models.TextField(_("message"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="messaging_message_thread")]

    def __str__(self):
        return f"{self.thread_id} · {self.created_at:%Y-%m-%d %H:%M}"


class ThreadEvent(models.Model):
    """Who assigned, closed or reopened a conversation, and when. Never edited."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("assigned the conversation")
        UNASSIGNED = "unassigned", _("removed the assignment")
        CLOSED = "closed", _("closed the conversation")
        REOPENED = "reopened", _("reopened the conversation")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("conversation event")
        verbose_name_plural = _("conversation events")
        ordering = ["created_at", "id"]
