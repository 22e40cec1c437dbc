"""News of the commune ("actus"): articles and events, in categories of the commune.

An item is a draft or published. Its publication date-time says when the public sees it:
a published item dated in the future is scheduled and stays invisible (pages and feeds)
until then; on a draft it is the date planned in the editorial calendar. The body is
rich text sanitised on every write (civic.richtext). Every transition and edit writes an
``ArticleEvent`` row: the item's activity log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BODY_MAX = 50_000


class NewsCategory(models.Model):
    """A theme of the commune's news (participation, mobility, works…)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True,
                            help_text=_("Used in the address of the filtered list."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


def cover_upload_to(instance, filename):
    return f"news/covers/{filename}"


class Article(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        EVENT = "event", _("Event")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True,
                            help_text=_("The end of the article's address. Leave empty to make it from the title."))
    summary = models.TextField(_("summary"), max_length=400, blank=True,
                               help_text=_("One or two sentences, shown in lists, feeds and shares."))
    body = models.TextField(_("text"), max_length=BODY_MAX, blank=True)
    cover = models.ImageField(_("cover image"), upload_to=cover_upload_to, blank=True,
                              width_field="cover_width", height_field="cover_height")
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(_("description of the cover image"), max_length=200, blank=True,
                                 help_text=_("What the image shows, for people who cannot see it."))
    categories = models.ManyToManyField(NewsCategory, verbose_name=_("categories"), blank=True,
                                        related_name="articles")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("publication date"), null=True, blank=True,
        help_text=_("Planned date of a draft; once published, the public sees the item from this moment on."))
    is_pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Pinned items come first in the list."))
    # Events.
    starts_at = models.DateTimeField(_("event starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("event ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # Where to take part, when the item is about a consultation.
    related_call = models.ForeignKey("ideas.Call", verbose_name=_("related call for ideas or budget"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="news")
    related_survey = models.ForeignKey("surveys.Survey", verbose_name=_("related survey"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="news")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="news_articles")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-is_pinned", "-publish_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="news_article_public"),
            models.Index(fields=["kind", "starts_at"], name="news_article_events"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind="article") | Q(starts_at__isnull=False),
                                   name="news_event_has_start",
                                   violation_error_message=_("An event needs a start date.")),
            models.CheckConstraint(condition=Q(ends_at__isnull=True)
                                   | Q(starts_at__isnull=False, ends_at__gte=models.F("starts_at")),
                                   name="news_event_ends_after_start",
                                   violation_error_message=_("The event cannot end before it starts.")),
            models.CheckConstraint(condition=Q(status="draft") | Q(publish_at__isnull=False),
                                   name="news_published_has_date",
                                   violation_error_message=_("A published item needs a publication date.")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", args=[self.slug])

    @property
    def is_event(self) -> bool:
        return self.kind == self.Kind.EVENT

    def is_public(self, at=None) -> bool:
        at = at or timezone.now()
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at <= at

    def state(self, at=None) -> str:
        """"draft", "scheduled" or "published", as agents see it."""
        if self.status == self.Status.DRAFT:
            return "draft"
        return "published" if self.is_public(at) else "scheduled"


STATE_LABELS = {"draft": _("Draft"), "scheduled": _("Scheduled"), "published": _("Published")}


class ArticleEvent(models.Model):
    """The activity log of a news item: who did what, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created the item")
        EDITED = "edited", _("edited the item")
        PUBLISHED = "published", _("published the item")
        UNPUBLISHED = "unpublished", _("moved the item back to draft")
        PINNED = "pinned", _("pinned the item")
        UNPINNED = "unpinned", _("unpinned the item")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=10, choices=Article.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Article.Status.choices, blank=True)
    publish_at = models.DateTimeField(_("publication date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity")
        ordering = ["-created_at", "-id"]
