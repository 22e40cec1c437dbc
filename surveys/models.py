"""Surveys, quick polls and quizzes.

A survey has sections of questions; each question has a type (choices, yes/no, text,
number, scale, ranking, matrix) and may be shown only for some answers of an earlier
question. A response holds one answer row per choice, matrix row or ranked item, so the
results are counted in SQL. Anonymous surveys keep who answered (``Participation``, for
the one-answer rule) apart from what they answered (``Response`` has no link to a person)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    class Kind(models.TextChoices):
        SURVEY = "survey", _("Survey")
        POLL = "poll", _("Quick poll")
        QUIZ = "quiz", _("Quiz")

    class Audience(models.TextChoices):
        ANYONE = "anyone", _("Anyone")
        LOGGED_IN = "logged_in", _("Logged-in people")
        VERIFIED = "verified", _("People with a confirmed email address")
        IDENTITY = "identity", _("People whose identity is verified (secured survey)")

    class ResultsVisibility(models.TextChoices):
        NEVER = "never", _("Never")
        AFTER_ANSWERING = "after_answering", _("After answering")
        AFTER_CLOSING = "after_closing", _("After the survey closes")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SURVEY)
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    introduction = models.TextField(_("introduction"), blank=True, max_length=5000)
    starts_at = models.DateTimeField(_("opens at"), default=timezone.now)
    ends_at = models.DateTimeField(_("closes at"), null=True, blank=True, help_text=_("Empty: no end."))
    audience = models.CharField(_("who may answer"), max_length=10, choices=Audience.choices,
                                default=Audience.VERIFIED)
    is_anonymous = models.BooleanField(
        _("anonymous answers"), default=True,
        help_text=_("No link is kept between a person and their answers (not even for agents)."))
    one_answer_per_person = models.BooleanField(_("one answer per person"), default=True)
    editable_until_close = models.BooleanField(
        _("answers may be changed until the survey closes"), default=False,
        help_text=_("Only for identified surveys: an anonymous answer cannot be found again."))
    results_visibility = models.CharField(_("citizens see the results"), max_length=16,
                                          choices=ResultsVisibility.choices,
                                          default=ResultsVisibility.AFTER_ANSWERING)
    show_on_home = models.BooleanField(_("shown on the home page"), default=False,
                                       help_text=_("Quick polls: one question answered in one tap on the home page."))
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                                   name="surveys_survey_ends_after_start"),
            models.CheckConstraint(condition=Q(is_anonymous=False) | Q(editable_until_close=False),
                                   name="surveys_anonymous_not_editable"),
        ]

    def __str__(self):
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.is_published and self.starts_at <= at and (self.ends_at is None or at < self.ends_at)

    def has_closed(self, at=None) -> bool:
        at = at or timezone.now()
        return self.ends_at is not None and self.ends_at <= at


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        YES_NO = "yes_no", _("Yes or no")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        SCALE = "scale", _("Scale")
        RANKING = "ranking", _("Ranking")
        MATRIX = "matrix", _("Matrix (rows × a scale)")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Multiple choice: how many may be chosen. Single or multiple: an "other" with a text.
    min_choices = models.PositiveSmallIntegerField(_("minimum choices"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("maximum choices"), null=True, blank=True)
    allow_other = models.BooleanField(_("offer “other” with a text"), default=False)
    # Scale and matrix: from scale_min to scale_max with labels at both ends.
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5, validators=[MaxValueValidator(10)])
    scale_min_label = models.CharField(_("label of the lowest value"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("label of the highest value"), max_length=60, blank=True)
    # Number: the range accepted.
    number_min = models.DecimalField(_("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(_("largest number"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Shown only when an earlier question was answered with one of these choices.
    condition_question = models.ForeignKey("self", verbose_name=_("shown only if the question"), null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="dependants")
    condition_choices = models.ManyToManyField("Choice", verbose_name=_("was answered with"), blank=True,
                                               related_name="+")
    # Quizzes: shown after answering.
    explanation = models.TextField(_("explanation (quiz)"), blank=True, max_length=2000)
    public_answers = models.BooleanField(
        _("show the answers on the results page"), default=False,
        help_text=_("Text questions only. Citizens can report an answer; the moderators may hide it."))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__position", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="surveys_scale_range"),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.public_answers and self.kind not in (self.Kind.SHORT_TEXT, self.Kind.LONG_TEXT):
            raise ValidationError({"public_answers": _("Only the answers to text questions can be shown.")})

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE, self.Kind.RANKING)

    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("choice"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_correct = models.BooleanField(_("correct answer (quiz)"), default=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.question_id and self.question.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE,
                                                            Question.Kind.RANKING):
            raise ValidationError(_("Only choice and ranking questions have choices."))


class MatrixRow(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rows")
    label = models.CharField(_("row"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("matrix row")
        verbose_name_plural = _("matrix rows")
        ordering = ["position", "id"]

    def __str__(self):
        return self.label


class Participation(models.Model):
    """That a person answered (for the one-answer rule and mailings), never what."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="surveys_one_participation")]


class Response(models.Model):
    """One set of answers. ``respondent`` only for identified surveys; the profile fields are
    copied at answering time for the agents' cross-tabs."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="survey_responses")
    age_bracket = models.CharField(max_length=10, blank=True)
    gender = models.CharField(max_length=12, blank=True)
    neighbourhood = models.ForeignKey("accounts.Neighbourhood", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")


class Answer(models.Model):
    """One row per chosen choice, matrix row, ranked item, or the single value of a question."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    row = models.ForeignKey(MatrixRow, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True, max_length=5000)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    # Answers shown publicly (Question.public_answers) are moderated like comments.
    is_hidden = models.BooleanField(_("hidden by the moderation"), default=False)
    moderation_note = models.CharField(_("moderation note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [
            models.Index(fields=["question", "choice"], name="surveys_answer_question_choice"),
            # Counting distinct respondents per question without reading the table.
            models.Index(fields=["question", "response"], name="surveys_answer_question_resp"),
        ]

    @property
    def body(self) -> str:
        return self.text

    @property
    def author(self):
        """The person who wrote it, for identified surveys only (anonymous: nobody to tell)."""
        return self.response.respondent


class Invitation(models.Model):
    """A person invited by email to answer: one row per survey and person, so a survey is
    never sent twice to anyone, whatever is clicked or retried."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="surveys_one_invitation")]
