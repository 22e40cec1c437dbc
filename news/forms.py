from django import forms
from django.utils.translation import gettext_lazy as _

from civic.covers import CoverFormMixin
from civic.richtext import sanitise_within
from news.models import BODY_MAX, Article

BODY_HELP = _("Simple HTML, or the buttons above the text: paragraphs, headings, bold, italics, lists, "
              "links, quotes and tables. Everything else (scripts, styles, images) is removed on saving. "
              "Plain text works too: a blank line starts a new paragraph.")


class ArticleAdminForm(CoverFormMixin, forms.ModelForm):
    class Meta:
        model = Article
        fields = ["kind", "title", "slug", "summary", "body", "cover", "cover_alt", "categories", "publish_at",
                  "starts_at", "ends_at", "place", "related_call", "related_survey"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18, "class": "news-body", "data-news-editor": "1"}),
            "cover": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {"body": BODY_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_body(self):
        return sanitise_within(self.cleaned_data.get("body") or "", BODY_MAX)

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip()
        if not slug:
            return self.instance.slug if self.instance.pk else ""
        if Article.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another item already has this address."))
        return slug

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Article.Kind.EVENT and not data.get("starts_at"):
            self.add_error("starts_at", _("An event needs a start date."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        return data

    def _get_validation_exclusions(self):
        # The slug may be left empty: the service makes one from the title.
        exclude = super()._get_validation_exclusions()
        exclude.add("slug")
        return exclude
