"""The public project pages: the list of published projects and one project with what
belongs to it. Unpublished projects are not found here: agents see them in the admin's
preview."""

from django.http import Http404
from django.shortcuts import render

from spaces import selectors


def space_list(request):
    spaces = list(selectors.space_list())
    selectors.remember_published_flag(bool(spaces))  # known already: the menu's link for free
    return render(request, "spaces/space_list.html", {"spaces": spaces})


def space_detail(request, slug):
    context = selectors.space_detail(slug=slug)
    if context is None:
        raise Http404
    selectors.remember_published_flag(True)
    return render(request, "spaces/space_detail.html", context)
