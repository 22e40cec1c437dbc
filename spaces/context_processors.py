from django.utils.functional import SimpleLazyObject

from civic.middleware import is_commune_request

# The pages that ask the database when the cached flag is missing (spaces.selectors).
ASKING_PAGES = {"home"}


def spaces(request):
    """``has_spaces``: whether the menu shows "Projects". Read from the cache only when a
    template asks (never on the admin's pages); no query, except on the home page when the
    cache has lost the answer."""
    if not is_commune_request(request):
        return {"has_spaces": False}

    def ask() -> bool:
        from spaces.selectors import has_published_spaces

        match = getattr(request, "resolver_match", None)
        return has_published_spaces(ask_on_miss=match is not None and match.view_name in ASKING_PAGES)

    return {"has_spaces": SimpleLazyObject(ask)}
