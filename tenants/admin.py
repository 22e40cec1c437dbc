"""The consultants' admin (public schema): communes, their domains, consultants."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User
from civic.admin_sites import platform_admin
from tenants.models import Commune, Domain, Language, Module, colour_validator
from tenants.selectors import affiliates_cache_clear
from tenants.services import commune_create, commune_delete, commune_parent_check, commune_validate


class CommuneForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    modules = forms.MultipleChoiceField(
        label=_("Modules switched on"), choices=Module.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    primary_colour = forms.CharField(
        label=_("Primary colour"), max_length=7, validators=[colour_validator],
        widget=forms.TextInput(attrs={"type": "color"}),
    )

    class Meta:
        model = Commune
        fields = ["name", "slug", "population", "parent", "languages", "default_language", "logo", "primary_colour",
                  "target_users", "modules", "contact_email", "map_latitude", "map_longitude", "welcome_text",
                  "terms_of_use", "privacy_policy", "budget_texts", "auto_hide_reports", "pre_moderation",
                  "review_words", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            from django_tenants.utils import get_public_schema_name

            communes = Commune.objects.exclude(schema_name=get_public_schema_name()).order_by("name")
            if self.instance.pk is not None:
                communes = communes.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = communes

    def clean_budget_texts(self):
        """{language: [{"title": …, "body": …}, …]} for languages the platform speaks."""
        texts = self.cleaned_data.get("budget_texts") or {}
        languages = dict(settings.LANGUAGES)
        valid = isinstance(texts, dict) and all(
            language in languages and isinstance(sections, list) and all(
                isinstance(section, dict) and set(section) == {"title", "body"}
                and all(isinstance(value, str) and value.strip() for value in section.values())
                for section in sections)
            for language, sections in texts.items())
        if not valid:
            raise forms.ValidationError(_('Write {"fr": [{"title": "…", "body": "…"}], "nl": […]}: '
                                          'a list of sections with a title and a text per language.'))
        return texts

    def clean(self):
        cleaned = super().clean()
        languages = cleaned.get("languages") or []
        if cleaned.get("default_language") and languages and cleaned["default_language"] not in languages:
            self.add_error("default_language", _("The default language must be one of the languages offered."))
        if "parent" in self.fields and not self.has_error("parent"):
            try:
                commune_parent_check(commune=self.instance, parent=cleaned.get("parent"))
            except ValidationError as error:
                for message in error.message_dict.get("parent", []):
                    self.add_error("parent", message)
        return cleaned


class CommuneCreationForm(CommuneForm):
    domain = forms.CharField(label=_("Domain"), help_text=_("e.g. bertrix.localhost or participation.bertrix.be"))
    agent_email = forms.EmailField(
        label=_("First agent's email"), required=False,
        help_text=_("They receive an invitation to choose a password and log into the commune's admin."),
    )
    neighbourhoods = forms.CharField(
        label=_("Neighbourhoods"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )

    class Meta(CommuneForm.Meta):
        fields = ["name", "slug", "domain", "population", "parent", "languages", "default_language", "agent_email",
                  "neighbourhoods", "logo", "primary_colour", "target_users", "modules", "contact_email",
                  "welcome_text", "terms_of_use", "privacy_policy", "is_active"]

    def validate_unique(self):
        """Uniqueness is the service's to check, with its own messages (below)."""

    def _post_clean(self):
        # Field validators of the model (colour, logo size and type), then the checks of
        # the service that will create the commune.
        super()._post_clean()
        data = self.cleaned_data
        try:
            commune_validate(
                name=data.get("name", ""), slug=data.get("slug", ""), domain=data.get("domain", ""),
                population=data.get("population", 0), languages=data.get("languages") or [],
                default_language=data.get("default_language"), agent_email=data.get("agent_email"),
                modules=data.get("modules"),
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    self.add_error(field if field in self.fields else None, message)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Commune, site=platform_admin)
class CommuneAdmin(admin.ModelAdmin):
    form = CommuneForm
    list_display = ["name", "slug", "site_link", "population", "languages", "is_active", "created_at"]
    list_filter = ["is_active", "default_language"]
    search_fields = ["name", "slug", "domains__domain"]
    readonly_fields = ["schema_name", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    @admin.display(description=_("Site"))
    def site_link(self, obj):
        primary = next((d for d in obj.domains.all() if d.is_primary), None)
        if primary is None:
            return "—"
        from tenants.models import site_url

        return format_html('<a href="{0}">{0}</a>', site_url(primary.domain))

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CommuneCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return CommuneCreationForm.Meta.fields
        return ["schema_name", *CommuneForm.Meta.fields, "affiliate_list", "created_at"]

    def get_inlines(self, request, obj):
        return [DomainInline] if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["schema_name", "slug", "affiliate_list", "created_at"]

    @admin.display(description=_("Affiliated communes"))
    def affiliate_list(self, obj):
        affiliates = obj.affiliates.order_by("name") if obj.pk else []
        if not affiliates:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a>{}</li>', (
                (reverse("platform_admin:tenants_commune_change", args=[affiliate.pk]), affiliate.name,
                 "" if affiliate.is_active else format_html(" ({})", _("not listed")))
                for affiliate in affiliates)),
        )

    def save_model(self, request, obj, form, change):
        if change:
            if "parent" in form.changed_data and obj.parent_id is not None:
                # Checked again with both rows locked (the admin's view is one transaction):
                # two communes affiliated to each other at the same moment make no loop.
                locked = {row.pk: row for row in Commune.objects.select_for_update()
                          .filter(pk__in=[obj.pk, obj.parent_id]).order_by("pk")}
                commune_parent_check(commune=obj, parent=locked[obj.parent_id])
            super().save_model(request, obj, form, change)
            if "parent" in form.changed_data:
                previous, parent = Commune.objects.filter(pk=form.initial.get("parent")).first(), obj.parent
                transaction.on_commit(lambda: affiliates_cache_clear(previous, parent))
            return
        data = form.cleaned_data
        settings_fields = {
            field: data[field]
            for field in ["logo", "primary_colour", "target_users", "contact_email", "welcome_text",
                          "terms_of_use", "privacy_policy", "is_active"]
            if data.get(field) not in (None, "")
        }
        created = commune_create(
            name=data["name"], slug=data["slug"], domain=data["domain"], population=data["population"],
            languages=data["languages"], default_language=data["default_language"],
            agent_email=data.get("agent_email") or None, modules=data.get("modules") or [],
            neighbourhoods=[line for line in data.get("neighbourhoods", "").splitlines() if line.strip()],
            parent=data.get("parent"),
            **settings_fields,
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the created row.
        obj.pk = created.pk
        obj.schema_name = created.schema_name
        obj._state.adding = False
        obj._state.db = created._state.db
        messages.info(request, _("The schema of %(name)s was created.") % {"name": created.name})

    def delete_model(self, request, obj):
        commune_delete(commune=obj)

    def delete_queryset(self, request, queryset):
        for commune in queryset:
            commune_delete(commune=commune)


platform_admin.register(User, UserAdmin)
