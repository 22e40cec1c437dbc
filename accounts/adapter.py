from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.db import connection
from django.utils import translation
from django_tenants.utils import get_public_schema_name

from civic.mail import commune_subject
from civic.tasks import enqueue_on_commit


def on_commune_site() -> bool:
    return connection.schema_name != get_public_schema_name()


class CommuneAccountAdapter(DefaultAccountAdapter):
    """Accounts belong to a commune: sign-up only on a commune's site, emails in its
    name and sent by the worker."""

    def is_open_for_signup(self, request):
        return on_commune_site()

    def format_email_subject(self, subject):
        return commune_subject(subject)

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        from accounts.tasks import send_email_confirmation

        enqueue_on_commit(
            send_email_confirmation,
            email_address_id=emailconfirmation.email_address.pk,
            signup=signup,
            base_url=request.build_absolute_uri("/"),
            language=translation.get_language(),
        )

    def send_mail(self, template_prefix, email, context):
        from accounts.tasks import commune_site, send_rendered_email

        request = context.get("request") or getattr(self, "request", None)
        ctx = {"email": email, "request": request}
        if on_commune_site():
            ctx.update({"current_site": commune_site(connection.tenant), "commune": connection.tenant})
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), None)
        enqueue_on_commit(send_rendered_email, subject=message.subject, body=message.body, html=html, to=message.to)


class CommuneSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return on_commune_site()
