"""Leaving the newsletter from the email (the link's page and button, or the mail program's
one-click POST of RFC 8058 without any CSRF token), the open pixel and tracked links; a
token of another commune is worth nothing here."""

import re
from urllib.parse import parse_qs

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from accounts.models import User
from newsletters import rendering, services
from newsletters.models import Delivery
from tests.newsletters.conftest import fr, make_newsletter, start, subscriber


def sent(commune, agent, *emails, body=None):
    """A newsletter sent to ``emails`` (subscribers of ``commune``): {email: delivery}."""
    for email in emails:
        subscriber(commune, email)
    newsletter = make_newsletter(commune, agent, body=body)
    start(commune, newsletter, agent)
    with tenant_context(commune):
        services.newsletter_send(newsletter_id=newsletter.pk)
        return {d.email: d for d in Delivery.objects.filter(newsletter=newsletter)}


def opted_in(commune, email) -> bool:
    with tenant_context(commune):
        return User.objects.get(email=email).newsletter_opt_in


@pytest.fixture
def anne(bertrix, agent):
    return sent(bertrix, agent, "anne@bertrix.example", "bruno@bertrix.example")["anne@bertrix.example"]


def url(token):
    return f"/lettres/desinscription/{token}/"


def test_the_link_shows_a_button_and_only_the_button_unsubscribes(bertrix, bertrix_client, anne):
    page = bertrix_client.get(url(anne.token))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert '<form method="post">' in html and fr("Unsubscribe") in html
    assert opted_in(bertrix, "anne@bertrix.example")  # a link scanner following the link changes nothing

    done = bertrix_client.post(url(anne.token))
    assert done.status_code == 200 and fr("You are unsubscribed") in done.content.decode()
    assert not opted_in(bertrix, "anne@bertrix.example")
    assert opted_in(bertrix, "bruno@bertrix.example")
    with tenant_context(bertrix):
        assert Delivery.objects.get(pk=anne.pk).unsubscribed_at is not None
    again = bertrix_client.get(url(anne.token))
    assert fr("You no longer receive the newsletter.") in again.content.decode()


def test_one_click_unsubscribe_from_the_mail_program_needs_no_csrf_token(bertrix, anne):
    mail_program = Client(HTTP_HOST="bertrix.localhost", enforce_csrf_checks=True)
    # Another POST view of the site does refuse it without a token: the checks are on.
    assert mail_program.post("/accounts/login/", {"login": "x", "password": "y"}).status_code == 403
    response = mail_program.post(url(anne.token), "List-Unsubscribe=One-Click",
                                 content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not opted_in(bertrix, "anne@bertrix.example")
    # Pressed twice (mail programs retry): still fine.
    assert mail_program.post(url(anne.token), "List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded").status_code == 200


def test_the_people_who_unsubscribed_are_not_in_the_next_newsletter(bertrix, agent, bertrix_client, anne):
    bertrix_client.post(url(anne.token))
    again = sent(bertrix, agent)
    assert set(again) == {"bruno@bertrix.example"}


def test_tokens_of_another_commune_or_unknown_ones_are_404(bertrix, fleurus, fleurus_agent, fleurus_client, anne):
    theirs = sent(fleurus, fleurus_agent, "anne@bertrix.example")["anne@bertrix.example"]
    for token in (anne.token, "0" * 32):
        assert fleurus_client.get(url(token)).status_code == 404
        assert fleurus_client.post(url(token), "List-Unsubscribe=One-Click",
                                   content_type="application/x-www-form-urlencoded").status_code == 404
        assert fleurus_client.get(f"/lettres/o/{token}.gif").status_code == 404
    assert opted_in(bertrix, "anne@bertrix.example")
    with tenant_context(bertrix):
        assert Delivery.objects.get(pk=anne.pk).opened_at is None
    # The same person at Fleurus: her own token works there, and only there.
    assert fleurus_client.post(url(theirs.token)).status_code == 200
    assert not opted_in(fleurus, "anne@bertrix.example") and opted_in(bertrix, "anne@bertrix.example")


def test_the_open_pixel_records_the_first_open_only(bertrix, bertrix_client, anne):
    first = bertrix_client.get(f"/lettres/o/{anne.token}.gif")
    assert first.status_code == 200 and first["Content-Type"] == "image/gif"
    assert first.content.startswith(b"GIF89a")
    with tenant_context(bertrix):
        opened = Delivery.objects.get(pk=anne.pk).opened_at
    assert opened is not None
    bertrix_client.get(f"/lettres/o/{anne.token}.gif")
    with tenant_context(bertrix):
        assert Delivery.objects.get(pk=anne.pk).opened_at == opened
        assert Delivery.objects.filter(opened_at__isnull=False).count() == 1


def links_in(commune, delivery) -> list[str]:
    """The tracked links of the email ``delivery`` was sent."""
    with tenant_context(commune):
        email = rendering.render(delivery.newsletter)
    html = email.html.replace("xCIVICTOKENx", delivery.token)
    return [link.replace("&amp;", "&") for link in re.findall(r'href="http://bertrix\.localhost(/lettres/c/[^"]+)"',
                                                                html)]


def test_a_click_is_recorded_and_leads_to_the_linked_address(bertrix, bertrix_client, anne):
    internal, external = links_in(bertrix, anne)
    response = bertrix_client.get(external)
    assert response.status_code == 302 and response["Location"] == "https://www.exemple.be/agenda?mois=5&jour=2"
    assert bertrix_client.get(internal)["Location"] == "http://bertrix.localhost/participer/"
    with tenant_context(bertrix):
        delivery = Delivery.objects.get(pk=anne.pk)
    assert delivery.click_count == 2 and delivery.clicked_at is not None
    assert delivery.opened_at is not None  # a click shows the email was opened, images shown or not


def test_a_tampered_or_foreign_link_is_refused_and_not_followed(bertrix, fleurus, fleurus_agent, bertrix_client,
                                                                anne):
    _internal, external = links_in(bertrix, anne)
    path, query = external.split("?")
    signed = parse_qs(query)["u"][0]
    payload, _sep, signature = signed.rpartition(":")
    altered = payload[:1] + ("B" if payload[1] != "B" else "C") + payload[2:]
    forged = [
        f"{path}?u={signed[:-2]}xx",                        # signature altered
        f"{path}?u=https://evil.example/",                  # an address of one's own
        f"{path}?u=",
        path,
        f"{path}?u={altered}:{signature}",              # payload altered
    ]
    # A link signed at Fleurus (another schema, another salt) is not valid at Bertrix.
    theirs = sent(fleurus, fleurus_agent, "x@fleurus.example")["x@fleurus.example"]
    with tenant_context(fleurus):
        fleurus_link = rendering.sign_link(theirs.newsletter_id, "https://evil.example/")
    forged.append(f"{path}?u={fleurus_link}")
    for link in forged:
        response = bertrix_client.get(link)
        assert response.status_code == 400, link
        assert "Location" not in response
    with tenant_context(bertrix):
        assert Delivery.objects.get(pk=anne.pk).click_count == 0


def test_a_link_from_a_test_email_leads_on_without_recording(bertrix, bertrix_client, anne):
    _internal, external = links_in(bertrix, anne)
    response = bertrix_client.get(external.replace(anne.token, "test"))
    assert response.status_code == 302
    with tenant_context(bertrix):
        assert not Delivery.objects.filter(clicked_at__isnull=False).exists()


def test_only_web_addresses_are_signed_into_tracked_links(bertrix, agent):
    deliveries = sent(bertrix, agent, "anne@bertrix.example",
                      body='<p><a href="mailto:info@bertrix.be">Écrire</a> <a href="javascript:alert(1)">x</a></p>')
    delivery = deliveries["anne@bertrix.example"]
    with tenant_context(bertrix):
        html = rendering.render(delivery.newsletter).html
    assert 'href="mailto:info@bertrix.be"' in html and "javascript" not in html
    assert "/lettres/c/" not in html
