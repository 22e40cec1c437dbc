"""The moderators' admin: one queue of reported content (most reported, then oldest first),
a decision with its reason on each item, and the read-only log of decisions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from accounts.roles import Role
from civic.admin_sites import AgentsOnly
from ideas.models import AnswerTemplate
from ideas.rules import can_triage, has_role
from moderation import services
from moderation.models import Decision, Policy, Report


# What citizens post publicly, and so what the moderators decide on.
MODERATED = ("ideas.Idea", "ideas.Comment", "surveys.Answer")


def is_moderator(user) -> bool:
    return can_triage(user) or has_role(user, Role.MODERATOR)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "content", "reason", "reporter", "handled_at"]
    list_filter = ["reason", "content_type", ("handled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["content_type", "reporter"]
    readonly_fields = ["content_type", "object_id", "reporter", "reason", "comment", "created_at"]

    def get_urls(self):
        return [path("file/", self.admin_site.admin_view(self.queue_view), name="moderation_report_queue"),
                *super().get_urls()]

    def queue_view(self, request):
        """Reported items to decide on, with what was reported and why."""
        if not is_moderator(request.user):
            raise Http404
        if request.method == "POST":
            return self._decide(request)
        rows = list(services.queue()[:100])
        types = {ct.pk: ct for ct in ContentType.objects.filter(pk__in={r["content_type"] for r in rows})}
        items = []
        for row in rows:
            model = types[row["content_type"]].model_class()
            content = model._default_manager.filter(pk=row["object_id"]).first()
            if content is None:
                continue
            reasons = list(Report.objects.filter(content_type_id=row["content_type"], object_id=row["object_id"],
                                                 handled_at__isnull=True).select_related("reporter"))
            items.append({"content": content, "type": types[row["content_type"]], "reports": row["reports"],
                          "first": row["first"], "reasons": reasons})
        return TemplateResponse(request, "admin/moderation/queue.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "items": items,
            "actions": Decision.Action.choices, "title": _("Moderation queue"),
            "answer_templates": AnswerTemplate.objects.filter(use=AnswerTemplate.Use.MODERATION)})

    def _decide(self, request):
        content_type = ContentType.objects.filter(pk=request.POST.get("content_type") or 0).first()
        model = content_type.model_class() if content_type else None
        if model is None or model._meta.label not in MODERATED:
            raise Http404
        content = model._default_manager.filter(pk=request.POST.get("object_id") or 0).first()
        if content is None:
            raise Http404
        days = request.POST.get("block_days", "").strip()
        try:
            services.moderation_decide(content=content, moderator=request.user, action=request.POST.get("action", ""),
                                       reason=request.POST.get("reason", ""),
                                       block_days=int(days) if days.isdigit() else None,
                                       new_text=request.POST.get("new_text", ""))
        except services.ModerationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision recorded; the author is told."))
        return HttpResponseRedirect(reverse("admin:moderation_report_queue"))


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """The log: who decided what, when and why. Read-only."""

    list_display = ["created_at", "action", "content_type", "object_id", "target_user", "moderator", "reason"]
    list_filter = ["action", "content_type"]
    search_fields = ["reason", "target_user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_moderator(request.user)

    def has_module_permission(self, request):
        return is_moderator(request.user)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["kind", "body", "changes"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 90}),
                   "changes": forms.Textarea(attrs={"rows": 3, "cols": 90})}

    def clean(self):
        data = super().clean()
        current = services.current_policy(data.get("kind") or "")
        if current is not None and (data.get("body") or "").strip() == current.body:
            raise ValidationError(_("This text is the same as the current version."))
        return data


@admin.register(Policy)
class PolicyAdmin(AgentsOnly, admin.ModelAdmin):
    """Agents publish a new version of the terms of use or of the ethics charter; published
    versions are never edited (citizens accepted them as they are)."""

    form = PolicyForm
    list_display = ["kind", "version", "published_at", "published_by", "changes"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "version", "body", "changes", "published_at", "published_by"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_changeform_initial_data(self, request):
        from moderation.texts import default_charter, default_terms

        kind = request.GET.get("kind") if request.GET.get("kind") in Policy.Kind.values else Policy.Kind.TERMS
        current = services.current_policy(kind)
        default = default_terms if kind == Policy.Kind.TERMS else default_charter
        return {"kind": kind, "body": current.body if current else default(request.tenant)}

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = services.policy_publish(kind=obj.kind, body=obj.body, changes=obj.changes, actor=request.user)
        obj.pk, obj.version, obj.published_at = published.pk, published.version, published.published_at

