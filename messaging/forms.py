from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from messaging.models import BODY_MAX, SUBJECT_MAX


def _body_field(label):
    return forms.CharField(
        label=label, max_length=BODY_MAX,
        error_messages={"required": _("Write your message.")},
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX}),
    )


class LimitedBody:
    """Tells the length limit of the message under its field (linked to it for screen readers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = gettext("At most %(max)s characters.") % {"max": BODY_MAX}


class ThreadForm(LimitedBody, forms.Form):
    """A citizen's new conversation: what it is about, and the first message."""

    subject = forms.CharField(
        label=_("Subject"), max_length=SUBJECT_MAX,
        help_text=_("A few words: what is it about?"),
        error_messages={"required": _("Give your message a subject.")},
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX, "autocomplete": "off"}),
    )
    body = _body_field(_("Your message"))


class ReplyForm(LimitedBody, forms.Form):
    body = _body_field(_("Your reply"))


class AnswerForm(LimitedBody, forms.Form):
    """An agent's answer in the admin."""

    body = forms.CharField(label=_("Answer"), max_length=BODY_MAX,
                           error_messages={"required": _("Write your answer.")},
                           widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX, "class": "vLargeTextField"}))
    close = forms.BooleanField(label=_("Close the conversation after this answer"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), required=False, queryset=None,
                                      empty_label=_("— nobody (every agent is told) —"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model().objects.filter(is_active=True, groups__name=Role.AGENT.value).order_by("email"))
