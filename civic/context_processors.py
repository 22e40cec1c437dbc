from civic.middleware import is_commune_request, offered_languages
from civic.modules import template_flags


def commune(request):
    """The commune (or None on the platform's own pages) and the languages it offers."""
    current = request.tenant if is_commune_request(request) else None
    user = getattr(request, "user", None)
    return {
        "commune": current,
        "offered_languages": offered_languages(request),
        "modules_on": template_flags(current),
        # Terms of use changed since this citizen accepted them: a banner asks again.
        "terms_pending": bool(current is not None and user is not None and user.is_authenticated
                              and not user.is_staff and user.terms_version < (current.terms_version or 0)),
    }
