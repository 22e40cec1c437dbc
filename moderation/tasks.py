"""The author of moderated content hears why, by email and on the site, once per decision."""

from celery import shared_task
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Topic
from accounts.notify import tell
from accounts.services import notification_create


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
        tell(users=[user], topic=Topic.SERVICE, key=f"moderation:{decision_id}", subject=subject, lines=lines,
             site=False)
        # On the site, the reason is part of the notification itself.
        notification_create(recipient=user, key=f"moderation:{decision_id}", message=f"{subject} — {decision.reason}"[:300])
