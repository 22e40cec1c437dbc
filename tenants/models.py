"""The communes (tenants) and the domains they answer at. Lives in the public schema."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.storage import platform_storage
from tenants.validators import validate_logo_size


class Language(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    EN = "en", _("English")


class Module(models.TextChoices):
    IDEAS = "ideas", _("Calls for ideas")
    BUDGETS = "budgets", _("Participatory budgets")
    SURVEYS = "surveys", _("Surveys and polls")
    MODERATION = "moderation", _("Reports and messages")
    NEWS = "news", _("News")
    NEWSLETTERS = "newsletters", _("Newsletters")
    REPORTS = "reports", _("Reports")
    SPACES = "spaces", _("Projects")


def default_languages():
    return [Language.FR]


def default_modules():
    return [Module.IDEAS, Module.BUDGETS, Module.SURVEYS]


DEFAULT_PRIMARY_COLOUR = "#1d4ed8"  # the platform's own, and a new commune's until it chooses

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits, e.g. #1d4ed8.")
)


class Commune(TenantMixin):
    """What a consultant configures for a commune; its schema holds everything else."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    population = models.PositiveIntegerField(_("population"))
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language.choices),
        verbose_name=_("languages offered"),
        default=default_languages,
    )
    default_language = models.CharField(
        _("default language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        storage=platform_storage,
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp", "gif"]), validate_logo_size],
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default=DEFAULT_PRIMARY_COLOUR, validators=[colour_validator]
    )
    target_users = models.PositiveIntegerField(
        _("target number of registered users"), null=True, blank=True
    )
    modules = ArrayField(
        models.CharField(max_length=20, choices=Module.choices),
        verbose_name=_("modules switched on"),
        default=default_modules,
        blank=True,
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    map_latitude = models.DecimalField(_("map centre latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    map_longitude = models.DecimalField(_("map centre longitude"), max_digits=9, decimal_places=6, null=True,
                                        blank=True)
    welcome_text = models.TextField(_("welcome text"), blank=True)
    terms_of_use = models.TextField(_("terms of use"), blank=True)
    privacy_policy = models.TextField(_("privacy policy"), blank=True)
    terms_version = models.PositiveIntegerField(
        _("current version of the terms of use"), default=0, editable=False,
        help_text=_("Set when the commune publishes a new version; 0: the first text, never versioned."))
    auto_hide_reports = models.PositiveSmallIntegerField(
        _("hide content pending review after this many reports"), default=3,
        help_text=_("0: never hide automatically."))
    pre_moderation = models.BooleanField(
        _("pre-moderation"), default=False,
        help_text=_("New ideas and comments wait for a moderator's approval before they are shown."))
    review_words = models.TextField(
        _("words that send content to review"), blank=True,
        help_text=_("One per line; accents and capitals do not matter."))
    budget_texts = models.JSONField(
        _("teaching texts of new participatory budgets"), default=dict, blank=True,
        help_text=_('Per language: [{"title": …, "body": …}]. Empty: the platform\'s texts.'),
    )
    is_active = models.BooleanField(_("listed on the platform"), default=True)
    # An agglomeration or intercommunal body: its site shows what its affiliated communes
    # consult on; each affiliate keeps its own schema, admin and agents. One level only
    # (tenants.services.commune_parent_check).
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="affiliates",
        verbose_name=_("parent space"),
        help_text=_("The agglomeration or intercommunal body this commune is affiliated to."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    auto_create_schema = True
    # Deleting a commune row drops its schema with it (no orphan schemas).
    auto_drop_schema = True

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def primary_domain(self) -> str | None:
        # Through .all() so that a prefetch_related("domains") serves every commune of a list.
        domain = next((d for d in self.domains.all() if d.is_primary), None)
        return domain.domain if domain else None

    @property
    def url(self) -> str:
        return site_url(self.primary_domain or "")

    # The routing middleware loads the host's commune with these two annotated
    # (tenants.selectors.commune_for_host): the footer of every page reads them without a
    # query. Elsewhere they are asked of the database.
    @cached_property
    def has_affiliates(self) -> bool:
        """Whether listed communes are affiliated to this one (its "Affiliated communes" page)."""
        if self.pk is None:
            return False
        return self.affiliates.filter(is_active=True).exists()

    @cached_property
    def parent_primary_domain(self) -> str | None:
        return self.parent.primary_domain if self.parent_id is not None else None

    @property
    def parent_url(self) -> str | None:
        domain = self.parent_primary_domain
        return site_url(domain) if domain else None

    @property
    def primary_text_colour(self) -> str:
        """Black or white, whichever reads better on the primary colour (WCAG contrast)."""
        return best_text_colour(self.primary_colour)

    @property
    def map_centre(self) -> dict:
        """Where the commune's maps open (Belgium as a whole until a centre is set)."""
        if self.map_latitude is None or self.map_longitude is None:
            return {"lat": 50.5, "lon": 4.6, "zoom": 8}
        return {"lat": float(self.map_latitude), "lon": float(self.map_longitude), "zoom": 13}

    def module_enabled(self, module: str) -> bool:
        return module in self.modules

    @property
    def module_labels(self) -> list[str]:
        return [Module(code).label for code in self.modules if code in Module.values]


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.domain


def site_url(domain: str) -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{domain}{port}/"


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def best_text_colour(background: str) -> str:
    return max(("#ffffff", "#000000"), key=lambda text: contrast_ratio(background, text))
