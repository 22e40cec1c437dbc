"""Small guards shared by the citizens' forms: rate limits and double-submit tokens.
Counted in the commune's own cache keys (django_tenants.cache.make_key)."""

import time
import uuid

from django.core.cache import cache


def allow(*, action: str, who, limit: int, seconds: int) -> bool:
    """True while ``who`` has done ``action`` fewer than ``limit`` times in the current
    window of ``seconds``; counts this attempt."""
    window = int(time.time() // seconds)
    key = f"throttle:{action}:{who}:{window}"
    cache.add(key, 0, seconds + 5)
    return cache.incr(key) <= limit


def new_form_token() -> str:
    return uuid.uuid4().hex


def first_use_of(token: str | None, *, scope: str) -> bool:
    """True the first time a form's token is seen: a second submission of the same form
    (double click, back and resubmit) is recognised and not applied twice."""
    if not token:
        return True
    return cache.add(f"form-token:{scope}:{token}", 1, 24 * 3600)
