"""The agents' admin for news: items with a preview, publication now or scheduled, pinning,
categories, and the editorial calendar of every module (news.editorial)."""

from datetime import date, datetime, time

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civic.admin_sites import AgentsOnly
from ideas.rules import can_triage
from news import editorial, services
from news.forms import ArticleAdminForm
from news.models import STATE_LABELS, Article, ArticleEvent, NewsCategory


@admin.register(NewsCategory)
class NewsCategoryAdmin(AgentsOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ArticleEventInline(AgentsOnly, admin.TabularInline):
    model = ArticleEvent
    extra = 0
    fields = ["created_at", "actor", "kind", "from_status", "to_status", "publish_at", "note"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = gettext_lazy("Activity")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


@admin.register(Article)
class ArticleAdmin(AgentsOnly, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "kind", "state_badge", "publish_at", "starts_at", "is_pinned", "preview_link"]
    list_filter = ["status", "kind", "is_pinned", "categories"]
    search_fields = ["title", "summary"]
    ordering = ["-publish_at", "-id"]
    inlines = [ArticleEventInline]
    actions = ["publish_selected", "unpublish_selected", "pin_selected", "unpin_selected"]
    view_on_site = False
    filter_horizontal = ["categories"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "body", "categories"]}),
        (gettext_lazy("Publication"), {
            "fields": ["publish_at"],
            "description": gettext_lazy("A draft is never shown. Once published, the item appears at this date "
                                        "and time: in the future, it waits until then (pages and feeds)."),
        }),
        (gettext_lazy("Cover image"), {"fields": ["cover", "cover_alt"]}),
        (gettext_lazy("Event"), {"fields": ["starts_at", "ends_at", "place"],
                                 "description": gettext_lazy("Only for events.")}),
        (gettext_lazy("Where to take part"), {"fields": ["related_call", "related_survey"],
                                              "description": gettext_lazy("Optional: a link shown under the text.")}),
    ]

    class Media:
        js = ["news/editor.js"]

    def get_inlines(self, request, obj):
        # The activity starts with the item: nothing to show on the add page.
        return self.inlines if obj is not None else []

    @admin.display(description=gettext_lazy("state"), ordering="status")
    def state_badge(self, article):
        state = article.state()
        if state == "scheduled":
            return format_html('<span data-state="scheduled">◷ {}</span>',
                               _("Scheduled for %(date)s") % {"date": _when(article.publish_at)})
        marks = {"draft": "○", "published": "●"}
        return format_html('<span data-state="{}">{} {}</span>', state, marks[state], STATE_LABELS[state])

    @admin.display(description=gettext_lazy("preview"))
    def preview_link(self, article):
        return format_html('<a href="{}">{}</a>', reverse("admin:news_article_preview", args=[article.pk]),
                           _("Preview"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("calendrier/", view(self.calendar_view), name="news_article_calendar"),
            path("<int:pk>/apercu/", view(self.preview_view), name="news_article_preview"),
            *super().get_urls(),
        ]

    # --- Writes, all through news.services ---------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = {name: getattr(obj, name) for name in form.changed_data if name in services.EDITABLE_FIELDS}
            article = services.article_update(
                article=obj, actor=request.user, **fields,
                categories=data.get("categories") if "categories" in form.changed_data else None)
        else:
            fields = {name: data.get(name) for name in services.EDITABLE_FIELDS if name != "cover"}
            fields = {name: value for name, value in fields.items() if value is not None}
            article = services.article_create(actor=request.user, cover=data.get("cover") or None,
                                              categories=data.get("categories") or (), **fields)
            # The admin goes on with ``obj`` (log entry, redirect): make it the created row.
            obj.pk, obj.slug, obj.status = article.pk, article.slug, article.status
            obj._state.adding = False
            obj._state.db = article._state.db
        if "_publish" in request.POST:
            self._publish(request, article)
        elif "_unpublish" in request.POST:
            services.article_unpublish(article=article, actor=request.user)
            messages.info(request, _("“%(title)s” is a draft again: the public no longer sees it.")
                          % {"title": article.title})
        obj.status = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()

    def save_related(self, request, form, formsets, change):
        # The categories were set by the service; the activity inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.article_delete(article=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article, actor=request.user)

    def _publish(self, request, article) -> bool:
        try:
            article = services.article_publish(article=article, actor=request.user)
        except services.NewsError as error:
            messages.error(request, error.message)
            return False
        if article.state() == "scheduled":
            messages.success(request, _("“%(title)s” is scheduled: the public sees it from %(date)s.")
                             % {"title": article.title, "date": _when(article.publish_at)})
        else:
            messages.success(request, _("“%(title)s” is published.") % {"title": article.title})
        return True

    @admin.action(description=gettext_lazy("Publish the selected items (at their date if still to come)"))
    def publish_selected(self, request, queryset):
        for article in queryset:
            self._publish(request, article)

    @admin.action(description=gettext_lazy("Move the selected items back to draft"))
    def unpublish_selected(self, request, queryset):
        count = 0
        for article in queryset:
            if article.status == Article.Status.PUBLISHED:
                services.article_unpublish(article=article, actor=request.user)
                count += 1
        messages.info(request, ngettext("%(count)d item moved back to draft.", "%(count)d items moved back to draft.",
                                        count) % {"count": count})

    @admin.action(description=gettext_lazy("Pin the selected items"))
    def pin_selected(self, request, queryset):
        for article in queryset:
            services.article_set_pinned(article=article, actor=request.user, pinned=True)

    @admin.action(description=gettext_lazy("Unpin the selected items"))
    def unpin_selected(self, request, queryset):
        for article in queryset:
            services.article_set_pinned(article=article, actor=request.user, pinned=False)

    def get_changeform_initial_data(self, request):
        """From the calendar: ``?jour=2026-11-05`` plans the item on that day, 9 o'clock;
        ``&type=event`` makes it an event."""
        initial = super().get_changeform_initial_data(request)
        initial.pop("jour", None)
        initial.pop("type", None)
        try:
            day = date.fromisoformat(request.GET.get("jour", ""))
        except ValueError:
            day = None
        if day is not None:
            initial["publish_at"] = timezone.make_aware(datetime.combine(day, time(9)))
        if request.GET.get("type") == Article.Kind.EVENT:
            initial["kind"] = Article.Kind.EVENT
        return initial

    # --- Pages ----------------------------------------------------------------------------------

    def preview_view(self, request, pk):
        """The public page of an item as it will look, drafts and scheduled ones included."""
        if not can_triage(request.user):
            raise Http404
        article = get_object_or_404(Article.objects.select_related("related_call", "related_survey")
                                    .prefetch_related("categories"), pk=pk)
        return TemplateResponse(request, "news/article_detail.html", {
            "article": article, "preview": True, "more": [],
            "state_label": STATE_LABELS[article.state()],
        })

    def calendar_view(self, request):
        if not can_triage(request.user):
            raise Http404
        first = editorial.parse_month(request.GET.get("mois"))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Editorial calendar"),
            **editorial.month_calendar(first),
        }
        return TemplateResponse(request, "admin/news/calendar.html", context)
