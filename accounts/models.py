"""People of one commune. Every commune's schema has its own users: an account at
Bertrix does not exist at Fleurus. Consultants are users of the public schema."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgeBracket(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18 = "18_24", _("18–24")
    FROM_25 = "25_34", _("25–34")
    FROM_35 = "35_49", _("35–49")
    FROM_50 = "50_64", _("50–64")
    FROM_65 = "65_plus", _("65 and over")


class Gender(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("I prefer not to say")


class Topic(models.TextChoices):
    """What a person is told about. Each has its own switches (on the site, by email) in the
    person's preferences, except service messages, which always reach them."""

    MINE = "mine", _("What becomes of my ideas and reports")
    REPLIES = "replies", _("Comments on my ideas and replies to my comments")
    FOLLOWED = "followed", _("News of the ideas and projects I follow")
    BUDGET_STEPS = "budget_steps", _("Steps and results of the participatory budgets I follow")
    SURVEYS = "surveys", _("Invitations to surveys")
    SERVICE = "service", _("Service messages: vote receipts, moderation decisions, answers to my messages")


class Neighbourhood(models.Model):
    """One of the commune's neighbourhoods (quartiers), offered on profiles and ideas."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(
        _("display name"), max_length=80, blank=True,
        help_text=_("Shown next to your contributions. Leave empty to stay anonymous."),
    )
    age_bracket = models.CharField(_("age bracket"), max_length=10, choices=AgeBracket.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("Asked only where a vote has a minimum age."),
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="residents",
    )
    newsletter_opt_in = models.BooleanField(_("receives the newsletter"), default=False)
    # {topic: {"site": bool, "email": bool}}; a missing switch is on (accounts.notify).
    notification_preferences = models.JSONField(_("notification preferences"), default=dict, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms of use accepted at"), null=True, blank=True)
    terms_version = models.PositiveIntegerField(_("version of the terms of use accepted"), default=0)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May log into this admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    posting_blocked_until = models.DateTimeField(
        _("may not post until"), null=True, blank=True,
        help_text=_("Set by a moderation decision: the person can read but not post."))
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Who the person is was checked (a secured consultation asks for it): by an identity
    # service the commune trusts (FranceConnect, itsme…: accounts.identity) or by an agent
    # who saw an identity card at the counter.
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    identity_verified_by = models.CharField(
        _("identity verified by"), max_length=120, blank=True,
        help_text=_("The identity service, or the agent who checked an identity card at the counter."))

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None

    def __str__(self):
        if self.is_deleted:
            return str(_("Deleted account"))
        return self.display_name or self.email

    @property
    def is_deleted(self) -> bool:
        """The tombstone left by a deleted account (accounts.services.account_delete)."""
        return not self.is_active and self.email.endswith("@deleted.invalid")

    @property
    def is_blocked(self) -> bool:
        return self.posting_blocked_until is not None and self.posting_blocked_until > timezone.now()

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]


class Notification(models.Model):
    """Something a person is told on the site (as well as, often, by email)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(max_length=100, help_text="What it is about, so it is created once.")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="accounts_notification_once")]
