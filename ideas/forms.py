from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ideas.models import Category, Idea

MAX_IMAGES = 5
IMAGE_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
ANSWER_MAX = 3000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


def check_image(upload):
    """A real JPEG, PNG or WebP under the size limit (the name and the browser's word
    for it are not trusted)."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > IMAGE_MAX_BYTES:
        raise forms.ValidationError(
            _("“%(name)s” weighs %(size)s; the limit is %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(IMAGE_MAX_BYTES)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise forms.ValidationError(_("“%(name)s” is not an image.") % {"name": upload.name}) from None
    if kind not in IMAGE_FORMATS:
        raise forms.ValidationError(_("“%(name)s”: only JPEG, PNG and WebP images are accepted.") % {"name": upload.name})
    upload.seek(0)


class IdeaForm(forms.ModelForm):
    """The proposal form: a title, the call's guided questions, and the optional rest."""

    images = MultipleImageField(
        label=_("Images (up to 5, JPEG, PNG or WebP, 5 MB each)"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Idea
        fields = ["title", "category", "neighbourhood", "address", "latitude", "longitude", "estimated_cost",
                  "attachment"]
        widgets = {"latitude": forms.HiddenInput, "longitude": forms.HiddenInput,
                   "attachment": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}
        help_texts = {"address": _("A street, a place, a village: where would it be?")}

    def __init__(self, *args, call, existing_images: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.existing_images = existing_images
        self.fields["title"].widget.attrs.update({"maxlength": 140, "autocomplete": "off"})
        categories = call.categories.all() if call.categories.exists() else Category.objects.all()
        self.fields["category"].queryset = categories
        self.fields["category"].required = categories.exists()
        self.fields["category"].empty_label = _("— choose —")
        if self.fields["neighbourhood"].queryset.exists():
            self.fields["neighbourhood"].empty_label = _("— not specified —")
        else:
            del self.fields["neighbourhood"]
        if not call.allow_cost:
            del self.fields["estimated_cost"]
        if not call.allow_map:
            for name in ("latitude", "longitude"):
                del self.fields[name]
        answers = {item["question"]: item["answer"] for item in (self.instance.answers or [])}
        self.question_fields = []
        for index, question in enumerate(call.questions):
            name = f"answer_{index}"
            self.fields[name] = forms.CharField(
                label=question, max_length=ANSWER_MAX, required=index == 0,
                widget=forms.Textarea(attrs={"rows": 5, "maxlength": ANSWER_MAX}),
                initial=answers.get(question, ""),
            )
            self.question_fields.append(name)
        # The idea first (title, guided questions), then where, how much, and the files.
        self.order_fields(["on_behalf_of", "title", *self.question_fields, "category", "neighbourhood", "address",
                           "latitude", "longitude", "estimated_cost", "images", "attachment"])

    def clean_images(self):
        images = self.cleaned_data.get("images") or []
        if self.existing_images + len(images) > MAX_IMAGES:
            raise forms.ValidationError(_("At most %(max)s images per idea.") % {"max": MAX_IMAGES})
        for upload in images:
            check_image(upload)
        return images

    def clean_attachment(self):
        attachment = self.cleaned_data.get("attachment")
        if attachment and hasattr(attachment, "read") and getattr(attachment, "size", 0):
            if attachment.size > ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(
                    _("The PDF weighs %(size)s; the limit is %(limit)s.")
                    % {"size": filesizeformat(attachment.size), "limit": filesizeformat(ATTACHMENT_MAX_BYTES)}
                )
            attachment.seek(0)
            if attachment.read(5) != b"%PDF-":
                raise forms.ValidationError(_("The attachment is not a PDF file."))
            attachment.seek(0)
        return attachment

    def answers(self) -> list[dict]:
        return [{"question": self.fields[name].label, "answer": self.cleaned_data.get(name, "").strip()}
                for name in self.question_fields]

    def idea_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields
                if name in self.fields and name != "title"}


class OnBehalfIdeaForm(IdeaForm):
    """The same form, for an agent recording an idea received by phone or on paper."""

    on_behalf_of = forms.CharField(
        label=_("On behalf of"), max_length=120,
        help_text=_("The citizen's name and, if they agree, how to reach them."),
    )



class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}))
    # Left empty by people (hidden from them); robots fill it in.
    website = forms.CharField(required=False, max_length=200)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ListFilterForm(forms.Form):
    """Search, sort and filters of a list of ideas. Category and neighbourhood are plain
    choices (one query each) filtered by id: the busiest page stays cheap."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("recent", _("Most recent")), ("supported", _("Most supported")), ("trending", _("Trending")),
    ])
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    neighbourhood = forms.TypedChoiceField(label=_("Neighbourhood"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        from accounts.models import Neighbourhood
        from ideas.models import Status

        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + [c for c in Status.choices if c[0] != Status.DRAFT]
        self.fields["category"].choices = everything + list(Category.objects.values_list("pk", "name"))
        neighbourhoods = list(Neighbourhood.objects.values_list("pk", "name"))
        if neighbourhoods:
            self.fields["neighbourhood"].choices = everything + neighbourhoods
        else:
            del self.fields["neighbourhood"]
