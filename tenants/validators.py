import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Names a commune may not take: they are ours, PostgreSQL's, or look like a host we serve.
RESERVED_SLUGS = frozenset(
    {
        "public", "www", "admin", "api", "static", "media", "mail", "smtp", "app",
        "template", "commune_template", "commune-template", "information_schema",
        "extensions", "platform", "civic", "test", "demo", "localhost", "postgres",
    }
)
SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
DOMAIN_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def validate_logo_size(file):
    if file and file.size > settings.LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo weighs %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.LOGO_MAX_BYTES)}
        )


def validate_commune_slug(slug: str) -> None:
    if not SLUG_RE.match(slug or ""):
        raise ValidationError(
            _("The slug must be 3 to 40 characters: lowercase letters, digits and hyphens, "
              "starting with a letter.")
        )
    if slug in RESERVED_SLUGS or slug.replace("-", "_") in RESERVED_SLUGS or slug.startswith("pg"):
        raise ValidationError(_("“%(slug)s” is reserved; choose another slug.") % {"slug": slug})


def normalise_domain(domain: str) -> str:
    return (domain or "").strip().lower().rstrip(".")


def validate_domain_name(domain: str) -> None:
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(DOMAIN_LABEL_RE.match(label) for label in labels):
        raise ValidationError(
            _("“%(domain)s” is not a valid domain name (e.g. bertrix.localhost or participation.bertrix.be).")
            % {"domain": domain}
        )
    if domain in {settings.PLATFORM_DOMAIN, "localhost", "127.0.0.1"}:
        raise ValidationError(_("“%(domain)s” is the platform's own address.") % {"domain": domain})
