"""Projects ("Projets"): thematic spaces of the commune ("Mobilité douce", "Centre-ville
2030") that gather the consultations and news about one subject on one page.

A space only points at things other modules own (calls for ideas and participatory budgets,
surveys, news items): each keeps its own visibility rules, and a space never shows a draft,
an unpublished or a hidden item (spaces.selectors). Every relation lives here, so only this
app has migrations. The description is rich text sanitised on every write (civic.richtext).
A space holds nothing about a person: there is no ``privacy`` module."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

DESCRIPTION_MAX = 20_000


def cover_upload_to(instance, filename):
    return f"spaces/covers/{filename}"


class Space(models.Model):
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True,
                            help_text=_("The end of the project's address. Leave empty to make it from the title."))
    summary = models.TextField(_("summary"), max_length=300, blank=True,
                               help_text=_("One or two sentences, shown in the list of projects."))
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    cover = models.ImageField(_("cover image"), upload_to=cover_upload_to, blank=True,
                              width_field="cover_width", height_field="cover_height")
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(_("description of the cover image"), max_length=200, blank=True,
                                 help_text=_("What the image shows, for people who cannot see it."))
    is_published = models.BooleanField(_("published"), default=False,
                                       help_text=_("Only published projects are shown to the public."))
    position = models.PositiveSmallIntegerField(_("position"), default=0,
                                                help_text=_("Projects are listed by position, then by title."))
    calls = models.ManyToManyField("ideas.Call", verbose_name=_("calls for ideas and participatory budgets"),
                                   blank=True, related_name="spaces")
    surveys = models.ManyToManyField("surveys.Survey", verbose_name=_("surveys"), blank=True, related_name="spaces")
    articles = models.ManyToManyField("news.Article", verbose_name=_("news"), blank=True, related_name="spaces")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["position", "title", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("spaces:detail", args=[self.slug])
