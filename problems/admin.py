"""The agents' admin for problem reports: the list to triage (newest first), each report
with its photo, its point on the map and its timeline, and the status changed through the
workflow's service, never by saving the field."""

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, json_script
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from civic.admin_sites import AgentsOnly
from problems import services
from problems.models import Problem, ProblemCategory, ProblemEvent, Status
from problems.selectors import _follower_count
from problems.workflow import (COLOURS, MESSAGE_MAX, REASON_REQUIRED, TransitionError, allowed_targets,
                               check_transition)


def agents():
    return User.objects.filter(Q(groups__name=Role.AGENT.value) | Q(is_superuser=True), is_active=True).distinct()


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(AgentsOnly, admin.ModelAdmin):
    list_display = ["name", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name"]


class AssignedFilter(admin.SimpleListFilter):
    title = gettext_lazy("assigned agent")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("none", _("Nobody")), *[(str(user.pk), str(user)) for user in agents().order_by("email")]]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(assigned_to=self.value())
        return queryset


class ProblemAdminForm(forms.ModelForm):
    """The report's editable fields, plus the status change that goes through the service."""

    new_status = forms.ChoiceField(label=gettext_lazy("New status"), required=False)
    status_message = forms.CharField(
        label=gettext_lazy("Public message"), required=False, max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=gettext_lazy("The reporter and the followers read it, by email and on the report's page. "
                               "Required to reject."),
    )
    publish = forms.BooleanField(label=gettext_lazy("Publish it (checked: not spam, nothing abusive)"),
                                 required=False)

    class Meta:
        model = Problem
        fields = ["category", "neighbourhood", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        self.fields["new_status"].choices = [("", _("— keep “%(status)s” —") % {"status": Status(current).label})] + [
            (status, Status(status).label) for status in allowed_targets(current)]
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = agents().order_by("email")

    def clean(self):
        cleaned = super().clean()
        new_status, message = cleaned.get("new_status"), cleaned.get("status_message", "")
        if new_status:
            try:
                check_transition(from_status=self.instance.status, to_status=new_status, message=message)
            except TransitionError as error:
                needs_reason = new_status in REASON_REQUIRED and not message.strip()
                self.add_error("status_message" if needs_reason else "new_status", str(error))
        elif message.strip():
            self.add_error("new_status", _("Choose the new status this message goes with."))
        return cleaned


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("New status"), choices=Status.choices)
    message = forms.CharField(label=gettext_lazy("Public message"), required=False, max_length=MESSAGE_MAX,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("The reporters and followers read it. Required to reject."))


@admin.register(Problem)
class ProblemAdmin(AgentsOnly, admin.ModelAdmin):
    form = ProblemAdminForm
    list_display = ["reference", "created_at", "status_badge", "category", "address", "neighbourhood", "followers",
                    "assigned_to", "held_for_review"]
    list_display_links = ["reference", "created_at"]
    list_filter = ["status", "category", "neighbourhood", "held_for_review", AssignedFilter]
    list_select_related = ["category", "neighbourhood", "assigned_to"]
    search_fields = ["description", "address", "reporter__email"]
    search_help_text = gettext_lazy("Words of the description or the address, the reporter's email, or a reference.")
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["change_status", "publish_reviewed"]
    readonly_fields = ["reference", "status_badge", "created_at", "reporter_contact", "description_text", "address",
                       "photo_preview", "map_point", "review_reasons", "timeline"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["reference", "status_badge", "created_at", "reporter_contact"]}),
            (_("The problem"), {"fields": ["category", "description_text", "address", "neighbourhood",
                                           "photo_preview", "map_point"]}),
        ]
        if obj is not None and obj.held_for_review:
            fieldsets.append((_("Held for review"), {"fields": ["review_reasons", "publish"]}))
        fieldsets += [
            (_("Handling"), {"fields": ["assigned_to", "new_status", "status_message"]}),
            (_("Timeline"), {"fields": ["timeline"]}),
        ]
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(follower_count=_follower_count())

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name in ("category", "neighbourhood", "assigned_to"):  # choices only: no pencil, no "+"
            widget = form.base_fields[name].widget if name in form.base_fields else None
            for flag in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
                if widget is not None and hasattr(widget, flag):
                    setattr(widget, flag, False)
        return form

    @admin.display(description=gettext_lazy("reference"), ordering="id")
    def reference(self, obj):
        return obj.reference

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        pk = Problem.id_from_reference(search_term)
        if pk is not None:
            results = results | queryset.filter(pk=pk)
        return results, may_have_duplicates

    def has_add_permission(self, request):
        return False  # reports come from citizens

    def has_delete_permission(self, request, obj=None):
        return False  # a report is rejected with a reason, never deleted

    def save_model(self, request, obj, form, change):
        """No bare save: each change is the service's (reclassify, assign, publish, status)."""
        data = form.cleaned_data
        if {"category", "neighbourhood"} & set(form.changed_data):
            services.problem_reclassify(problem=obj, by=request.user, category=data["category"],
                                        neighbourhood=data.get("neighbourhood"))
        if "assigned_to" in form.changed_data:
            services.problem_assign(problem=obj, agent=data.get("assigned_to"), by=request.user)
        if data.get("publish"):
            services.problem_publish(problem=obj, by=request.user)
        if data.get("new_status"):
            try:
                services.problem_change_status(problem=obj, to=data["new_status"], message=data["status_message"],
                                               by=request.user)
            except TransitionError as error:  # someone else moved it meanwhile
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Report %(reference)s is now “%(status)s”; its reporter and followers "
                                             "are told.") % {"reference": obj.reference,
                                                             "status": Status(obj.status).label}, messages.SUCCESS)

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span style="color:{};font-weight:600">● {}</span>', COLOURS[obj.status],
                           obj.get_status_display())

    @admin.display(description=gettext_lazy("followers"), ordering="follower_count")
    def followers(self, obj):
        return obj.follower_count

    @admin.display(description=gettext_lazy("reported by"))
    def reporter_contact(self, obj):
        user = obj.reporter
        if user is None or not user.is_active:
            return _("an account since deleted")
        if user.display_name:
            return format_html('{} &lt;<a href="mailto:{}">{}</a>&gt;', user.display_name, user.email, user.email)
        return format_html('<a href="mailto:{}">{}</a>', user.email, user.email)

    @admin.display(description=gettext_lazy("description"))
    def description_text(self, obj):
        return format_html('<div style="white-space:pre-wrap;max-width:48rem">{}</div>', obj.description)

    @admin.display(description=gettext_lazy("photo"))
    def photo_preview(self, obj):
        if not obj.photo:
            return "—"
        return format_html('<a href="{}"><img src="{}" alt="{}" style="max-width:24rem;height:auto"></a>',
                           obj.photo.url, obj.photo.url, _("Photo sent with the report"))

    @admin.display(description=gettext_lazy("place on the map"))
    def map_point(self, obj):
        if not obj.has_place:
            return _("Not placed on the map.")
        lat, lon = float(obj.latitude), float(obj.longitude)
        point = [{"title": f"{obj.reference} — {obj.address}", "lat": lat, "lon": lon, "url": ""}]
        return format_html(
            '<div id="ideas-map" class="problem-admin-map" style="height:18rem;max-width:40rem" role="application" '
            'aria-label="{}" data-centre="{}" data-tiles="{}" data-attribution="{}"></div>{}'
            '<p><a href="https://www.openstreetmap.org/?mlat={}&amp;mlon={}#map=18/{}/{}" rel="noopener" '
            'target="_blank">{} {}, {}</a></p>',
            _("Map: where the problem is"), json.dumps({"lat": lat, "lon": lon, "zoom": 17}), settings.MAP_TILE_URL,
            settings.MAP_ATTRIBUTION, json_script(point, "ideas-map-data"), lat, lon, lat, lon,
            _("Open in OpenStreetMap:"), lat, lon)

    @admin.display(description=gettext_lazy("timeline"))
    def timeline(self, obj):
        events = obj.events.select_related("actor", "target_user").order_by("created_at", "id")
        rows = []
        for event in events:
            if event.kind == ProblemEvent.Kind.STATUS:
                what = _("from “%(from)s” to “%(to)s”") % {"from": event.get_from_status_display(),
                                                          "to": event.get_to_status_display()}
            elif event.kind == ProblemEvent.Kind.ASSIGNED:
                what = _("assigned to %(agent)s") % {"agent": event.target_user or _("nobody")}
            else:
                what = event.get_kind_display()
            rows.append((date_format(timezone.localtime(event.created_at), "SHORT_DATETIME_FORMAT"),
                         event.actor or "—", what, event.message or ""))
        return format_html('<ol class="problem-admin-timeline">{}</ol>', format_html_join(
            "", '<li><strong>{}</strong> · {} · {}<div style="white-space:pre-wrap">{}</div></li>', rows))

    def _selected(self, request, queryset):
        return {"problems": queryset.select_related("category"),
                "ids": [str(pk) for pk in queryset.values_list("pk", flat=True)],
                "action_checkbox_name": ACTION_CHECKBOX_NAME, "opts": self.model._meta,
                **self.admin_site.each_context(request)}

    @admin.action(description=gettext_lazy("Change the status"), permissions=["change"])
    def change_status(self, request, queryset):
        form = StatusChangeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            moved = 0
            for problem in queryset.order_by("pk"):
                try:
                    services.problem_change_status(problem=problem, to=form.cleaned_data["to_status"],
                                                   message=form.cleaned_data["message"], by=request.user)
                except TransitionError as error:
                    self.message_user(request, _("%(reference)s was not moved: %(reason)s") % {
                        "reference": problem.reference, "reason": error}, messages.WARNING)
                else:
                    moved += 1
            if moved:
                self.message_user(request, _("%(count)s report(s) moved to “%(status)s”.") % {
                    "count": moved, "status": Status(form.cleaned_data["to_status"]).label}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/problems/change_status.html", {
            **self._selected(request, queryset), "form": form, "title": _("Change the status of reports"),
            "action": "change_status"})

    @admin.action(description=gettext_lazy("Publish the reports held for review"), permissions=["change"])
    def publish_reviewed(self, request, queryset):
        published = sum(services.problem_publish(problem=problem, by=request.user) is not None
                        for problem in queryset.filter(held_for_review=True))
        self.message_user(request, _("%(count)s report(s) published.") % {"count": published}, messages.SUCCESS)


@admin.register(ProblemEvent)
class ProblemEventAdmin(AgentsOnly, admin.ModelAdmin):
    """The log of every step of every report: read-only."""

    list_display = ["created_at", "problem", "kind", "from_status", "to_status", "actor", "message"]
    list_filter = ["kind", "to_status"]
    list_select_related = ["problem", "actor"]
    search_fields = ["message", "actor__email"]
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
