"""Account emails, sent by the worker in the schema of the commune that queued them."""

from types import SimpleNamespace

from celery import shared_task
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from civic.mail import commune_message, commune_subject, send_once

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


def commune_site(commune) -> SimpleNamespace:
    """What allauth's email templates call ``current_site``, for the current commune."""
    return SimpleNamespace(name=commune.name, domain=commune.primary_domain)


def render_email(template_prefix: str, to: str, context: dict) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).splitlines()).strip()
    body = render_to_string(f"{template_prefix}_message.txt", context).strip()
    return commune_message(subject=commune_subject(subject), body=body, to=[to])


@shared_task(bind=True, **RETRY)
def send_email_confirmation(self, *, email_address_id: int, signup: bool, base_url: str, language: str):
    """Build the confirmation link from the address stored in this commune's schema."""
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    email_address = EmailAddress.objects.select_related("user").filter(pk=email_address_id).first()
    if email_address is None or email_address.verified:
        return
    key = EmailConfirmationHMAC(email_address).key
    activate_url = base_url.rstrip("/") + reverse("account_confirm_email", args=[key])
    prefix = "account/email/email_confirmation_signup" if signup else "account/email/email_confirmation"
    with translation.override(language):
        message = render_email(prefix, email_address.email, {
            "user": email_address.user,
            "activate_url": activate_url,
            "key": key,
            "current_site": commune_site(connection.tenant),
            "commune": connection.tenant,
        })
    send_once(self.request.id or f"confirm:{email_address_id}", message)


@shared_task(bind=True, **RETRY)
def send_staff_invitation(self, *, user_id: int, base_url: str):
    """Invite a new member of staff to choose their password."""
    from allauth.account.utils import user_pk_to_url_str

    from accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None or user.has_usable_password():
        return
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    commune = connection.tenant
    with translation.override(commune.default_language):
        message = render_email("accounts/email/staff_invitation", user.email, {
            "user": user,
            "password_url": base_url.rstrip("/") + path,
            "admin_url": base_url.rstrip("/") + reverse("admin:index"),
            "current_site": commune_site(commune),
            "commune": commune,
        })
    send_once(self.request.id or f"invite:{user_id}", message)


@shared_task(bind=True, **RETRY)
def send_rendered_email(self, *, subject: str, body: str, html: str | None, to: list[str]):
    """Send a message rendered during the request (password reset and the like)."""
    send_once(self.request.id, commune_message(subject=subject, body=body, to=to, html=html))
