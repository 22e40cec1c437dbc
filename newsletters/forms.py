from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from budgets.models import Budget
from ideas.models import Call
from newsletters import segments
from newsletters.models import Newsletter
from civic.richtext import EMAIL
from newsletters.rendering import sanitise_body


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["subject", "body", "segment", *segments.PARAMETERS]
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "cols": 90, "spellcheck": "true"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "segment_budget" in self.fields:
            self.fields["segment_budget"].queryset = Budget.objects.select_related("call").order_by("-call__created_at")
        if "segment_call" in self.fields:
            self.fields["segment_call"].queryset = Call.objects.order_by("-created_at")
        if "body" in self.fields:
            self.fields["body"].help_text = _(
                "Write plain text (blank lines make paragraphs) or simple HTML. Kept: %(tags)s; links and images "
                "(https). Anything else is removed when you save: use Preview to see the email.") % {
                # The admin shows help texts as HTML.
                "tags": escape(", ".join(f"<{tag}>" for tag in sorted(EMAIL.tags - set(EMAIL.attributes))))}

    def clean_body(self):
        body = sanitise_body(self.cleaned_data.get("body", ""))
        if not body:
            raise forms.ValidationError(_("Write the body of the newsletter."))
        return body

    def clean(self):
        data = super().clean()
        probe = Newsletter(segment=data.get("segment") or Newsletter.Segment.SUBSCRIBERS,
                           **{name: data.get(name) for name in segments.PARAMETERS})
        for name, message in segments.errors(probe).items():
            if name in self.fields:
                self.add_error(name, message)
        return data


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Send at"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the commune's time. The newsletter leaves within a minute of that time."))
