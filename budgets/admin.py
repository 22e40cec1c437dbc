"""The agents' admin for participatory budgets: configuration in three steps (save,
preview, publish), closing a step early, paper ballots, counting, public changes to
the result with their justification, publication, and the follow-up of winning
projects. Every change goes through budgets.services."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import forms as budget_forms
from budgets import rules, selectors, services
from budgets.ballots import BallotError
from budgets.models import Ballot, Budget, BudgetEvent, Milestone, ProjectUpdate
from civic.admin_sites import AgentsOnly
from ideas.forms import check_image
from ideas.models import Idea, Phase, Status
from ideas.rules import can_triage

STEPS = [(1, gettext_lazy("General information")), (2, gettext_lazy("Steps")), (3, gettext_lazy("Details"))]


@admin.register(Budget)
class BudgetAdmin(AgentsOnly, admin.ModelAdmin):
    list_display = ["title_link", "envelope", "method", "published", "current_step", "ballot_count"]
    search_fields = ["call__title"]

    @admin.display(description=gettext_lazy("title"))
    def title_link(self, budget):
        return format_html('<a href="{}">{}</a>', reverse("admin:budgets_budget_step", args=[budget.pk, 1]),
                           budget.title)

    @admin.display(description=gettext_lazy("published"), boolean=True)
    def published(self, budget):
        return budget.call.is_published

    @admin.display(description=gettext_lazy("current step"))
    def current_step(self, budget):
        phase = rules.current_phase(budget)
        return phase.get_kind_display() if phase else "—"

    @admin.display(description=gettext_lazy("ballots"))
    def ballot_count(self, budget):
        return budget.ballots.count()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("call").prefetch_related("call__phases")

    def has_delete_permission(self, request, obj=None):
        return False  # ballots refer to it; a budget is closed, not deleted

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/etape/<int:step>/", view(self.step_view), name="budgets_budget_step"),
            path("<int:pk>/cloturer/<int:phase_id>/", view(self.close_step_view), name="budgets_budget_close"),
            path("<int:pk>/bulletins-papier/", view(self.paper_view), name="budgets_budget_paper"),
            path("<int:pk>/depouillement/", view(self.count_view), name="budgets_budget_count"),
            *super().get_urls(),
        ]

    # The three steps ---------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not can_triage(request.user):
            raise Http404
        form = budget_forms.GeneralForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            budget = services.budget_create(
                actor=request.user, title=data["title"], envelope=data["envelope"], problem=data["problem"],
                description=data["description"], category=data["category"], location=data["location"])
            if data.get("cover_image"):
                budget.cover_image = data["cover_image"]
                budget.save(update_fields=["cover_image"])
            messages.success(request, _("The budget is saved as a draft. Now date its steps."))
            return HttpResponseRedirect(reverse("admin:budgets_budget_step", args=[budget.pk, 2]))
        return self._render_step(request, None, 1, {"form": form})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:budgets_budget_step", args=[object_id, 1]))

    def _render_step(self, request, budget, step, context):
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "budget": budget, "step": step,
            "steps": STEPS, "title": budget.title if budget else _("Create a participatory budget"),
            "problems": services.budget_problems(budget) if budget else [],
            "timeline": selectors.timeline(budget) if budget else [],
            **context,
        }
        return TemplateResponse(request, "admin/budgets/budget_step.html", context)

    def step_view(self, request, pk, step):
        budget = get_object_or_404(Budget.objects.select_related("call"), pk=pk)
        if not can_triage(request.user) or step not in (1, 2, 3):
            raise Http404
        data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
        if step == 1:
            parts = {"form": budget_forms.GeneralForm(data, files, instance=budget)}
        elif step == 2:
            parts = {"step_forms": budget_forms.step_forms(budget, data),
                     "rules_form": budget_forms.RulesForm(data, instance=budget),
                     "districts": budget_forms.DistrictFormSet(data, instance=budget, prefix="districts"),
                     "criteria": budget_forms.CriterionFormSet(data, instance=budget, prefix="criteria")}
        else:
            parts = {"sections": budget_forms.SectionFormSet(data, instance=budget, prefix="sections"),
                     "attachments": budget_forms.AttachmentFormSet(data, files, instance=budget,
                                                                   prefix="attachments"),
                     "details": budget_forms.DetailsForm(data, instance=budget)}
        if request.method == "POST":
            if self._save_step(request, budget, step, parts):
                return self._after_save(request, budget, step)
            messages.error(request, _("Please correct the errors below; nothing typed was lost."))
        return self._render_step(request, budget, step, parts)

    def _save_step(self, request, budget, step, parts) -> bool:
        bound = [part for name, part in parts.items() if name != "step_forms"] + parts.get("step_forms", [])
        if not all(part.is_valid() for part in bound):
            return False
        try:
            with transaction.atomic():
                if step == 1:
                    form = parts["form"]
                    form.save()
                    call = budget.call
                    call.title = form.cleaned_data["title"]
                    call.description = form.cleaned_data["description"]
                    call.full_clean()
                    call.save(update_fields=["title", "description"])
                elif step == 2:
                    services.budget_set_steps(budget=budget, actor=request.user,
                                              steps=[form.plan() for form in parts["step_forms"]])
                    parts["rules_form"].save()
                    parts["districts"].save()
                    parts["criteria"].save()
                else:
                    parts["sections"].save()
                    parts["attachments"].save()
                    parts["details"].save()
        except services.BudgetError as error:
            for message in error.messages:
                messages.error(request, message)
            return False
        return True

    def _after_save(self, request, budget, step):
        action = request.POST.get("_action", "save")
        if action == "preview":
            return HttpResponseRedirect(reverse("budgets:detail", args=[budget.slug]))
        if action == "publish":
            try:
                services.budget_publish(budget=Budget.objects.get(pk=budget.pk), actor=request.user)
            except services.BudgetError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The budget is published."))
            return HttpResponseRedirect(reverse("admin:budgets_budget_step", args=[budget.pk, step]))
        messages.success(request, _("Saved."))
        target = {"next": min(step + 1, 3), "previous": max(step - 1, 1)}.get(action, step)
        return HttpResponseRedirect(reverse("admin:budgets_budget_step", args=[budget.pk, target]))

    def close_step_view(self, request, pk, phase_id):
        budget = get_object_or_404(Budget, pk=pk)
        phase = get_object_or_404(Phase, pk=phase_id, call=budget.call)
        if not can_triage(request.user):
            raise Http404
        form = budget_forms.CloseStepForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.phase_close_early(phase=phase, actor=request.user, message=form.cleaned_data["message"])
            except services.BudgetError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The step is closed."))
                return HttpResponseRedirect(reverse("admin:budgets_budget_step", args=[budget.pk, 2]))
        return TemplateResponse(request, "admin/budgets/close_step.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "budget": budget, "phase": phase,
            "form": form, "title": _("Close a step early")})

    # Paper ballots -------------------------------------------------------------------

    def paper_view(self, request, pk):
        budget = get_object_or_404(Budget.objects.select_related("call"), pk=pk)
        if not can_triage(request.user):
            raise Http404
        projects = services.vote_projects(budget).filter(status=Status.FINALIST)
        form = budget_forms.PaperBallotForm(request.POST or None, budget=budget, projects=projects)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                ballot = services.paper_ballot_enter(
                    budget=budget, agent=request.user, choices=form.choices(), email=data.get("email") or "",
                    name=data.get("name") or "", born_on=data.get("born_on"), neighbourhood=data.get("neighbourhood"))
            except BallotError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Paper ballot recorded (receipt %(code)s).") % {"code": ballot.receipt})
                return HttpResponseRedirect(reverse("admin:budgets_budget_paper", args=[budget.pk]))
        recent = Ballot.objects.filter(budget=budget, channel=Ballot.Channel.PAPER).order_by("-cast_at")[:20]
        return TemplateResponse(request, "admin/budgets/paper_ballot.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "budget": budget, "form": form,
            "recent": recent, "paper_count": Ballot.objects.filter(budget=budget, channel="paper").count(),
            "title": _("Paper ballots")})

    # Counting, changes to the result, publication ---------------------------------------

    def count_view(self, request, pk):
        budget = get_object_or_404(Budget.objects.select_related("call"), pk=pk)
        if not can_triage(request.user):
            raise Http404
        result = getattr(budget, "result", None)
        override_form = budget_forms.OverrideForm(
            request.POST if request.POST.get("_action") == "override" else None,
            projects=services.vote_projects(budget))
        if request.method == "POST":
            action = request.POST.get("_action")
            try:
                if action == "count":
                    services.budget_count(budget=budget, actor=request.user)
                    messages.success(request, _("The votes are counted. Check the result, then publish it."))
                elif action == "override" and result is not None:
                    if override_form.is_valid():
                        data = override_form.cleaned_data
                        services.result_override(result=result, idea=data["idea"], action=data["action"],
                                                 justification=data["justification"], actor=request.user)
                        messages.success(request, _("The change and its justification are recorded."))
                    else:
                        raise services.BudgetError(_("Please correct the errors below."))
                elif action == "publish":
                    services.results_publish(budget=budget, actor=request.user)
                    messages.success(request, _("The results are published."))
            except services.BudgetError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                return HttpResponseRedirect(reverse("admin:budgets_budget_count", args=[budget.pk]))
        budget = Budget.objects.select_related("call").get(pk=budget.pk)
        result = getattr(budget, "result", None)
        return TemplateResponse(request, "admin/budgets/count.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "budget": budget,
            "result": result, "page": selectors.results_page(budget) if result else None,
            "override_form": override_form, "vote_closed": rules.vote_has_closed(budget),
            "ballots": budget.ballots.count(), "title": _("Counting and results")})


@admin.register(BudgetEvent)
class BudgetEventAdmin(AgentsOnly, admin.ModelAdmin):
    """The audit trail: read-only."""

    list_display = ["created_at", "budget", "kind", "actor", "message"]
    list_filter = ["kind", "budget"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WinningProjectAdmin(AgentsOnly, admin.ModelAdmin):
    """Milestones and updates of winning projects: saved through the services, so the
    project's status follows and its followers are told."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "idea":
            kwargs["queryset"] = Idea.objects.filter(status__in=[Status.SELECTED, Status.IN_PROGRESS, Status.DONE],
                                                     call__kind="budget")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProjectUpdateForm(forms.ModelForm):
    class Meta:
        model = ProjectUpdate
        fields = ["idea", "title", "body", "progress", "photo", "photo_description", "published_on"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):
            check_image(photo)  # a real JPEG, PNG or WebP under the size limit
        return photo


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(WinningProjectAdmin):
    form = ProjectUpdateForm
    list_display = ["title", "idea", "progress", "published_on"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.project_update_add(
            idea=data["idea"], actor=request.user, title=data["title"], body=data["body"], progress=data["progress"],
            photo=data.get("photo"), photo_description=data.get("photo_description", ""),
            published_on=data.get("published_on"))
        obj.pk = created.pk


@admin.register(Milestone)
class MilestoneAdmin(WinningProjectAdmin):
    list_display = ["idea", "kind", "planned_for", "reached_on"]
    list_filter = ["kind"]
