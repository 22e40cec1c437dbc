"""Participatory budgets.

A budget owns a Call of kind BUDGET: its phases (rows with dates) drive the site and its
ideas are the projects. This module adds what only a budget has: the envelope and the
voting rules, teaching sections and attachments, the steering committee's criteria grid,
ballots (online and paper, one per person, enforced by the database), the counted result
with its public overrides, and the follow-up of the winning projects."""

import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Neighbourhood
from budgets.ballots import Method
from ideas.models import Call, Category, Idea


class Rule(models.TextChoices):
    GREEDY = "greedy", _("Most votes first, skipping what no longer fits")
    GREEDY_NO_SKIP = "greedy-no-skip", _("Most votes first, stopping at the first that does not fit")
    MES = "mes", _("Method of Equal Shares")


class Completion(models.TextChoices):
    NONE = "none", _("None")
    ADD1 = "add1", _("Add1: raise every voter's share while the result fits")
    ADD1_EXHAUSTIVE = "add1-exhaustive", _("Add1, stopping once the envelope is exhausted")


class Budget(models.Model):
    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="budget")
    problem = models.CharField(_("problem statement"), max_length=300, blank=True,
                               help_text=_("The question put to citizens, e.g. what idea would improve your commune?"))
    envelope = models.DecimalField(_("envelope (€)"), max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(1)])
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.SET_NULL)
    location = models.CharField(_("location"), max_length=120, blank=True)
    cover_image = models.ImageField(_("cover image"), upload_to="budgets/covers/", blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    # Voting rules (budgets.ballots.VotingRules).
    method = models.CharField(_("voting method"), max_length=10, choices=Method.choices, default=Method.FAVOURITE)
    min_projects = models.PositiveSmallIntegerField(_("minimum number of projects"), default=1)
    max_projects = models.PositiveSmallIntegerField(_("maximum number of projects"), null=True, blank=True)
    min_share_spent = models.PositiveSmallIntegerField(
        _("minimum share of the envelope spent (%)"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("Basket: a ballot must spend at least this share of the envelope."))
    points = models.PositiveSmallIntegerField(_("points per voter"), default=10)
    max_points_per_project = models.PositiveSmallIntegerField(_("maximum points per project"), null=True, blank=True)
    # Who may vote.
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True,
                                               validators=[MaxValueValidator(120)])
    require_neighbourhood = models.BooleanField(_("voters must declare their neighbourhood"), default=False)
    require_verified_identity = models.BooleanField(
        _("secured vote: voters must have a verified identity"), default=False,
        help_text=_("Through an identity service of the commune (FranceConnect, itsme…) or checked at the counter."))
    # Counting (budgets.counting.count).
    rule = models.CharField(_("counting rule"), max_length=16, choices=Rule.choices, default=Rule.GREEDY)
    completion = models.CharField(_("Equal Shares completion"), max_length=16, choices=Completion.choices,
                                  default=Completion.ADD1)
    greedy_completion = models.BooleanField(_("then fill what is left by votes"), default=False)
    comparison = models.BooleanField(_("compare with the greedy result (Wieliczka)"), default=False)
    threshold = models.PositiveIntegerField(_("minimum votes to take part"), default=0)
    eligibility_ratio = models.PositiveSmallIntegerField(
        _("eligibility ratio"), null=True, blank=True,
        help_text=_("A project takes part only if its share of voters is at least its cost / (ratio × envelope)."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participatory budget")
        verbose_name_plural = _("participatory budgets")
        ordering = ["-created_at"]

    def __str__(self):
        return self.call.title

    @property
    def title(self):
        return self.call.title

    @property
    def slug(self):
        return self.call.slug


class District(models.Model):
    """An envelope for the projects of one neighbourhood, beside the commune-wide one."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="districts")
    neighbourhood = models.ForeignKey(Neighbourhood, verbose_name=_("neighbourhood"), on_delete=models.CASCADE)
    envelope = models.DecimalField(_("envelope (€)"), max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("district envelope")
        verbose_name_plural = _("district envelopes")
        constraints = [models.UniqueConstraint(fields=["budget", "neighbourhood"], name="budgets_one_district")]

    def __str__(self):
        return str(self.neighbourhood)


class Section(models.Model):
    """A teaching section of the budget's page, in one language."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="sections")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), max_length=10000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Attachment(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=160)
    file = models.FileField(_("PDF file"), upload_to="budgets/attachments/",
                            validators=[FileExtensionValidator(["pdf"])])

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.title


class BudgetEvent(models.Model):
    """The budget's audit trail: publication, steps closed early, counts, overrides."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("published the budget")
        PHASE_CLOSED = "phase_closed", _("closed a step early")
        FINALISTS = "finalists", _("selected the finalists")
        COUNTED = "counted", _("counted the votes")
        OVERRIDE = "override", _("changed the result")
        RESULTS_PUBLISHED = "results_published", _("published the results")
        PAPER_BALLOT = "paper_ballot", _("entered a paper ballot")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("public explanation"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("budget activity")
        verbose_name_plural = _("budget activity")
        ordering = ["-created_at", "-id"]


class BudgetFollow(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="follows")
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["budget", "follower"], name="budgets_one_follow")]


class Criterion(models.Model):
    """A line of the steering committee's grid (need, feasibility, number of people served…)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


SCORE_MAX = 5


class Score(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(SCORE_MAX)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "idea", "member"], name="budgets_one_score"),
            models.CheckConstraint(condition=Q(value__lte=SCORE_MAX), name="budgets_score_range"),
        ]


def new_receipt() -> str:
    """Ten characters without look-alikes (no 0/O, 1/I/L): easy to read out and type."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Ballot(models.Model):
    """One person's ballot. ``identity`` is what makes a person one voter across channels:
    their email address (online, or on paper when they have one) or, on paper only, their
    name and date of birth, stored as a keyed digest (budgets.services._digest) so that the
    table holds none of them. The database refuses a second ballot with the same identity
    or the same account, whatever the channel."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="ballots")
    identity = models.CharField(max_length=254)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    neighbourhood = models.ForeignKey(Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    receipt = models.CharField(_("receipt code"), max_length=12, unique=True, default=new_receipt)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["budget", "identity"], name="budgets_one_ballot_per_identity"),
            models.UniqueConstraint(fields=["budget", "voter"], condition=Q(voter__isnull=False),
                                    name="budgets_one_ballot_per_account"),
        ]

    def __str__(self):
        return self.receipt


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="ballot_choices")
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "idea"], name="budgets_one_choice_per_project"),
            models.CheckConstraint(condition=Q(points__gte=1), name="budgets_choice_points_positive"),
        ]


class Result(models.Model):
    """The counted result, kept as counted so the page shows what was published."""

    budget = models.OneToOneField(Budget, on_delete=models.CASCADE, related_name="result")
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rule = models.CharField(_("rule"), max_length=80)
    ballots = models.PositiveIntegerField(_("ballots"))
    paper_ballots = models.PositiveIntegerField(_("paper ballots"), default=0)
    # [{envelope, amount, selected: [idea ids], cost, projects: {id: {votes, cost, won, why, …}}}]
    envelopes = models.JSONField(default=list)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")


class Override(models.Model):
    """An agent's change to the counted result, public with its justification."""

    class Action(models.TextChoices):
        ADD = "add", _("Added to the winners")
        REMOVE = "remove", _("Removed from the winners")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="overrides")
    idea = models.ForeignKey(Idea, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("change"), max_length=8, choices=Action.choices)
    justification = models.TextField(_("public justification"), max_length=3000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("change to the result")
        verbose_name_plural = _("changes to the result")
        ordering = ["created_at", "id"]


class Milestone(models.Model):
    class Kind(models.TextChoices):
        STUDIES = "studies", _("Studies")
        PERMITS = "permits", _("Permits")
        WORKS = "works", _("Works")
        DONE = "done", _("Done")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=10, choices=Kind.choices)
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["idea", "planned_for", "id"]
        constraints = [models.UniqueConstraint(fields=["idea", "kind"], name="budgets_one_milestone_kind")]


def update_upload_to(instance, filename):
    return f"budgets/updates/{instance.idea_id}/{filename}"


class ProjectUpdate(models.Model):
    """News of a winning project being built, with a progress figure."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="project_updates")
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), max_length=5000)
    photo = models.ImageField(_("photo"), upload_to=update_upload_to, blank=True)
    photo_description = models.CharField(_("description of the photo"), max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        ordering = ["-published_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="budgets_progress_range")]
