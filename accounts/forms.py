from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import AgeBracket, Gender, Neighbourhood, User

PROFILE_HELP = _("Optional. Only used, anonymously, for the commune's participation statistics.")


def _blank_choice(choices):
    return [("", _("— not specified —"))] + list(choices)


class ProfileFieldsMixin:
    def setup_profile_fields(self):
        neighbourhoods = Neighbourhood.objects.all()
        if "neighbourhood" in self.fields:
            if neighbourhoods.exists():
                self.fields["neighbourhood"].queryset = neighbourhoods
            else:
                del self.fields["neighbourhood"]


class SignupProfileForm(ProfileFieldsMixin, forms.Form):
    """Extra fields of the sign-up form (allauth adds email and passwords)."""

    display_name = forms.CharField(
        label=_("Display name"), max_length=80, required=False,
        help_text=_("Shown next to your contributions. Leave empty to stay anonymous."),
    )
    age_bracket = forms.ChoiceField(label=_("Age bracket"), choices=_blank_choice(AgeBracket.choices),
                                    required=False, help_text=PROFILE_HELP)
    gender = forms.ChoiceField(label=_("Gender"), choices=_blank_choice(Gender.choices),
                               required=False, help_text=PROFILE_HELP)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.none(), required=False,
        empty_label=_("— not specified —"), help_text=PROFILE_HELP,
    )
    accept_terms = forms.BooleanField(
        required=True,
        error_messages={"required": _("You must accept the terms of use to create an account.")},
    )
    newsletter_opt_in = forms.BooleanField(
        label=_("I would like to receive the commune's participation newsletter"),
        required=False, initial=False,
    )

    field_order = ["email", "password1", "password2", "display_name", "age_bracket", "gender",
                   "neighbourhood", "accept_terms", "newsletter_opt_in"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_profile_fields()
        self.fields["accept_terms"].label = format_html(
            '{} <a href="{}" target="_blank">{}</a> {} <a href="{}" target="_blank">{}</a>',
            _("I accept the"), reverse("terms"), _("terms of use"),
            _("and have read the"), reverse("privacy"), _("privacy policy"),
        )

    def signup(self, request, user):
        services.user_complete_signup(
            user=user,
            display_name=self.cleaned_data.get("display_name", ""),
            age_bracket=self.cleaned_data.get("age_bracket", ""),
            gender=self.cleaned_data.get("gender", ""),
            neighbourhood=self.cleaned_data.get("neighbourhood"),
            newsletter_opt_in=self.cleaned_data.get("newsletter_opt_in", False),
            accepted_terms=self.cleaned_data["accept_terms"],
        )


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "age_bracket", "birth_year", "gender", "neighbourhood", "newsletter_opt_in"]
        help_texts = {"age_bracket": PROFILE_HELP, "gender": PROFILE_HELP, "neighbourhood": PROFILE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_profile_fields()
        self.fields["age_bracket"].choices = _blank_choice(AgeBracket.choices)
        self.fields["gender"].choices = _blank_choice(Gender.choices)

    def save(self, commit=True):
        return services.user_update_profile(
            user=self.instance,
            display_name=self.cleaned_data["display_name"],
            age_bracket=self.cleaned_data["age_bracket"],
            gender=self.cleaned_data["gender"],
            neighbourhood=self.cleaned_data.get("neighbourhood"),
            newsletter_opt_in=self.cleaned_data["newsletter_opt_in"],
            birth_year=self.cleaned_data.get("birth_year"),
        )
