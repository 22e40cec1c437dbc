"""The author of moderated content hears why, by email and on the site, once per decision."""

from celery import shared_task
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.services import notification_create
from civic.mail import commune_message, commune_subject, send_once


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_decision(self, *, decision_id: int):
    from moderation.models import Decision

    decision = Decision.objects.select_related("target_user").filter(pk=decision_id).first()
    if decision is None or decision.target_user is None:
        return
    user = decision.target_user
    with translation.override(connection.tenant.default_language):
        subject = {
            Decision.Action.HIDE: _("Your contribution is hidden by the moderation"),
            Decision.Action.RESTORE: _("Your contribution is visible again"),
            Decision.Action.EDIT: _("Your comment was edited by the moderation"),
            Decision.Action.DISMISS: _("The reports about your contribution were dismissed"),
            Decision.Action.WARN: _("A warning from the moderation"),
            Decision.Action.BLOCK: _("You can no longer post for now"),
        }[decision.action]
        lines = [_("The moderators' reason:"), decision.reason]
        if decision.blocked_until:
            lines.append(_("You can still read everything; you may post again from %(date)s.")
                         % {"date": decision.blocked_until.strftime("%d/%m/%Y")})
        body = render_to_string("email/message.txt", {"lines": lines, "url": ""})
        notification_create(recipient=user, key=f"moderation:{decision_id}", message=f"{subject} — {decision.reason}")
        send_once(f"moderation:{decision_id}:{user.pk}",
                  commune_message(subject=commune_subject(subject), body=body, to=[user.email]))
