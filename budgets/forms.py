"""Forms of the budget configuration (three steps) and of the paper ballots."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import Attachment, Budget, Criterion, District, Section
from budgets.services import OPTIONAL_STEPS, STEP_ORDER, StepPlan, default_phase_description
from ideas.forms import check_image
from ideas.models import Phase

MAX_COVER_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class GeneralForm(forms.ModelForm):
    """Step 1: general information."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=160)
    description = forms.CharField(label=gettext_lazy("Introduction"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = Budget
        fields = ["title", "problem", "envelope", "category", "location", "description", "cover_image"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["title"].initial = self.instance.call.title
            self.fields["description"].initial = self.instance.call.description

    def clean_cover_image(self):
        image = self.cleaned_data.get("cover_image")
        if image and hasattr(image, "content_type"):
            if image.size > MAX_COVER_BYTES:
                raise forms.ValidationError(_("The image weighs more than 5 MB."))
            check_image(image)
        return image


class RulesForm(forms.ModelForm):
    """Step 2, beside the dates: how citizens vote and how the votes are counted."""

    class Meta:
        model = Budget
        fields = ["method", "min_projects", "max_projects", "min_share_spent", "points", "max_points_per_project",
                  "min_age", "require_neighbourhood", "require_verified_identity", "rule", "completion", "greedy_completion", "comparison",
                  "threshold", "eligibility_ratio"]


class StepForm(forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("Step switched on"), required=False)
    starts_at = forms.DateTimeField(label=gettext_lazy("Start"), required=False, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=gettext_lazy("End"), required=False, widget=DateTimeInput())
    description = forms.CharField(label=gettext_lazy("Description"), required=False, max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.label = Phase.Kind(kind).label
        self.optional = kind in OPTIONAL_STEPS
        if not self.optional:
            self.fields["enabled"].disabled = True
            self.fields["enabled"].initial = True

    def plan(self) -> StepPlan:
        data = self.cleaned_data
        return StepPlan(kind=self.kind, enabled=bool(data.get("enabled")) or not self.optional,
                        starts_at=data.get("starts_at"), ends_at=data.get("ends_at"),
                        description=data.get("description") or "")


def step_forms(budget: Budget, data=None) -> list[StepForm]:
    phases = {phase.kind: phase for phase in budget.call.phases.all()}
    forms_ = []
    for kind in STEP_ORDER:
        phase = phases.get(kind)
        initial = {"enabled": phase is not None or kind not in OPTIONAL_STEPS,
                   "description": phase.description if phase else default_phase_description(kind)}
        if phase:
            initial.update(starts_at=phase.starts_at, ends_at=phase.ends_at)
        forms_.append(StepForm(data, kind=kind, prefix=f"step-{kind}", initial=initial))
    return forms_


DistrictFormSet = inlineformset_factory(Budget, District, fields=["neighbourhood", "envelope"], extra=1,
                                        can_delete=True)
CriterionFormSet = inlineformset_factory(Budget, Criterion, fields=["name", "weight", "position"], extra=2,
                                         can_delete=True)
SectionFormSet = inlineformset_factory(Budget, Section, fields=["language", "title", "body", "position"], extra=1,
                                       can_delete=True,
                                       widgets={"body": forms.Textarea(attrs={"rows": 5})})


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise forms.ValidationError(_("The file weighs more than 10 MB."))
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("This file is not a PDF."))
        return upload


AttachmentFormSet = inlineformset_factory(Budget, Attachment, form=AttachmentForm, extra=1, can_delete=True)


class DetailsForm(forms.ModelForm):
    video_url = forms.URLField(label=gettext_lazy("video link"), required=False, assume_scheme="https")

    class Meta:
        model = Budget
        fields = ["video_url"]


class PaperBallotForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Voter's email address"), required=False)
    name = forms.CharField(label=gettext_lazy("Voter's name"), max_length=120, required=False)
    born_on = forms.DateField(label=gettext_lazy("Date of birth"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    neighbourhood = forms.ModelChoiceField(label=gettext_lazy("Neighbourhood"), queryset=None, required=False)
    projects = forms.MultipleChoiceField(label=gettext_lazy("Projects chosen"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, budget: Budget, projects, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Neighbourhood

        self.budget = budget
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.all()
        self.points_mode = budget.method == "points"
        self.project_list = list(projects)
        if self.points_mode:
            del self.fields["projects"]
            for idea in self.project_list:
                self.fields[f"points-{idea.pk}"] = forms.IntegerField(
                    label=f"{idea.title} ({idea.estimated_cost:.0f} €)", min_value=0, required=False)
        else:
            self.fields["projects"].choices = [(str(idea.pk), f"{idea.title} ({idea.estimated_cost:.0f} €)")
                                               for idea in self.project_list]

    def clean(self):
        data = super().clean()
        if not data.get("email") and not (data.get("name") and data.get("born_on")):
            raise forms.ValidationError(_("Give the voter's email address, or their name and date of birth."))
        return data

    def choices(self) -> dict[int, int]:
        if self.points_mode:
            return {idea.pk: self.cleaned_data.get(f"points-{idea.pk}") or 0 for idea in self.project_list
                    if self.cleaned_data.get(f"points-{idea.pk}")}
        return {int(value): 1 for value in self.cleaned_data.get("projects", [])}


class OverrideForm(forms.Form):
    idea = forms.ModelChoiceField(label=gettext_lazy("Project"), queryset=None)
    action = forms.ChoiceField(label=gettext_lazy("Change"), choices=[])
    justification = forms.CharField(label=gettext_lazy("Public justification"), max_length=3000,
                                    widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        from budgets.models import Override

        self.fields["idea"].queryset = projects
        self.fields["action"].choices = Override.Action.choices


class CloseStepForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("Public reason"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))
