"""Creating a commune: one function for the CLI, the consultants' admin and the benchmark."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists, tenant_context

from tenants.models import Commune, Domain, Language, Module, site_url
from tenants.validators import normalise_domain, validate_commune_slug, validate_domain_name


def commune_validate(
    *,
    name: str,
    slug: str,
    domain: str,
    population: int,
    languages: list[str],
    default_language: str | None = None,
    agent_email: str | None = None,
    modules: list[str] | None = None,
) -> dict:
    """Check everything a new commune needs before anything is written.

    Returns the cleaned values; raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    name = (name or "").strip()
    if not name:
        fail("name", _("The commune needs a name."))
    slug = (slug or "").strip().lower()
    try:
        validate_commune_slug(slug)
    except ValidationError as error:
        fail("slug", error.messages[0])
    else:
        if Commune.objects.filter(slug=slug).exists() or schema_exists(slug.replace("-", "_")):
            fail("slug", _("The slug “%(slug)s” is already taken.") % {"slug": slug})
    domain = normalise_domain(domain)
    try:
        validate_domain_name(domain)
    except ValidationError as error:
        fail("domain", error.messages[0])
    else:
        if Domain.objects.filter(domain=domain).exists():
            fail("domain", _("The domain “%(domain)s” already belongs to a commune.") % {"domain": domain})
    if population is None or int(population) < 0:
        fail("population", _("The population must be a positive number."))
    languages = list(dict.fromkeys(languages or []))
    unknown = [code for code in languages if code not in Language.values]
    if not languages or unknown:
        fail("languages", _("Choose one or more languages among: %(codes)s.") % {"codes": ", ".join(Language.values)})
    default_language = default_language or (languages[0] if languages else None)
    if languages and default_language not in languages:
        fail("default_language", _("The default language must be one of the languages offered."))
    if agent_email:
        try:
            validate_email(agent_email)
        except ValidationError:
            fail("agent_email", _("“%(email)s” is not a valid email address.") % {"email": agent_email})
    modules = list(Module.values) if modules is None else list(modules)
    if any(module not in Module.values for module in modules):
        fail("modules", _("Unknown module."))
    if errors:
        raise ValidationError(errors)
    return {
        "name": name, "slug": slug, "domain": domain, "population": int(population),
        "languages": languages, "default_language": default_language,
        "agent_email": (agent_email or "").strip().lower() or None, "modules": modules,
    }


def commune_create(
    *,
    name: str,
    slug: str,
    domain: str,
    population: int,
    languages: list[str] = (Language.FR,),
    default_language: str | None = None,
    agent_email: str | None = None,
    agent_password: str | None = None,
    modules: list[str] | None = None,
    neighbourhoods: list[str] = (),
    parent: Commune | None = None,
    **settings_fields,
) -> Commune:
    """Create a commune, its schema (cloned from the template), its primary domain,
    its roles, neighbourhoods and first agent: all of it or none of it.

    ``settings_fields`` are further Commune fields (primary_colour, logo, target_users,
    contact_email, welcome_text, terms_of_use, privacy_policy…). ``parent``: the parent
    space (agglomeration) the commune is affiliated to, checked by ``commune_parent_check``."""
    from accounts.models import Neighbourhood
    from accounts.services import staff_member_create

    cleaned = commune_validate(
        name=name, slug=slug, domain=domain, population=population, languages=list(languages),
        default_language=default_language, agent_email=agent_email, modules=modules,
    )
    commune = Commune(
        schema_name=cleaned["slug"].replace("-", "_"),
        name=cleaned["name"],
        slug=cleaned["slug"],
        population=cleaned["population"],
        languages=cleaned["languages"],
        default_language=cleaned["default_language"],
        modules=cleaned["modules"],
        parent=parent,
        **settings_fields,
    )
    commune.full_clean(exclude=["schema_name"])
    commune_parent_check(commune=commune, parent=parent)
    # PostgreSQL DDL is transactional: schema, rows and users commit together or not at all.
    with transaction.atomic():
        commune.save(verbosity=0)
        Domain.objects.create(domain=cleaned["domain"], tenant=commune, is_primary=True)
        with tenant_context(commune):
            # The role groups came with the clone; post_migrate (faked) brought them up to date.
            for position, neighbourhood in enumerate(neighbourhoods):
                Neighbourhood.objects.create(name=neighbourhood.strip(), position=position)
            if cleaned["agent_email"]:
                staff_member_create(
                    email=cleaned["agent_email"], password=agent_password,
                    base_url=site_url(cleaned["domain"]),
                )
    return commune


def commune_parent_check(*, commune: Commune, parent: Commune | None) -> None:
    """The rule of affiliation: a commune may belong to one parent space (an agglomeration,
    an intercommunal body), never to itself, and on one level only: a parent space has no
    parent, and a commune with affiliates cannot become one (so no loop can form).

    Raises ValidationError on the ``parent`` field."""
    from django_tenants.utils import get_public_schema_name

    if parent is None:
        return
    public = get_public_schema_name()
    if parent.schema_name == public or commune.schema_name == public:
        raise ValidationError({"parent": _("The platform itself cannot be a parent space or be affiliated.")})
    if commune.pk is not None and parent.pk == commune.pk:
        raise ValidationError({"parent": _("A commune cannot be affiliated to itself.")})
    if commune.pk is not None and parent.parent_id == commune.pk:
        raise ValidationError({"parent": _(
            "%(parent)s is affiliated to %(commune)s: affiliating %(commune)s to it would make a loop."
        ) % {"parent": parent.name, "commune": commune.name}})
    if parent.parent_id is not None:
        raise ValidationError({"parent": _(
            "%(parent)s is itself affiliated to %(grandparent)s: only a commune without a parent space "
            "can be a parent space."
        ) % {"parent": parent.name, "grandparent": parent.parent.name}})
    if commune.pk is not None and Commune.objects.filter(parent_id=commune.pk).exists():
        raise ValidationError({"parent": _(
            "%(commune)s has affiliated communes: a parent space cannot itself be affiliated."
        ) % {"commune": commune.name}})


@transaction.atomic
def commune_set_parent(*, commune: Commune, parent: Commune | None) -> Commune:
    """Affiliate ``commune`` to ``parent`` (or to nothing), by the rule above. Both rows are
    locked first: two consultants affiliating two communes to each other at the same time
    cannot make a loop."""
    from tenants.selectors import affiliates_cache_clear

    ids = [commune.pk] + ([parent.pk] if parent is not None else [])
    locked = {row.pk: row for row in Commune.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    commune = locked[commune.pk]
    parent = locked.get(parent.pk) if parent is not None else None
    commune_parent_check(commune=commune, parent=parent)
    previous = commune.parent
    commune.parent = parent
    commune.save(update_fields=["parent"])
    transaction.on_commit(lambda: affiliates_cache_clear(previous, parent))
    return commune


def platform_ensure() -> Commune:
    """The public schema's own row and the platform's domain (landing page, consultants'
    admin). Run by ``migrate``; follows PLATFORM_DOMAIN when it changes."""
    from django.conf import settings
    from django_tenants.utils import get_public_schema_name

    public, _created = Commune.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"name": "civic", "slug": "public", "population": 0, "is_active": False, "modules": []},
    )
    Domain.objects.filter(tenant=public).exclude(domain=settings.PLATFORM_DOMAIN).update(is_primary=False)
    Domain.objects.update_or_create(
        domain=settings.PLATFORM_DOMAIN, defaults={"tenant": public, "is_primary": True}
    )
    return public


def commune_delete(*, commune: Commune) -> None:
    """Remove a commune, its domains and its schema with everything in it."""
    with transaction.atomic():
        commune.delete(force_drop=True)
