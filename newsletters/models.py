"""Newsletters an agent writes in the admin and the commune sends to the people who asked
for it (``User.newsletter_opt_in``), all of them or a segment.

A newsletter is a draft, then scheduled or sent at once. When sending starts its content
is frozen and its recipients are resolved into one ``Delivery`` row each (the person, the
address, a secret token for the unsubscribe and tracking links, the outcome), grouped in
numbered ``Batch`` rows that the workers claim one at a time (newsletters/services.py
explains how a worker killed mid-batch neither sends twice nor skips anyone).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AgeBracket
from ideas.models import Status as IdeaStatus


class Newsletter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class Segment(models.TextChoices):
        SUBSCRIBERS = "subscribers", _("All subscribers")
        BUDGET = "budget", _("Subscribers who took part in a participatory budget")
        CALL = "call", _("Subscribers who took part in a call for ideas")
        IDEA_STATUS = "idea_status", _("Subscribers whose ideas are in a given status")
        NEIGHBOURHOOD = "neighbourhood", _("Subscribers living in a neighbourhood")
        AGE_BRACKET = "age_bracket", _("Subscribers of an age bracket")

    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(
        _("body"),
        help_text=_("Paragraphs, headings, lists, bold, italics, links and images (https). Anything else "
                    "(scripts, styles, forms…) is removed when you save."))
    segment = models.CharField(_("recipients"), max_length=16, choices=Segment.choices, default=Segment.SUBSCRIBERS,
                               help_text=_("Always among the people who agreed to receive the newsletter."))
    segment_budget = models.ForeignKey(
        "budgets.Budget", verbose_name=_("participatory budget"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Voters, and authors, supporters and commenters of its projects."))
    segment_call = models.ForeignKey(
        "ideas.Call", verbose_name=_("call for ideas"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Authors, supporters and commenters of its ideas; with a status: only that call's ideas."))
    segment_idea_status = models.CharField(_("status of the ideas"), max_length=16, choices=IdeaStatus.choices,
                                           blank=True)
    segment_neighbourhood = models.ForeignKey(
        "accounts.Neighbourhood", verbose_name=_("neighbourhood"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    segment_age_bracket = models.CharField(
        _("age bracket"), max_length=10, choices=AgeBracket.choices, blank=True,
        help_text=_("From the year of birth when the person gave it, else from the bracket they chose."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    # Set in the transaction that created every delivery (newsletters.services.newsletter_prepare).
    prepared_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject

    @property
    def is_editable(self) -> bool:
        """Content and recipients may change until sending starts."""
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class NewsletterEvent(models.Model):
    """The activity log of a newsletter: each change of status, and each test sent."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text="None: done by the platform (schedule, worker).")
    from_status = models.CharField(_("from"), max_length=10, choices=Newsletter.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Newsletter.Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("newsletter event")
        verbose_name_plural = _("newsletter events")
        ordering = ["created_at", "id"]


class Batch(models.Model):
    """A numbered share of a newsletter's deliveries. A worker holds the row locked
    (SELECT … FOR UPDATE SKIP LOCKED) for as long as it sends the batch; ``done_at`` is set
    in that same transaction once every delivery of the batch has an outcome."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newsletter", "number"], name="newsletters_batch_once")]


class Delivery(models.Model):
    """One newsletter for one person: their address when sending started, the token of
    their links, what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the mail server")
        SKIPPED = "skipped", _("Not sent: unsubscribed or account closed meanwhile")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    # Null once the person deleted their account (newsletters/privacy.py): the row stays,
    # anonymous, so the newsletter's figures do not change.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="newsletter_deliveries")
    email = models.EmailField(_("email address"), blank=True)
    token = models.CharField(max_length=64, unique=True)
    batch = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(_("error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("first clicked at"), null=True, blank=True)
    click_count = models.PositiveIntegerField(_("clicks"), default=0)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "recipient"], name="newsletters_one_delivery_per_person"),
        ]
        indexes = [
            models.Index(fields=["newsletter", "batch", "status"], name="newsletters_delivery_batch"),
            models.Index(fields=["newsletter", "status"], name="newsletters_delivery_status"),
        ]

    def __str__(self):
        return f"{self.newsletter_id} → {self.email or '—'}"
