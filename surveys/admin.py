"""The survey builder in the commune's admin: a survey with its sections, each question
with its choices or matrix rows, ordered by number; duplicate a survey in one action."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civic.admin_sites import AgentsOnly
from ideas.rules import can_triage
from surveys import exports, selectors, services
from surveys.models import Choice, MatrixRow, Question, Section, Survey


class SectionInline(AgentsOnly, admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "title", "description", "questions_link"]
    readonly_fields = ["questions_link"]

    @admin.display(description=_("questions"))
    def questions_link(self, section):
        if not section.pk:
            return "—"
        url = reverse("admin:surveys_question_changelist") + f"?section__id__exact={section.pk}"
        add = reverse("admin:surveys_question_add") + f"?section={section.pk}"
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>', url,
                           ngettext("%(count)d question", "%(count)d questions", section.questions.count())
                           % {"count": section.questions.count()}, add, _("Add a question"))


@admin.register(Survey)
class SurveyAdmin(AgentsOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "ends_at", "is_published", "response_count", "results_link",
                    "invite_link"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]
    change_list_template = "admin/surveys/survey_change_list.html"
    actions = ["duplicate"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "introduction", "starts_at", "ends_at", "is_published",
                           "show_on_home"]}),
        (_("Who answers, and how"), {"fields": ["audience", "is_anonymous", "one_answer_per_person",
                                                  "editable_until_close", "results_visibility"]}),
    ]

    @admin.display(description=_("responses"))
    def response_count(self, survey):
        return survey.responses.count()

    @admin.display(description=_("results"))
    def results_link(self, survey):
        return format_html('<a href="{}">{}</a>', reverse("admin:surveys_survey_analysis", args=[survey.pk]),
                           _("Results"))

    @admin.display(description=_("invitations"))
    def invite_link(self, survey):
        return format_html('<a href="{}">{}</a>', reverse("admin:surveys_survey_invite", args=[survey.pk]),
                           _("Invite"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/analyse/", view(self.analysis_view), name="surveys_survey_analysis"),
            path("<int:pk>/export.<str:fmt>", view(self.export_view), name="surveys_survey_export"),
            path("<int:pk>/inviter/", view(self.invite_view), name="surveys_survey_invite"),
            path("modele/<slug:key>/", view(self.template_view), name="surveys_survey_template"),
            *super().get_urls(),
        ]

    def analysis_view(self, request, pk):
        """Charts of the closed questions, a cross-tab by age, gender or neighbourhood, and
        the open answers with a search."""
        if not can_triage(request.user):
            raise Http404
        survey = get_object_or_404(Survey, pk=pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "survey": survey,
                   "title": _("Results of “%(title)s”") % {"title": survey.title}, **selectors.results(survey)}
        closed = [b["question"] for b in context["blocks"] if b["question"].kind in ("single", "multiple",
                                                                                       "yes_no", "scale")]
        context["closed"] = closed
        question_id, dimension = request.GET.get("question"), request.GET.get("dimension", "age_bracket")
        chosen = next((q for q in closed if str(q.pk) == question_id), None)
        if chosen is not None and dimension in ("age_bracket", "gender", "neighbourhood"):
            context.update(crosstab=exports.crosstab(survey, chosen, dimension), crosstab_question=chosen,
                           dimension=dimension)
        query = request.GET.get("q", "").strip()[:100]
        context["query"] = query
        context["open"] = [(b["question"], list(selectors.open_answers(survey, b["question"], query)[:200]))
                           for b in context["blocks"] if b["open"]]
        return TemplateResponse(request, "admin/surveys/analysis.html", context)

    def template_view(self, request, key):
        """Create a draft from a ready-made survey (POST), then edit it."""
        from django.http import HttpResponseRedirect

        from surveys.templates import TEMPLATES, survey_from_template

        if not can_triage(request.user) or key not in TEMPLATES or request.method != "POST":
            raise Http404
        survey = survey_from_template(key)
        messages.success(request, _("“%(title)s” created as a draft: edit it, then publish it.") % {"title": survey.title})
        return HttpResponseRedirect(reverse("admin:surveys_survey_change", args=[survey.pk]))

    def invite_view(self, request, pk):
        """Email the survey to the people of a budget or a call, or to newsletter subscribers."""
        from django.http import HttpResponseRedirect

        from budgets.models import Budget
        from ideas.models import Call

        if not can_triage(request.user):
            raise Http404
        survey = get_object_or_404(Survey, pk=pk)
        targets = [("newsletter", "", _("Newsletter subscribers"))]
        targets += [("budget", b.pk, _("Participants of “%(title)s”") % {"title": b.call.title})
                    for b in Budget.objects.select_related("call")]
        targets += [("call", c.pk, _("Participants of “%(title)s”") % {"title": c.title})
                    for c in Call.objects.exclude(kind=Call.Kind.BUDGET)]
        if request.method == "POST":
            audience, _sep, target = request.POST.get("target", "").partition(":")
            valid = {f"{a}:{t}" for a, t, _label in targets}
            if f"{audience}:{target}" not in valid:
                messages.error(request, _("Choose who to invite."))
            else:
                try:
                    count = services.survey_invite(survey=survey, actor=request.user, audience=audience,
                                                   target_id=int(target) if target else None)
                except services.SurveyError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, ngettext("%(count)d person invited.", "%(count)d people invited.",
                                                       count) % {"count": count})
                    return HttpResponseRedirect(reverse("admin:surveys_survey_invite", args=[survey.pk]))
        return TemplateResponse(request, "admin/surveys/invite.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "survey": survey,
            "targets": targets, "invited": survey.invitations.count(),
            "sent": survey.invitations.filter(sent_at__isnull=False).count(),
            "title": _("Invite people to answer “%(title)s”") % {"title": survey.title}})

    def changelist_view(self, request, extra_context=None):
        from surveys.templates import TEMPLATES

        extra = {"survey_templates": [(key, spec["title"]) for key, spec in TEMPLATES.items()]}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def export_view(self, request, pk, fmt):
        if not can_triage(request.user) or fmt not in ("csv", "xlsx"):
            raise Http404
        survey = get_object_or_404(Survey, pk=pk)
        if fmt == "csv":
            response = HttpResponse(exports.as_csv(survey), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(exports.as_xlsx(survey), content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="{survey.slug}.{fmt}"'
        return response

    @admin.action(description=_("Duplicate the selected surveys"))
    def duplicate(self, request, queryset):
        for survey in queryset:
            copy = services.survey_duplicate(survey=survey, actor=request.user)
            messages.success(request, _("“%(title)s” copied as a draft.") % {"title": copy.title})


class ChoiceInline(AgentsOnly, admin.TabularInline):
    model = Choice
    extra = 3
    fields = ["position", "label", "is_correct"]


class MatrixRowInline(AgentsOnly, admin.TabularInline):
    model = MatrixRow
    extra = 0
    fields = ["position", "label"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = "__all__"

    def clean(self):
        data = super().clean()
        earlier, wanted, section = data.get("condition_question"), data.get("condition_choices"), data.get("section")
        if earlier is None:
            if wanted:
                self.add_error("condition_question", _("Choose the earlier question these answers belong to."))
            return data
        if section is not None and earlier.section.survey_id != section.survey_id:
            self.add_error("condition_question", _("The condition must be a question of the same survey."))
        elif section is not None and (earlier.section.position, earlier.position, earlier.pk) >= (
                section.position, data.get("position") or 0, self.instance.pk or 10**9):
            self.add_error("condition_question", _("The condition must be a question asked earlier."))
        if not wanted:
            self.add_error("condition_choices", _("Choose the answers that show this question."))
        elif any(choice.question_id != earlier.pk for choice in wanted):
            self.add_error("condition_choices", _("Choose answers of the question in the condition."))
        return data


@admin.register(Question)
class QuestionAdmin(AgentsOnly, admin.ModelAdmin):
    form = QuestionForm
    list_display = ["text", "kind", "section", "position", "required"]
    list_editable = ["position"]
    list_filter = ["section__survey", "kind"]
    inlines = [ChoiceInline, MatrixRowInline]

    def _survey_id(self, request):
        """The survey of the question being edited, or of the section it is added to."""
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if object_id:
            return Question.objects.filter(pk=object_id).values_list("section__survey_id", flat=True).first()
        section = request.GET.get("section") or request.POST.get("section")
        if section and str(section).isdigit():
            return Section.objects.filter(pk=section).values_list("survey_id", flat=True).first()
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        survey_id = self._survey_id(request)
        if db_field.name == "condition_question" and survey_id:
            kwargs["queryset"] = Question.objects.filter(section__survey_id=survey_id,
                                                         kind__in=["single", "multiple"])
        if db_field.name == "section" and survey_id:
            kwargs["queryset"] = Section.objects.filter(survey_id=survey_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "condition_choices":
            survey_id = self._survey_id(request)
            kwargs["queryset"] = (Choice.objects.filter(question__section__survey_id=survey_id,
                                                        question__kind__in=["single", "multiple"])
                                  .select_related("question") if survey_id else Choice.objects.none())
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = lambda choice: f"{choice.question.text} → {choice.label}"
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)
    fieldsets = [
        (None, {"fields": ["section", "position", "kind", "text", "help_text", "required"]}),
        (_("Choices"), {"fields": ["min_choices", "max_choices", "allow_other"]}),
        (_("Scale and matrix"), {"fields": ["scale_min", "scale_max", "scale_min_label", "scale_max_label"]}),
        (_("Number"), {"fields": ["number_min", "number_max"]}),
        (_("Shown only for some answers"), {"fields": ["condition_question", "condition_choices"]}),
        (_("Quiz"), {"fields": ["explanation"]}),
        (_("Answers shown publicly"), {"fields": ["public_answers"]}),
    ]
