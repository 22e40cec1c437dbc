"""The agents' admin for ideas: triage, bulk status changes, analysts, activity, export."""

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from civic.text import spreadsheet_safe
from ideas import services
from ideas.models import Analysis, AnswerTemplate, Call, Category, Idea, IdeaEvent, Phase, Status
from ideas.workflow import COLOURS


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ["kind", "starts_at", "ends_at", "description"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "vote_mode", "is_published", "created_at"]
    list_filter = ["kind", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories"]
    inlines = [PhaseInline]
    search_fields = ["title"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "use", "for_status"]
    list_filter = ["use", "for_status"]
    search_fields = ["title", "body"]


class AnalysedFilter(admin.SimpleListFilter):
    title = gettext_lazy("analysed")
    parameter_name = "analysed"

    def lookups(self, request, model_admin):
        return [("yes", _("At least one analysis submitted")), ("no", _("No analysis submitted"))]

    def queryset(self, request, queryset):
        submitted = Exists(Analysis.objects.filter(idea=OuterRef("pk"), submitted_at__isnull=False))
        if self.value() == "yes":
            return queryset.filter(submitted)
        if self.value() == "no":
            return queryset.exclude(submitted)
        return queryset


class StaffFilter(admin.SimpleListFilter):
    """Filter by a member of staff (the responsible agent or an analyst)."""

    role = Role.AGENT
    lookup = "responsible"

    def lookups(self, request, model_admin):
        staff = User.objects.filter(groups__name=self.role.value).order_by("email")
        return [(str(user.pk), str(user)) for user in staff]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.lookup: self.value()}).distinct()
        return queryset


class ResponsibleFilter(StaffFilter):
    title = gettext_lazy("responsible agent")
    parameter_name = "responsible"


class AnalystFilter(StaffFilter):
    title = gettext_lazy("analyst")
    parameter_name = "analyst"
    role = Role.ANALYST
    lookup = "analyses__analyst"


class AnalysisInline(admin.TabularInline):
    model = Analysis
    extra = 0
    fields = ["analyst", "feasibility", "estimated_cost", "recommendation", "comment", "submitted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = IdeaEvent
    extra = 0
    fields = ["created_at", "actor", "kind", "from_status", "to_status", "public_message", "internal_note",
              "target_user"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = gettext_lazy("Activity")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("New status"))
    template = forms.ModelChoiceField(label=gettext_lazy("Answer template"), required=False,
                                      queryset=AnswerTemplate.objects.filter(use=AnswerTemplate.Use.STATUS),
                                      help_text=gettext_lazy("Used when the explanation below is left empty."))
    public_message = forms.CharField(label=gettext_lazy("Public explanation"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    internal_note = forms.CharField(label=gettext_lazy("Internal note (agents only)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    notify = forms.BooleanField(label=gettext_lazy("Tell the authors and followers by email"), required=False,
                                initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [c for c in Status.choices if c[0] not in (Status.DRAFT, Status.WITHDRAWN,
                                                                                     Status.MERGED)]

    def message(self) -> str:
        message = self.cleaned_data["public_message"].strip()
        if not message and self.cleaned_data.get("template"):
            message = self.cleaned_data["template"].body
        return message


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=gettext_lazy("Idea kept"), queryset=Idea.objects.none())
    public_message = forms.CharField(label=gettext_lazy("Public explanation"), widget=forms.Textarea(attrs={"rows": 4}),
                                     max_length=5000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates


class AssignForm(forms.Form):
    analysts = forms.ModelMultipleChoiceField(label=gettext_lazy("Analysts"), required=False, queryset=None,
                                              widget=forms.CheckboxSelectMultiple)
    responsible = forms.ModelChoiceField(label=gettext_lazy("Responsible agent"), required=False, queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analysts"].queryset = User.objects.filter(groups__name=Role.ANALYST.value).order_by("email")
        self.fields["responsible"].queryset = User.objects.filter(groups__name=Role.AGENT.value).order_by("email")


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "status_badge", "category", "neighbourhood", "comment_count", "support_count",
                    "published_at", "responsible"]
    list_display_links = ["id", "title"]
    list_filter = ["status", "category", "neighbourhood", "call", ResponsibleFilter, AnalystFilter, AnalysedFilter]
    list_select_related = ["category", "neighbourhood", "responsible"]
    search_fields = ["title", "answers", "author__email"]
    date_hierarchy = "published_at"
    list_per_page = 50
    actions = ["change_status", "merge", "assign", "export_csv"]
    inlines = [AnalysisInline, EventInline]
    readonly_fields = ["call", "author", "recorded_by", "on_behalf_of", "title", "answers_display", "status",
                       "merged_into", "responsible", "support_count", "against_count", "comment_count",
                       "published_at", "created_at"]
    fields = readonly_fields + ["category", "neighbourhood", "address", "estimated_cost", "is_hidden"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.idea_update_by_agent(idea=obj, actor=request.user, changed=form.changed_data)

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span style="color:{};font-weight:600">● {}</span>', COLOURS[obj.status],
                           obj.get_status_display())

    @admin.display(description=gettext_lazy("answers"))
    def answers_display(self, obj):
        return format_html("".join("<p><strong>{}</strong><br>{}</p>" for _item in obj.answers),
                           *[part for item in obj.answers for part in (item["question"], item["answer"])])

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "record_calls": Call.objects.filter(is_published=True)}
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        return [path("export/", self.admin_site.admin_view(self.export_view), name="ideas_idea_export"),
                *super().get_urls()]

    def _selected(self, request, queryset):
        return {"ideas": queryset, "ids": [str(pk) for pk in queryset.values_list("pk", flat=True)],
                "action_checkbox_name": ACTION_CHECKBOX_NAME, "opts": self.model._meta,
                **self.admin_site.each_context(request)}

    @admin.action(description=gettext_lazy("Change the status"), permissions=["change"])
    def change_status(self, request, queryset):
        form = StatusChangeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            result = services.idea_bulk_change_status(
                ideas=list(queryset.order_by("pk")), actor=request.user, to_status=form.cleaned_data["to_status"],
                public_message=form.message(), internal_note=form.cleaned_data["internal_note"],
                notify=form.cleaned_data["notify"],
            )
            if result.moved:
                self.message_user(request, _("%(count)s idea(s) moved to “%(status)s”.") % {
                    "count": len(result.moved), "status": Status(form.cleaned_data["to_status"]).label},
                    messages.SUCCESS)
            for idea, reason in result.refused:
                self.message_user(request, _("“%(title)s” was not moved: %(reason)s") % {
                    "title": idea.title, "reason": reason}, messages.WARNING)
            return None
        return TemplateResponse(request, "admin/ideas/change_status.html", {
            **self._selected(request, queryset), "form": form, "title": _("Change the status of ideas"),
            "action": "change_status",
        })

    @admin.action(description=gettext_lazy("Merge duplicates into one idea"), permissions=["change"])
    def merge(self, request, queryset):
        """The selected ideas are merged into the one kept: votes, comments and followers move to it."""
        calls = set(queryset.values_list("call_id", flat=True))
        if len(calls) != 1:
            self.message_user(request, _("Only ideas of the same call can be merged."), messages.ERROR)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, candidates=queryset)
        if "apply" in request.POST and form.is_valid():
            kept = form.cleaned_data["into"]
            merged = 0
            for idea in queryset.exclude(pk=kept.pk):
                try:
                    services.idea_merge(idea=idea, into=kept, actor=request.user,
                                        public_message=form.cleaned_data["public_message"])
                    merged += 1
                except services.TransitionError as error:
                    self.message_user(request, _("“%(title)s” was not moved: %(reason)s") % {
                        "title": idea.title, "reason": error}, messages.WARNING)
            self.message_user(request, _("%(count)s idea(s) merged into “%(title)s”.") % {
                "count": merged, "title": kept.title}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/ideas/change_status.html", {
            **self._selected(request, queryset), "form": form, "title": _("Merge duplicates"), "action": "merge",
        })

    @admin.action(description=gettext_lazy("Assign analysts and a responsible agent"), permissions=["change"])
    def assign(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for idea in queryset:
                for analyst in form.cleaned_data["analysts"]:
                    services.analyst_assign(idea=idea, analyst=analyst, actor=request.user)
                if form.cleaned_data["responsible"]:
                    services.idea_set_responsible(idea=idea, responsible=form.cleaned_data["responsible"],
                                                  actor=request.user)
            self.message_user(request, _("%(count)s idea(s) assigned.") % {"count": queryset.count()},
                              messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/ideas/change_status.html", {
            **self._selected(request, queryset), "form": form, "title": _("Assign ideas"), "action": "assign",
        })

    @admin.action(description=gettext_lazy("Export the selected ideas (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv(queryset)

    def export_view(self, request):
        """The changelist as filtered and searched, as CSV (link above the list)."""
        changelist = self.get_changelist_instance(request)
        return self._csv(changelist.get_queryset(request))

    def _csv(self, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="idees-{stamp}.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 with a BOM
        writer = csv.writer(response, delimiter=";")
        writer.writerow([_("ID"), _("Title"), _("Status"), _("Category"), _("Neighbourhood"), _("Supports"),
                         _("Against"), _("Comments"), _("Published"), _("Responsible"), _("Author")])
        for idea in queryset.select_related("category", "neighbourhood", "responsible", "author"):
            writer.writerow([
                idea.pk, spreadsheet_safe(idea.title), idea.get_status_display(), idea.category or "",
                idea.neighbourhood or "", idea.support_count, idea.against_count, idea.comment_count,
                idea.published_at.isoformat() if idea.published_at else "", idea.responsible or "",
                idea.author.email if idea.author else spreadsheet_safe(idea.on_behalf_of),
            ])
        return response


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    """Where analysts record their analysis of the ideas assigned to them."""

    list_display = ["idea", "analyst", "feasibility", "recommendation", "submitted_at"]
    list_filter = ["feasibility", "recommendation", ("submitted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["idea", "analyst"]
    fields = ["idea", "analyst", "feasibility", "estimated_cost", "recommendation", "comment", "submitted_at"]
    readonly_fields = ["idea", "analyst", "submitted_at"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or request.user.groups.filter(name=Role.AGENT.value).exists():
            return queryset
        return queryset.filter(analyst=request.user)

    def save_model(self, request, obj, form, change):
        services.analysis_submit(analysis=obj, actor=request.user, feasibility=obj.feasibility,
                                 recommendation=obj.recommendation, comment=obj.comment,
                                 estimated_cost=obj.estimated_cost)
