"""What a recipient reaches from a newsletter: the unsubscribe page (also the target of the
one-click POST of RFC 8058, which carries no CSRF token: the secret token in the address is
what authenticates it), the open pixel and the tracked links. A token of another commune
does not exist in this commune's schema: 404."""

from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from newsletters import rendering, selectors, services

# A transparent GIF of one pixel.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
         b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def _private(response):
    """Pages and answers reached through a secret address: never cached, never indexed,
    the address never sent on as a referrer."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with a button (link scanners follow links, they do not press buttons).
    POST, from that button or from the mail program's one-click unsubscribe: done."""
    if request.method == "POST":
        delivery = services.delivery_unsubscribe(token=token)
        if delivery is None:
            raise Http404
        return _private(render(request, "newsletters/unsubscribe_done.html", {"delivery": delivery}))
    delivery = selectors.delivery_for_token(token)
    if delivery is None:
        raise Http404
    subscribed = bool(delivery.recipient and delivery.recipient.newsletter_opt_in)
    return _private(render(request, "newsletters/unsubscribe_confirm.html",
                           {"delivery": delivery, "subscribed": subscribed}))


@never_cache
@require_GET
def open_pixel(request, token):
    if not services.delivery_record_open(token=token):
        raise Http404
    return _private(HttpResponse(PIXEL, content_type="image/gif"))


@never_cache
@require_GET
def click(request, token):
    """Record the click and go on to the address the newsletter linked to. Only addresses
    signed by the commune when it rendered the newsletter are followed: anything else is a
    bad request, so this is no open redirect."""
    try:
        newsletter_id, url = rendering.read_link(request.GET.get("u", ""))
    except signing.BadSignature:
        return _private(HttpResponseBadRequest("Bad link."))
    # An unknown token (a test email, a deleted account) still leads where the link said.
    services.delivery_record_click(token=token, newsletter_id=newsletter_id)
    return _private(HttpResponseRedirect(url))
