from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.static import serve
from django_tenants.utils import get_public_schema_name

from tenants.models import DEFAULT_PRIMARY_COLOUR, Commune, Module, best_text_colour


def landing(request):
    """The platform's own page: the communes it hosts."""
    communes = (
        Commune.objects.filter(is_active=True)
        .exclude(schema_name=get_public_schema_name())
        .prefetch_related("domains")
    )
    return render(request, "landing.html", {"communes": communes})


def home(request):
    from accounts.models import User
    from surveys.selectors import home_poll

    registered = User.objects.filter(is_active=True, is_staff=False).count()
    poll = home_poll(request) if request.tenant.module_enabled(Module.SURVEYS) else None
    return render(request, "home.html", {"registered": registered, "poll": poll})


def _policy_page(request, kind: str, version: int | None, template: str):
    from moderation.models import Policy
    from moderation.texts import default_charter, default_terms

    versions = list(Policy.objects.filter(kind=kind).only("version", "published_at").order_by("-version"))
    if version is not None:
        policy = Policy.objects.filter(kind=kind, version=version).first()
        if policy is None:
            raise Http404
    else:
        policy = Policy.objects.filter(kind=kind).order_by("-version").first()
    default = default_terms if kind == Policy.Kind.TERMS else default_charter
    return render(request, template, {
        "policy": policy, "body": policy.body if policy else default(request.tenant),
        "versions": versions, "latest": versions[0].version if versions else None,
    })


def terms(request, version: int | None = None):
    """The commune's terms of use: the current version, or an earlier one, with the history."""
    return _policy_page(request, "terms", version, "pages/terms.html")


def charter(request, version: int | None = None):
    """The commune's ethics charter: what it commits to when it answers and moderates."""
    return _policy_page(request, "charter", version, "pages/charter.html")


@login_required
def terms_accept(request):
    """Asked after the commune changed its terms of use, before the person posts again."""
    from moderation.services import ModerationError, current_policy, terms_accept
    from moderation.texts import default_terms

    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    policy = current_policy("terms")
    error = ""
    if request.method == "POST":
        if not request.POST.get("accept"):
            error = _("Tick the box to accept the terms of use.")
        else:
            try:
                terms_accept(user=request.user, version=int(request.POST.get("version") or 0))
            except (ModerationError, ValueError) as refusal:
                error = str(refusal) or _("The terms of use changed again while you read them; read the new version.")
            else:
                messages.success(request, _("Thank you. You may take part again."))
                return redirect(next_url or "home")
    return render(request, "pages/terms_accept.html", {
        "policy": policy, "body": policy.body if policy else default_terms(request.tenant),
        "pending": request.user.terms_version < (request.tenant.terms_version or 0),
        "next": next_url, "error": error,
    }, status=400 if error else 200)


def privacy(request):
    return render(request, "pages/privacy.html")


# Uploads that belong to something not everyone may see, by the folder they are stored in:
# the file is served only to those who may see what it belongs to (a held problem report's
# photo, the images and attachment of a draft or hidden idea), and kept out of shared caches.
GUARDED_MEDIA = {
    "problems/": "problems.rules.may_see_file",
    "ideas/": "ideas.rules.may_see_file",
}


def media(request, schema, path):
    """Uploaded files: a commune's own (MEDIA_ROOT/<schema>/) or the platform's (logos).
    Another commune's files are never served here."""
    from django.utils.cache import patch_cache_control
    from django.utils.module_loading import import_string

    if schema not in {connection.schema_name, "public"}:
        raise Http404
    guard = next((rule for prefix, rule in GUARDED_MEDIA.items() if path.startswith(prefix)), None)
    if guard is not None and (schema == "public" or not import_string(guard)(request.user, path)):
        raise Http404
    response = serve(request, path, document_root=str(Path(settings.MEDIA_ROOT) / schema))
    if guard is not None:
        patch_cache_control(response, private=True)
    return response


def health(request):
    """For load balancers and the compose health check: the process answers and its
    database is reachable (asked here: the host's commune usually comes from the cache)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


ICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<rect width="64" height="64" rx="14" fill="{background}"/>'
    '<text x="32" y="44" font-family="sans-serif" font-size="34" font-weight="700" '
    'text-anchor="middle" fill="{foreground}">{letter}</text></svg>'
)


def site_icon(request):
    """The tab icon: the commune's logo when it has one, otherwise its initial on its colour
    (the platform's own on the public site). ``/favicon.ico`` leads here too."""
    commune = getattr(request, "tenant", None)
    if commune is not None and commune.schema_name != get_public_schema_name():
        if commune.logo:
            response = redirect(commune.logo.url)
        else:
            letter = (commune.name.strip()[:1] or "c").upper()
            response = HttpResponse(ICON_SVG.format(background=commune.primary_colour,
                                                    foreground=commune.primary_text_colour,
                                                    letter=escape(letter)), content_type="image/svg+xml")
    else:
        response = HttpResponse(ICON_SVG.format(background=DEFAULT_PRIMARY_COLOUR,
                                                foreground=best_text_colour(DEFAULT_PRIMARY_COLOUR), letter="c"),
                                content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
