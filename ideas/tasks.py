"""Notifications about ideas, sent by the worker in the commune's schema."""

from celery import shared_task
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.services import notification_create
from civic.mail import commune_message, commune_subject, send_once
from tenants.models import site_url


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_status_change(self, *, event_id: int):
    """Tell the author and the followers of an idea that its status changed.
    One email per event and person, whatever the retries."""
    from accounts.models import User
    from ideas.models import IdeaEvent

    event = IdeaEvent.objects.select_related("idea", "actor").filter(pk=event_id).first()
    if event is None:
        return
    idea = event.idea
    commune = connection.tenant
    recipients = (
        User.objects.filter(is_active=True, idea_follows__idea=idea)
        .exclude(pk=event.actor_id)
        .distinct()
    )
    url = site_url(commune.primary_domain).rstrip("/") + reverse("ideas:detail", args=[idea.pk])
    with translation.override(commune.default_language):
        for user in recipients:
            context = {"idea": idea, "event": event, "commune": commune, "url": url, "user": user,
                       "is_author": user.pk == idea.author_id}
            subject = render_to_string("ideas/email/status_changed_subject.txt", context).strip()
            body = render_to_string("ideas/email/status_changed_message.txt", context)
            notification_create(recipient=user, key=f"idea-status:{event_id}", message=subject,
                                url=reverse("ideas:detail", args=[idea.pk]))
            send_once(f"idea-status:{event_id}:{user.pk}",
                      commune_message(subject=commune_subject(subject), body=body, to=[user.email]))
