"""Problems citizens report in the commune's territory (signalements): a pothole, a broken
street light, a wild dump. Agents handle them in the admin along a small workflow
(problems.workflow); every step is a ProblemEvent row, which is the timeline the citizen
reads, the audit trail and the source of the notifications."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Neighbourhood

DESCRIPTION_MAX = 2000
ADDRESS_MAX = 200


class ProblemCategory(models.Model):
    """What kind of problem (roads, street lighting, cleanliness…): the commune's own list,
    managed by its agents. A category in use is switched off, not deleted."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered to citizens"), default=True)

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    # With a context: "in progress" of a pothole is not "being built" like an idea's.
    RECEIVED = "received", pgettext_lazy("problem report status", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("problem report status", "In progress")
    RESOLVED = "resolved", pgettext_lazy("problem report status", "Resolved")
    REJECTED = "rejected", pgettext_lazy("problem report status", "Rejected")


def photo_upload_to(instance, filename):
    # A random name: the citizen's file name says nothing, and the address cannot be guessed.
    return f"problems/{uuid.uuid4().hex}.jpg"


class Problem(models.Model):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="problems",
    )
    category = models.ForeignKey(ProblemCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="problems")
    description = models.TextField(_("description"), validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    photo = models.ImageField(_("photo"), upload_to=photo_upload_to, blank=True)
    address = models.CharField(_("address or place"), max_length=ADDRESS_MAX)
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned agent"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="problems_assigned",
    )
    # A safety net (moderation.screening) held it back: only its reporter and the agents see it.
    held_for_review = models.BooleanField(_("held for review"), default=False, db_index=True)
    review_reasons = models.CharField(_("why it was held"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["held_for_review", "status", "-created_at"], name="problems_public_list")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="problems_problem_both_coordinates_or_none",
                violation_error_message=_("The place on the map is incomplete: click the map again."),
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """The number the citizen quotes ("2026-00042"): the year it was made and its id."""
        if self.pk is None:
            return ""
        return f"{timezone.localtime(self.created_at):%Y}-{self.pk:05d}"

    @staticmethod
    def id_from_reference(text: str) -> int | None:
        """The id inside a reference as typed ("2026-00042", "00042", "42"), or None."""
        text = (text or "").strip().lstrip("#")
        number = text.rsplit("-", 1)[-1]
        return int(number) if number.isdigit() and len(number) < 10 else None

    @property
    def is_public(self) -> bool:
        return not self.held_for_review

    @property
    def status_colour(self) -> str:
        from problems.workflow import COLOURS

        return COLOURS[self.status]

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ProblemEvent(models.Model):
    """One step in the life of a report: who, when, from which status to which, and the
    public message. Never edited: the log of what happened."""

    class Kind(models.TextChoices):
        CREATED = "created", _("reported the problem")
        STATUS = "status", _("changed the status")
        PUBLISHED = "published", _("published it after review")
        ASSIGNED = "assigned", _("assigned it")

    # What the public timeline shows; the rest is for the agents.
    PUBLIC_KINDS = (Kind.CREATED, Kind.STATUS)

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices, blank=True)
    message = models.TextField(_("public message"), blank=True)
    target_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent assigned"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("problem report event")
        verbose_name_plural = _("problem report events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class ProblemFollow(models.Model):
    """Someone told of every change of a report: its reporter, and neighbours who say "me too"."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="follows")
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="problem_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follower of a problem report")
        verbose_name_plural = _("followers of problem reports")
        constraints = [models.UniqueConstraint(fields=["problem", "follower"], name="problems_one_follow_per_person")]
