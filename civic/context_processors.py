from civic.middleware import is_commune_request, offered_languages


def commune(request):
    """The commune (or None on the platform's own pages) and the languages it offers."""
    current = request.tenant if is_commune_request(request) else None
    return {
        "commune": current,
        "offered_languages": offered_languages(request),
    }
