"""The agents' admin for projects: the list, the relations to calls, surveys and news, and
a preview of the public page (unpublished projects included)."""

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.admin_sites import AgentsOnly
from ideas.rules import can_triage
from spaces import selectors, services
from spaces.forms import SpaceAdminForm
from spaces.models import Space

RELATIONS = ("calls", "surveys", "articles")


@admin.register(Space)
class SpaceAdmin(AgentsOnly, admin.ModelAdmin):
    form = SpaceAdminForm
    list_display = ["title", "is_published", "position", "created_at", "preview_link"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary"]
    ordering = ["position", "title"]
    filter_horizontal = list(RELATIONS)
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "is_published", "position"]}),
        (gettext_lazy("Cover image"), {"fields": ["cover", "cover_alt"]}),
        (gettext_lazy("What belongs to the project"), {
            "fields": list(RELATIONS),
            "description": gettext_lazy("The public page shows only what is public elsewhere: published calls and "
                                        "surveys, published news; drafts and hidden items stay out."),
        }),
    ]

    @admin.display(description=gettext_lazy("preview"))
    def preview_link(self, space):
        return format_html('<a href="{}">{}</a>', reverse("admin:spaces_space_preview", args=[space.pk]),
                           _("Preview"))

    def get_urls(self):
        return [
            path("<int:pk>/apercu/", self.admin_site.admin_view(self.preview_view), name="spaces_space_preview"),
            *super().get_urls(),
        ]

    # --- Writes, all through spaces.services --------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        relations = {name: data.get(name) for name in RELATIONS if not change or name in form.changed_data}
        if change:
            fields = {name: getattr(obj, name) for name in form.changed_data if name in services.EDITABLE_FIELDS}
            services.space_update(space=obj, actor=request.user, **fields, **relations)
        else:
            fields = {name: data.get(name) for name in services.EDITABLE_FIELDS if name != "cover"}
            fields = {name: value for name, value in fields.items() if value is not None}
            space = services.space_create(actor=request.user, cover=data.get("cover") or None, **fields,
                                          **{name: value or () for name, value in relations.items()})
            # The admin goes on with ``obj`` (log entry, redirect): make it the created row.
            obj.pk, obj.slug = space.pk, space.slug
            obj._state.adding = False
            obj._state.db = space._state.db

    def save_related(self, request, form, formsets, change):
        # The relations were set by the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.space_delete(space=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for space in queryset:
            services.space_delete(space=space, actor=request.user)

    # --- Pages ----------------------------------------------------------------------------------

    def preview_view(self, request, pk):
        """The public page of a project as it will look, unpublished ones included."""
        if not can_triage(request.user):
            raise Http404
        space = Space.objects.filter(pk=pk).first()
        if space is None:
            raise Http404
        return TemplateResponse(request, "spaces/space_detail.html", {
            "space": space, **selectors.space_items(space), "preview": True,
        })
