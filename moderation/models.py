"""Reports (signalements) of content by citizens. The moderation workflow builds on these rows."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Insulting or hateful")
        SPAM = "spam", _("Advertising or spam")
        PERSONAL_DATA = "personal_data", _("Personal data of someone")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")
        REVIEW = "review", _("Sent to review automatically")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="reports", help_text=_("Empty: sent to review by the platform."))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "reporter"],
                                               name="moderation_one_report_per_person")]


class Decision(models.Model):
    """A moderator's decision on a piece of content or on its author, with the reason the
    author reads. The log of decisions is never edited: corrections are new decisions."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        EDIT = "edit", _("Edited")
        DISMISS = "dismiss", _("Reports dismissed")
        WARN = "warn", _("Author warned")
        BLOCK = "block", _("Author blocked")

    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(_("decision"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason given to the author"), max_length=1000)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text=_("Empty: decided automatically."))
    target_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="moderation_decisions")
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)
    previous_text = models.TextField(_("text before the edit"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="moderation_decision_content")]
