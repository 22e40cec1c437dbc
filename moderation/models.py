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


class Policy(models.Model):
    """A published version of the commune's terms of use or of its ethics charter. Versions
    are never edited: a change is a new version, and a new version of the terms is accepted
    again by every citizen before they post."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        CHARTER = "charter", _("Ethics charter")

    kind = models.CharField(_("document"), max_length=8, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"), max_length=30000)
    changes = models.TextField(_("what changed"), max_length=2000, blank=True,
                               help_text=_("Shown to citizens when they are asked to accept the new version."))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        verbose_name = _("terms or charter version")
        verbose_name_plural = _("terms of use and ethics charter")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="moderation_policy_version")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class TermsAcceptance(models.Model):
    """That a person accepted a version of the terms of use, and when (the proof of consent)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="terms_acceptances")
    version = models.PositiveIntegerField(_("version"))
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptance of the terms")
        verbose_name_plural = _("acceptances of the terms")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="moderation_terms_accepted_once")]

