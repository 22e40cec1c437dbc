"""Calls for ideas and the ideas citizens propose to them.

One machinery for every place ideas are collected: the commune's permanent idea box,
a time-boxed call for ideas, and the submission step of a participatory budget (which
owns a Call of kind BUDGET). Phases are rows with dates; what is allowed now is computed
from them (ideas.rules)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Neighbourhood

# French typography: a non-breaking space before "?" keeps it on the question's line.
DEFAULT_QUESTIONS = [
    "En quoi consiste le projet\u00a0?",
    "Quels seront les bénéfices\u00a0?",
    "À qui va profiter ce projet\u00a0?",
]


def default_questions():
    return list(DEFAULT_QUESTIONS)


class Category(models.Model):
    """A theme of the commune (mobility, environment…), shared by its calls."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Call(models.Model):
    class Kind(models.TextChoices):
        IDEA_BOX = "idea_box", _("Permanent idea box")
        CALL = "call", _("Call for ideas")
        BUDGET = "budget", _("Participatory budget")

    class VoteMode(models.TextChoices):
        NONE = "none", _("No votes")
        SUPPORT = "support", _("Support only")
        FOR_AGAINST = "for_against", _("For or against")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CALL)
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    questions = models.JSONField(
        _("guided questions"), default=default_questions,
        help_text=_("The questions a citizen answers to describe an idea, in order."),
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True,
        help_text=_("Leave empty to offer all the commune's categories."),
    )
    vote_mode = models.CharField(_("votes"), max_length=12, choices=VoteMode.choices, default=VoteMode.SUPPORT)
    allow_map = models.BooleanField(_("ideas may be placed on a map"), default=True)
    allow_cost = models.BooleanField(_("ideas may carry an estimated cost"), default=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call for ideas")
        verbose_name_plural = _("calls for ideas")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Phase(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission of ideas")
        CO_CONSTRUCTION = "co_construction", _("Co-construction")
        ANALYSIS = "analysis", _("Feasibility analysis")
        PRIORITISATION = "prioritisation", _("Prioritisation")
        VOTE = "vote", _("Vote")
        RESULTS = "results", _("Results and implementation")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, help_text=_("Empty: no end."))
    description = models.TextField(_("description"), blank=True)
    closed_early_at = models.DateTimeField(_("closed early at"), null=True, blank=True)
    # Set once, when followers were told the step opened (budgets.tasks.announce_phases).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="ideas_phase_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.call} · {self.get_kind_display()}"

    @property
    def end(self):
        return self.closed_early_at or self.ends_at

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        end = self.end
        return self.starts_at <= at and (end is None or at < end)

    def state(self, at=None) -> str:
        """"current", "upcoming" or "finished", as the timeline shows it."""
        at = at or timezone.now()
        if at < self.starts_at:
            return "upcoming"
        return "current" if self.is_open(at) else "finished"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_ANALYSIS = "under_analysis", _("Under analysis")
    ADMISSIBLE = "admissible", _("Admissible")
    NOT_ADMISSIBLE = "not_admissible", _("Not admissible")
    FINALIST = "finalist", _("Finalist")
    SELECTED = "selected", _("Selected")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    MERGED = "merged", _("Merged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Idea(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="ideas",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by (agent)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Set when an agent recorded the idea for a citizen (phone, paper)."),
    )
    on_behalf_of = models.CharField(_("on behalf of"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=140)
    answers = models.JSONField(_("answers"), default=list, help_text=_("[{question, answer}] in the call's order."))
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL)
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), null=True, blank=True, on_delete=models.SET_NULL
    )
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    estimated_cost = models.DecimalField(_("estimated cost (€)"), max_digits=12, decimal_places=2,
                                         null=True, blank=True, validators=[MinValueValidator(0)])
    attachment = models.FileField(_("PDF attachment"), upload_to="ideas/attachments/", blank=True,
                                  validators=[FileExtensionValidator(["pdf"])])
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="merged_ideas")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible agent"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="ideas_responsible",
    )
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    moderation_note = models.CharField(_("moderation note"), max_length=1000, blank=True,
                                       help_text=_("Shown publicly while the idea is hidden."))
    # Kept by the services, read by lists and sorts without counting rows.
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    against_count = models.PositiveIntegerField(_("against"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-published_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="ideas_idea_search"),
            GinIndex(name="ideas_idea_title_trgm", fields=["title"], opclasses=["extensions.gin_trgm_ops"]),
            models.Index(fields=["call", "status", "-published_at"], name="ideas_idea_call_status"),
            models.Index(fields=["call", "-support_count"], name="ideas_idea_call_support"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != Status.DRAFT and not self.is_hidden

    @property
    def status_colour(self) -> str:
        from ideas.workflow import COLOURS

        return COLOURS[self.status]

    @property
    def score(self) -> int:
        return self.support_count - self.against_count


def image_upload_to(instance, filename):
    return f"ideas/{instance.idea_id}/{filename}"


class IdeaImage(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=image_upload_to)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=image_upload_to, blank=True)
    description = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "id"]


class IdeaEvent(models.Model):
    """The activity log of an idea: who did what, when. A status change is one of these
    rows and the source of the notifications it causes."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted the idea")
        EDITED = "edited", _("edited the idea")
        STATUS = "status", _("changed the status")
        ANALYST_ADDED = "analyst_added", _("added an analyst")
        ANALYSIS_SUBMITTED = "analysis_submitted", _("submitted an analysis")
        RESPONSIBLE_SET = "responsible_set", _("set the responsible agent")
        MERGED = "merged", _("merged an idea into this one")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)
    public_message = models.TextField(_("public explanation"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    is_public = models.BooleanField(_("shown on the idea's page"), default=True)
    target_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity")
        ordering = ["-created_at", "-id"]


class Analysis(models.Model):
    class Feasibility(models.TextChoices):
        FEASIBLE = "feasible", _("Feasible")
        WITH_CHANGES = "with_changes", _("Feasible with changes")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")

    class Recommendation(models.TextChoices):
        ADMISSIBLE = "admissible", _("Admissible")
        NOT_ADMISSIBLE = "not_admissible", _("Not admissible")
        MORE_INFORMATION = "more_information", _("More information needed")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="analyses")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("analyst"), on_delete=models.CASCADE,
                                related_name="analyses")
    feasibility = models.CharField(_("feasibility"), max_length=14, choices=Feasibility.choices, blank=True)
    estimated_cost = models.DecimalField(_("estimated cost (€)"), max_digits=12, decimal_places=2, null=True,
                                         blank=True, validators=[MinValueValidator(0)])
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=Recommendation.choices,
                                      blank=True)
    comment = models.TextField(_("comment"), blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        constraints = [models.UniqueConstraint(fields=["idea", "analyst"], name="ideas_one_analysis_per_analyst")]


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="idea_comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("comment"), max_length=2000)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    moderation_note = models.CharField(_("moderation note"), max_length=1000, blank=True,
                                       help_text=_("Shown publicly while the comment is hidden."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes")
    value = models.SmallIntegerField(choices=[(1, _("For")), (-1, _("Against"))])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["idea", "voter"], name="ideas_one_vote_per_person")]


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "follower"], name="ideas_one_follow_per_person")]


class AnswerTemplate(models.Model):
    """Ready answers agents start from (the ethics charter: answer everyone, say why): when
    they change the status of ideas or reports, decide on reported content, or reply to a
    private message."""

    class Use(models.TextChoices):
        STATUS = "status", _("Status of an idea or a problem report")
        MODERATION = "moderation", _("Moderation decision")
        MESSAGE = "message", _("Private message")

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("explanation"))
    use = models.CharField(_("used for"), max_length=12, choices=Use.choices, default=Use.STATUS)
    for_status = models.CharField(_("for the status"), max_length=16, choices=Status.choices, blank=True)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["title"]

    def __str__(self):
        return self.title
