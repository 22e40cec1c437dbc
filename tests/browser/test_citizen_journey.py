"""A citizen on a phone, in Chromium: sign up, confirm by email (sent by the worker),
switch language, log out and in again."""

import re

import pytest
from django_tenants.utils import tenant_context

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_a_citizen_signs_up_confirms_and_switches_language(phone_page, live_url, live_commune, celery_worker):
    page = phone_page
    page.goto(live_url + "/")
    assert "Rossignol" in page.title()
    page.get_by_role("link", name="Créer mon compte").click()

    page.get_by_label("Courriel").fill("zoe@exemple.be")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Tranche d'âge").select_option("25_34")
    page.get_by_label("Quartier").select_option(label="Nord")
    newsletter = page.get_by_label("Je souhaite recevoir la lettre d'information")
    assert not newsletter.is_checked()
    page.get_by_role("button", name="Création de compte").click()

    # Without the terms the browser itself stops the form (the server's own message is
    # tested in tests/accounts); nothing typed is lost.
    assert page.locator("#id_accept_terms").evaluate("box => !box.validity.valid")
    assert page.url.endswith("/accounts/signup/")
    assert page.get_by_label("Courriel").input_value() == "zoe@exemple.be"
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    email = celery_worker.wait_for("To: zoe@exemple.be")
    assert "[Rossignol]" in email
    link = re.search(r"(http://\S+/accounts/confirm-email/\S+/)", email).group(1)
    assert link.startswith(live_url)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(live_url + "/")
    assert page.get_by_text("Bienvenue").is_visible()

    from accounts.models import User

    with tenant_context(live_commune):
        user = User.objects.get(email="zoe@exemple.be")
        assert user.age_bracket == "25_34" and user.neighbourhood.name == "Nord"
        assert user.emailaddress_set.get().verified

    page.get_by_role("button", name="NL").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == "Doe mee aan het leven in Rossignol"
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Inloggen").first.click()
    page.get_by_label("E-mail").fill("zoe@exemple.be")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(live_url + "/")
    assert page.get_by_role("link", name="Mijn profiel", exact=True).is_visible()


def test_the_first_tab_stop_skips_to_the_content(phone_page, live_url):
    page = phone_page
    page.goto(live_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    for landmark in ("banner", "main", "contentinfo"):
        assert page.get_by_role(landmark).count() == 1
