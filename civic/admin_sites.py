from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class CommuneAdminSite(admin.AdminSite):
    """The admin of one commune, where its agents work."""

    site_title = _("civic administration")

    def each_context(self, request):
        context = super().each_context(request)
        tenant = getattr(request, "tenant", None)
        name = tenant.name if tenant is not None and hasattr(tenant, "name") else "civic"
        context["site_header"] = _("%(commune)s · administration") % {"commune": name}
        context["site_url"] = "/"
        return context

    def get_app_list(self, request, app_label=None):
        """Without the apps of the modules the commune has switched off."""
        from civic.modules import admin_app_on

        tenant = getattr(request, "tenant", None)
        return [app for app in super().get_app_list(request, app_label)
                if admin_app_on(app["app_label"], tenant)]


class CommuneAdminConfig(AdminConfig):
    default_site = "civic.admin_sites.CommuneAdminSite"


class PlatformAdminSite(admin.AdminSite):
    """The consultants' admin, on the platform's own domain (public schema)."""

    site_header = _("civic · consultants")
    site_title = _("civic consultants")
    index_title = _("Communes of the platform")


platform_admin = PlatformAdminSite(name="platform_admin")


class AgentsOnly:
    """For ModelAdmins and inlines the commune's agents (and superusers) work in; other staff
    (analysts, committee, moderators) see nothing of them."""

    @staticmethod
    def _agent(request) -> bool:
        """Asked of the database once per request: the admin checks every ModelAdmin's
        permissions several times a page."""
        from ideas.rules import can_triage

        known = getattr(request, "_civic_agent", None)
        if known is None:
            known = request._civic_agent = can_triage(request.user)
        return known

    def has_module_permission(self, request):
        return self._agent(request)

    def has_view_permission(self, request, obj=None):
        return self._agent(request)

    def has_add_permission(self, request, *args):
        return self._agent(request)

    def has_change_permission(self, request, obj=None):
        return self._agent(request)

    def has_delete_permission(self, request, obj=None):
        return self._agent(request)
