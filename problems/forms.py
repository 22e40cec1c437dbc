from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Neighbourhood
from ideas.forms import check_image
from problems.models import ADDRESS_MAX, DESCRIPTION_MAX, Problem, ProblemCategory, Status

# Beyond this many pixels a photo is refused before it is decoded (a small file can hold a huge image).
PHOTO_MAX_PIXELS = 40_000_000


class ProblemForm(forms.ModelForm):
    """What a citizen says about a problem: what, where, and optionally a photo and a point."""

    description = forms.CharField(
        label=_("Describe the problem"), max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": DESCRIPTION_MAX}),
        help_text=_("What is wrong, since when, is it dangerous? At most 2,000 characters. Please do not name "
                    "anyone."),
        error_messages={"required": _("Describe the problem.")},
    )
    photo = forms.FileField(
        label=_("Photo (optional, JPEG, PNG or WebP, 5 MB at most)"), required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    # Left empty by people (hidden from them); robots fill it in.
    website = forms.CharField(required=False, max_length=200)

    class Meta:
        model = Problem
        fields = ["category", "description", "address", "neighbourhood", "latitude", "longitude"]
        widgets = {
            "latitude": forms.HiddenInput, "longitude": forms.HiddenInput,
            "address": forms.TextInput(attrs={"maxlength": ADDRESS_MAX, "autocomplete": "street-address"}),
        }
        labels = {"category": _("What kind of problem?"), "address": _("Where is it?")}
        help_texts = {"address": _("A street and number, a crossroads, a landmark.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = ProblemCategory.objects.filter(active=True)
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = _("— choose —")
        self.fields["category"].error_messages["invalid_choice"] = _("Choose one of the categories offered.")
        self.fields["category"].error_messages["required"] = _("Choose what kind of problem it is.")
        self.fields["address"].error_messages["required"] = _("Give the address or the place of the problem.")
        # Listed once: whether the commune has neighbourhoods decides whether the field is shown.
        neighbourhoods = list(Neighbourhood.objects.all())
        if neighbourhoods:
            self.fields["neighbourhood"].choices = [("", _("— not specified —"))] + [
                (n.pk, n.name) for n in neighbourhoods]
        else:
            del self.fields["neighbourhood"]
        self.order_fields(["category", "description", "address", "latitude", "longitude", "neighbourhood", "photo"])

    def clean_description(self):
        return (self.cleaned_data.get("description") or "").strip()

    def clean_address(self):
        return (self.cleaned_data.get("address") or "").strip()

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        check_image(photo)  # a real JPEG, PNG or WebP under the size limit
        from PIL import Image

        with Image.open(photo) as image:
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise forms.ValidationError(_("“%(name)s” is too large an image; take a smaller photo.")
                                            % {"name": photo.name})
        photo.seek(0)
        return photo

    def report_fields(self) -> dict:
        data = self.cleaned_data
        return {"category": data["category"], "description": data["description"], "address": data["address"],
                "neighbourhood": data.get("neighbourhood"), "latitude": data.get("latitude"),
                "longitude": data.get("longitude"), "photo": data.get("photo"), "honeypot": data.get("website", "")}


class ListFilterForm(forms.Form):
    """Filters of the public list. Plain choices filtered by id: one query per list of choices."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    neighbourhood = forms.TypedChoiceField(label=_("Neighbourhood"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(Status.choices)
        self.fields["category"].choices = everything + list(ProblemCategory.objects.values_list("pk", "name"))
        neighbourhoods = list(Neighbourhood.objects.values_list("pk", "name"))
        if neighbourhoods:
            self.fields["neighbourhood"].choices = everything + neighbourhoods
        else:
            del self.fields["neighbourhood"]
