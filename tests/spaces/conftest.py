"""Helpers for the project tests: projects written through spaces.services, and the items
they gather (calls, surveys, news) in every state a project must sort out."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context


def make_space(commune, agent, title="Mobilité douce", *, published=True, **fields):
    from spaces import services

    with tenant_context(commune):
        fields.setdefault("summary", f"Tout sur « {title} ».")
        return services.space_create(actor=agent, title=title, is_published=published, **fields)


def make_plain_survey(commune, slug, *, published=True, opened_days_ago=1, closes_in_days=None, **fields):
    """A survey without questions: enough for a list of consultations."""
    from surveys.models import Survey

    now = timezone.now()
    with tenant_context(commune):
        return Survey.objects.create(
            title=fields.pop("title", f"Enquête {slug}"), slug=slug, is_published=published,
            starts_at=now - timedelta(days=opened_days_ago),
            ends_at=now + timedelta(days=closes_in_days) if closes_in_days is not None else None, **fields)


