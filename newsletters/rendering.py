"""The email of a newsletter, rendered once for everybody and personalised per recipient by
putting their token in place of ``TOKEN_PLACEHOLDER`` (the unsubscribe link and header, the
open pixel, the tracked links). Every link points at the commune's own domain.

Tracked links go to ``/lettres/c/<token>/?u=<signed>``: the destination is signed with
django.core.signing, salted with the commune's schema, and carries the newsletter's id, so
the click view redirects only to addresses a newsletter of this commune contained (no
open redirect)."""

import re
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import urlencode, urljoin, urlsplit

from django.core import signing
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civic.mail import commune_message, commune_subject
from civic.richtext import EMAIL, body_to_text, sanitise_html
from tenants.models import site_url

# Stands for each recipient's token while an email is rendered once for everybody; never
# allowed in a body.
TOKEN_PLACEHOLDER = "xCIVICTOKENx"

_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")', re.IGNORECASE)
_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")', re.IGNORECASE)


def sanitise_body(value: str) -> str:
    """The allowed part of a newsletter's body (civic.richtext, the email profile: simple
    formatting, links, images by address), safe to put in an email or a page as HTML."""
    return sanitise_html((value or "").replace(TOKEN_PLACEHOLDER, ""), EMAIL)


def base_url() -> str:
    """``https://<the commune's primary domain>`` (with the port in development)."""
    return site_url(connection.tenant.primary_domain).rstrip("/")


def _click_salt() -> str:
    return f"newsletters.click:{connection.schema_name}"


def sign_link(newsletter_id: int, url: str) -> str:
    return signing.dumps({"n": newsletter_id, "u": url}, salt=_click_salt(), compress=True)


def read_link(value: str) -> tuple[int, str]:
    """(newsletter id, destination) of a signed link; BadSignature if it was not ours."""
    data = signing.loads(value, salt=_click_salt())
    if not isinstance(data, dict) or not isinstance(data.get("n"), int) or not isinstance(data.get("u"), str):
        raise signing.BadSignature("Unexpected payload.")
    if urlsplit(data["u"]).scheme not in ("http", "https"):
        raise signing.BadSignature("Not a web address.")
    return data["n"], data["u"]


def tracked_body(newsletter, *, base: str) -> str:
    """The sanitised body with absolute addresses and every web link going through the
    click view (mailto and tel links are left as they are)."""
    click_path = reverse("newsletters:click", args=[TOKEN_PLACEHOLDER])

    def link(match):
        target = urljoin(base + "/", unescape(match.group(2)).strip())
        if urlsplit(target).scheme in ("http", "https"):
            target = f"{base}{click_path}?{urlencode({'u': sign_link(newsletter.pk, target)})}"
        return match.group(1) + escape(target) + match.group(3)

    def image(match):
        return match.group(1) + escape(urljoin(base + "/", unescape(match.group(2)).strip())) + match.group(3)

    return _SRC.sub(image, _HREF.sub(link, newsletter.body))


@dataclass(frozen=True)
class Email:
    """A newsletter's email for everybody; ``personalise`` makes one person's."""

    newsletter_id: int
    subject: str
    html: str
    text: str
    unsubscribe_url: str  # with the placeholder; empty for a test email

    def personalise(self, *, to: str, token: str):
        message = commune_message(subject=self.subject, body=self.text.replace(TOKEN_PLACEHOLDER, token),
                                  to=[to], html=self.html.replace(TOKEN_PLACEHOLDER, token))
        message.extra_headers["X-Civic-Newsletter"] = str(self.newsletter_id)
        if self.unsubscribe_url:
            # RFC 2369 and RFC 8058: mail programs show an "Unsubscribe" button that POSTs here.
            message.extra_headers["List-Unsubscribe"] = f"<{self.unsubscribe_url.replace(TOKEN_PLACEHOLDER, token)}>"
            message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return message


def render(newsletter, *, test: bool = False, pixel: bool = True) -> Email:
    """The email of ``newsletter`` in the commune's language. A test email (to an agent)
    has no open pixel and no unsubscribe header; its footer says it is a test. ``pixel``
    False: no open pixel (the admin's preview)."""
    commune = connection.tenant
    base = base_url()
    with translation.override(commune.default_language):
        body = tracked_body(newsletter, base=base)
        unsubscribe = "" if test else base + reverse("newsletters:unsubscribe", args=[TOKEN_PLACEHOLDER])
        context = {
            "commune": commune,
            "subject": newsletter.subject,
            "body": mark_safe(body),  # sanitised on save (sanitise_body: civic/richtext.py), links rebuilt above
            "body_text": body_to_text(body),
            "site_url": base + "/",
            "unsubscribe_url": unsubscribe,
            "preferences_url": base + reverse("notification_preferences"),
            "pixel_url": "" if test or not pixel else base + reverse("newsletters:open", args=[TOKEN_PLACEHOLDER]),
            "test": test,
        }
        subject = commune_subject(newsletter.subject)
        if test:
            subject = _("[Test] %(subject)s") % {"subject": subject}
        return Email(newsletter_id=newsletter.pk, subject=subject,
                     html=render_to_string("newsletters/email.html", context),
                     text=render_to_string("newsletters/email.txt", context), unsubscribe_url=unsubscribe)
