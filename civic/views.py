from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.views.static import serve
from django_tenants.utils import get_public_schema_name

from tenants.models import Commune


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
    return render(request, "home.html", {"registered": registered, "poll": home_poll(request)})


def terms(request):
    return render(request, "pages/terms.html")


def privacy(request):
    return render(request, "pages/privacy.html")


def media(request, schema, path):
    """Uploaded files: a commune's own (MEDIA_ROOT/<schema>/) or the platform's (logos).
    Another commune's files are never served here."""
    if schema not in {connection.schema_name, "public"}:
        raise Http404
    return serve(request, path, document_root=str(Path(settings.MEDIA_ROOT) / schema))


def health(request):
    """For load balancers and the compose health check: the process answers and its
    database is reachable (the host's commune was just looked up by the middleware)."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")
