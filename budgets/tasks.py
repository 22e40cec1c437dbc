"""Emails and notifications of participatory budgets, sent by the worker in the commune's
schema; each is sent once per person and event, whatever the retries."""

from celery import shared_task
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import Topic
from accounts.notify import tell


def _send(*, key: str, user, subject: str, lines: list[str], path: str, notify: bool = True,
          topic: str = Topic.BUDGET_STEPS) -> None:
    tell(users=[user], topic=topic, key=key, subject=subject, lines=lines, path=path, site=notify)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_receipt(self, *, ballot_id: int, receipt: str):
    """The voter's receipt: the code under which their ballot appears in the published
    anonymised ballots. A changed ballot has a new code and a new email."""
    from budgets.models import Ballot

    ballot = Ballot.objects.select_related("voter", "budget__call").filter(pk=ballot_id, receipt=receipt).first()
    if ballot is None or ballot.voter is None:
        return
    budget = ballot.budget
    with translation.override(connection.tenant.default_language):
        subject = _("Your vote for “%(title)s” is recorded") % {"title": budget.title}
        lines = [
            _("Your ballot for “%(title)s” is recorded. Its receipt code is:") % {"title": budget.title},
            f"    {receipt}",
            _("Once the results are published, you will find this code in the anonymised ballots, with your "
              "choices. You may change your vote until the vote closes; you will then receive a new code."),
        ]
        _send(key=f"ballot:{ballot_id}:{receipt}", user=ballot.voter, subject=subject, lines=lines,
              path=reverse("budgets:vote", args=[budget.slug]), notify=False, topic=Topic.SERVICE)


def _followers(budget):
    from accounts.models import User

    return User.objects.filter(is_active=True, budget_follows__budget=budget).distinct()


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def announce_phase(self, *, phase_id: int):
    """Tell a budget's followers that a step has opened."""
    from ideas.models import Phase

    phase = Phase.objects.select_related("call__budget").filter(pk=phase_id).first()
    if phase is None or not hasattr(phase.call, "budget"):
        return
    budget = phase.call.budget
    with translation.override(connection.tenant.default_language):
        subject = _("“%(title)s”: the step “%(step)s” is open") % {"title": budget.title,
                                                                    "step": phase.get_kind_display()}
        lines = [phase.description]
        for user in _followers(budget):
            _send(key=f"phase-open:{phase_id}", user=user, subject=subject, lines=lines,
                  path=reverse("budgets:detail", args=[budget.slug]))


@shared_task
def announce_phases():
    """In one commune: mark each newly opened step announced (once) and queue its emails."""
    from budgets.services import phase_mark_announced, phases_to_announce

    for phase_id in list(phases_to_announce().values_list("pk", flat=True)):
        if phase_mark_announced(phase_id=phase_id):
            announce_phase.apply_async(kwargs={"phase_id": phase_id},
                                       headers={"_schema_name": connection.schema_name})


@shared_task
def announce_phases_everywhere():
    """Celery beat: run announce_phases in every commune's schema."""
    from tenants.models import Commune

    with schema_context(get_public_schema_name()):
        schemas = list(Commune.objects.exclude(schema_name=get_public_schema_name())
                       .values_list("schema_name", flat=True))
    for schema in schemas:
        announce_phases.apply_async(headers={"_schema_name": schema})


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_results(self, *, budget_id: int):
    from budgets.models import Budget

    budget = Budget.objects.select_related("call").filter(pk=budget_id).first()
    if budget is None:
        return
    with translation.override(connection.tenant.default_language):
        subject = _("The results of “%(title)s” are published") % {"title": budget.title}
        lines = [_("The votes are counted: see the winning projects and why each project won or lost.")]
        for user in _followers(budget):
            _send(key=f"results:{budget_id}", user=user, subject=subject, lines=lines,
                  path=reverse("budgets:results", args=[budget.slug]))


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_project_update(self, *, update_id: int):
    from accounts.models import User
    from budgets.models import ProjectUpdate

    update = ProjectUpdate.objects.select_related("idea").filter(pk=update_id).first()
    if update is None:
        return
    idea = update.idea
    recipients = User.objects.filter(is_active=True, idea_follows__idea=idea).exclude(pk=update.author_id).distinct()
    with translation.override(connection.tenant.default_language):
        subject = _("News of the project “%(title)s”") % {"title": idea.title}
        lines = [update.title, update.body, _("Progress: %(progress)d%%") % {"progress": update.progress}]
        for user in recipients:
            _send(key=f"project-update:{update_id}", user=user, subject=subject, lines=lines,
                  path=reverse("ideas:detail", args=[idea.pk]), topic=Topic.FOLLOWED)
