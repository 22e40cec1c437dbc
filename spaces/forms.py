from django import forms
from django.utils.translation import gettext_lazy as _

from civic.covers import CoverFormMixin
from civic.richtext import sanitise_within
from news.forms import BODY_HELP
from spaces.models import DESCRIPTION_MAX, Space


class SpaceAdminForm(CoverFormMixin, forms.ModelForm):
    class Meta:
        model = Space
        fields = ["title", "slug", "summary", "description", "cover", "cover_alt", "is_published", "position",
                  "calls", "surveys", "articles"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 14}),
            "cover": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {"description": BODY_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_description(self):
        return sanitise_within(self.cleaned_data.get("description") or "", DESCRIPTION_MAX)

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip()
        if not slug:
            return self.instance.slug if self.instance.pk else ""
        if Space.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another project already has this address."))
        return slug

    def _get_validation_exclusions(self):
        # The slug may be left empty: the service makes one from the title.
        exclude = super()._get_validation_exclusions()
        exclude.add("slug")
        return exclude
