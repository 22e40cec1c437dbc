"""Which parts of a commune's site are switched on (``Commune.modules``, chosen by the consultant).

A module switched off disappears: its pages answer 404 (the same page as anything that does
not exist), its links leave the menus and the home page, its models leave the admin. Its data
stays in the commune's schema and comes back as it was when the module is switched on again.

Always on, whatever the switches: accounts, terms and charter, content moderation (reports on
ideas, comments and answers are how a commune keeps its terms), personal data, and the
newsletter links already in people's mailboxes (unsubscribe, open and click tracking)."""

from __future__ import annotations

from django.db import connection
from django.http import Http404

from tenants.models import Module

# A page needs at least one of these modules switched on. The ideas app serves the calls for
# ideas and the projects of participatory budgets alike: its pages stay while either is on,
# and each call answers by its own kind (``call_kinds_on``).
NAMESPACES: dict[str, tuple[str, ...]] = {
    "ideas": (Module.IDEAS, Module.BUDGETS),
    "budgets": (Module.BUDGETS,),
    "surveys": (Module.SURVEYS,),
    "problems": (Module.MODERATION,),
    "messaging": (Module.MODERATION,),
    "news": (Module.NEWS,),
    "reports": (Module.REPORTS,),
    "spaces": (Module.SPACES,),
}
URL_NAMES: dict[str, tuple[str, ...]] = {
    "transparency": (Module.REPORTS,),
    "open_data": (Module.REPORTS,),
    "open_data_file": (Module.REPORTS,),
}
# Each app's admin goes with its pages (an app label is its URL namespace); the newsletters
# have no page to switch off (their public links always work) but their admin goes.
ADMIN_APPS: dict[str, tuple[str, ...]] = {**NAMESPACES, "newsletters": (Module.NEWSLETTERS,)}


def switched_on(tenant=None) -> frozenset[str]:
    """The modules on for ``tenant`` (the current schema's commune by default). Outside a
    commune (the platform's pages, a task without a tenant) nothing is switched off."""
    tenant = tenant if tenant is not None else getattr(connection, "tenant", None)
    modules = getattr(tenant, "modules", None)
    if modules is None or getattr(tenant, "schema_name", "public") == "public":
        return frozenset(Module.values)
    return frozenset(modules)


def any_on(required: tuple[str, ...], tenant=None) -> bool:
    on = switched_on(tenant)
    return any(module in on for module in required)


def admin_app_on(app_label: str, tenant=None) -> bool:
    required = ADMIN_APPS.get(app_label)
    return required is None or any_on(required, tenant)


def _admin_app_label(view_func, match) -> str | None:
    model_admin = getattr(view_func, "model_admin", None)
    if model_admin is not None:
        return model_admin.model._meta.app_label
    if match.kwargs.get("app_label"):
        return match.kwargs["app_label"]
    # Views a ModelAdmin adds itself (the dashboard, a report's progress) are named
    # "<app>_<model>_<view>".
    name = match.url_name or ""
    return next((label for label in ADMIN_APPS if name.startswith(f"{label}_")), None)


class ModuleMiddleware:
    """Answers 404 for the pages of a module the commune has switched off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        tenant = getattr(request, "tenant", None)
        match = getattr(request, "resolver_match", None)
        if tenant is None or match is None or tenant.schema_name == "public":
            return None
        namespace = match.namespaces[0] if match.namespaces else ""
        if namespace == "admin":
            label = _admin_app_label(view_func, match)
            if label is not None and not admin_app_on(label, tenant):
                raise Http404
            return None
        required = NAMESPACES.get(namespace) if namespace else URL_NAMES.get(match.url_name or "")
        if required is not None and not any_on(required, tenant):
            raise Http404
        return None


def template_flags(tenant) -> dict[str, bool]:
    """For the menus: ``modules_on.budgets`` … and ``modules_on.participation`` (calls for
    ideas or budgets: the "Take part" pages)."""
    on = switched_on(tenant)
    flags = {module: module in on for module in Module.values}
    flags["participation"] = flags[Module.IDEAS] or flags[Module.BUDGETS]
    return flags
