"""Newsletters are sent by the workers, in the commune's schema. Every task takes ids and
may run any number of times (newsletters/services.py explains why nobody gets two copies)."""

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context

from civic.mail import send_once


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_newsletter(self, *, newsletter_id: int) -> int:
    """Prepare the deliveries if nobody has yet, then send batches until none is left.
    An SMTP or network error stops the batch (its accepted messages stay recorded) and the
    task is retried later; beat also resumes a newsletter nobody is sending."""
    from newsletters.services import newsletter_send

    return newsletter_send(newsletter_id=newsletter_id)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_test(self, *, newsletter_id: int, user_id: int, request_id: str) -> bool:
    """The newsletter as it stands, to one agent; ``request_id`` makes each request one email."""
    from accounts.models import User
    from newsletters import rendering
    from newsletters.models import Newsletter

    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if newsletter is None or user is None or not user.email:
        return False
    message = rendering.render(newsletter, test=True).personalise(to=user.email, token="test")
    return send_once(f"newsletter-test:{request_id}", message)


@shared_task
def send_due() -> None:
    """In one commune: start the scheduled newsletters whose time has come, and resume the
    ones no worker is sending any more."""
    from newsletters.services import newsletters_resume_stalled, newsletters_start_due

    newsletters_start_due()
    newsletters_resume_stalled()


@shared_task
def send_due_everywhere() -> None:
    """Celery beat, every minute: run send_due in every commune's schema."""
    from tenants.models import Commune

    with schema_context(get_public_schema_name()):
        schemas = list(Commune.objects.exclude(schema_name=get_public_schema_name())
                       .values_list("schema_name", flat=True))
    for schema in schemas:
        send_due.apply_async(headers={"_schema_name": schema})

