"""Survey invitations, sent by the worker in the commune's schema."""

from celery import shared_task
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civic.mail import commune_message, commune_subject
from tenants.models import site_url


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitations(self, *, survey_id: int):
    """Send every invitation of the survey not sent yet. Each is claimed by a conditional
    UPDATE before sending, so two workers or a retry never send one twice; a failed send
    gives the claim back for the retry."""
    from surveys.models import Invitation, Survey

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return
    url = site_url(connection.tenant.primary_domain).rstrip("/") + reverse("surveys:detail", args=[survey.slug])
    with translation.override(connection.tenant.default_language):
        subject = commune_subject(_("Your opinion: “%(title)s”") % {"title": survey.title})
        for invitation in Invitation.objects.filter(survey=survey, sent_at__isnull=True).select_related("person"):
            if not Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now()):
                continue
            body = render_to_string("email/message.txt", {
                "lines": [survey.introduction or _("The commune would like your opinion."),
                          _("Answer the survey:")], "url": url})
            try:
                commune_message(subject=subject, body=body, to=[invitation.person.email]).send()
            except OSError:
                Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
                raise
