"""Pages of a commune's site about communes: a parent space's affiliated communes."""

from django.http import Http404
from django.shortcuts import render

from tenants.selectors import affiliates_overview


def affiliates(request):
    """On a parent space's site (an agglomeration, an intercommunal body): each of its
    listed affiliated communes with what it has open for citizens now. 404 elsewhere."""
    parent = request.tenant
    if not parent.has_affiliates:
        raise Http404
    return render(request, "tenants/affiliates.html", {"affiliates": affiliates_overview(parent)})
