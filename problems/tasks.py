"""Notifications about problem reports, sent by the worker in the commune's schema."""

from celery import shared_task
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Topic
from accounts.notify import tell


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_status_change(self, *, event_id: int):
    """Tell the reporter and the followers of a report that its status changed: a
    notification on the site and an email, once per event and person whatever the retries."""
    from accounts.models import User
    from problems.models import ProblemEvent, Status

    event = (ProblemEvent.objects.select_related("problem__category")
             .filter(pk=event_id, kind=ProblemEvent.Kind.STATUS).first())
    if event is None:
        return
    problem = event.problem
    commune = connection.tenant
    recipients = (
        User.objects.filter(is_active=True)
        .filter(Q(problem_follows__problem=problem) | Q(pk=problem.reporter_id))
        .exclude(pk=event.actor_id)
        .distinct()
        .order_by("pk")
    )
    path = reverse("problems:detail", args=[problem.pk])
    with translation.override(commune.default_language):
        facts = {"reference": problem.reference, "category": problem.category.name, "address": problem.address,
                 "status": Status(event.to_status).label,
                 "date": date_format(timezone.localtime(problem.created_at), "SHORT_DATE_FORMAT")}
        subject = _("Report %(reference)s (%(category)s): %(status)s") % facts
        for user in recipients:
            if user.pk == problem.reporter_id:
                first = _("The problem you reported on %(date)s (%(category)s, %(address)s) is now "
                          "“%(status)s”.") % facts
            else:
                first = _("The problem you follow (%(category)s, %(address)s) is now “%(status)s”.") % facts
            lines = [first]
            if event.message:
                lines += [_("The commune's message:"), event.message]
            lines.append(_("The report and its history:"))
            tell(users=[user], topic=Topic.MINE if user.pk == problem.reporter_id else Topic.FOLLOWED,
                 key=f"problem-status:{event_id}", subject=subject, lines=lines, path=path)
