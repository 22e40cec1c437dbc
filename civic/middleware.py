"""Host routing and language choice, both decided by the commune a request is for."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name


class CommuneRoutingMiddleware(TenantMainMiddleware):
    """Picks the commune's schema from the host; an unknown host gets a clear 404 page."""

    def get_tenant(self, domain_model, hostname):
        """The commune in one query, as django-tenants does, with its parent space and
        whether it has affiliates: the footer of every page shows them without a query."""
        from tenants.models import Commune
        from tenants.selectors import commune_for_host

        try:
            return commune_for_host(hostname)
        except Commune.DoesNotExist:
            raise domain_model.DoesNotExist from None

    def no_tenant_found(self, request, hostname):
        translation.activate(settings.LANGUAGE_CODE)
        return render(request, "no_commune.html", {"hostname": hostname}, status=404)


def is_commune_request(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is not None and tenant.schema_name != get_public_schema_name()


def offered_languages(request) -> list[str]:
    if is_commune_request(request):
        return list(request.tenant.languages)
    return [code for code, _name in settings.LANGUAGES]


def default_language(request) -> str:
    if is_commune_request(request):
        return request.tenant.default_language
    return settings.LANGUAGE_CODE


def choose_language(request) -> str:
    """The visitor's choice (cookie), else their browser's, among the languages the
    commune offers; else the commune's default."""
    offered = offered_languages(request)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in offered:
        return chosen
    accept = request.headers.get("Accept-Language", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(accept):
        code = code.split("-")[0].lower()
        if code in offered:
            return code
    return default_language(request)


class CommuneLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = choose_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response
