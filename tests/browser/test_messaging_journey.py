"""The private-message journey in Chromium: a citizen writes to the commune from their phone;
the agent hears of it by email (from the worker), answers in the admin; the citizen gets the
email, sees the notification and the "New answer" mark, and reads the answer."""

import re

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.browser.test_budget_journey import admin_log_in, log_in
from tests.conftest import create_citizen, create_staff
from tests.messaging.conftest import fr

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def phone(browser):
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE").new_page()
    page.set_default_timeout(15000)
    return page


def test_a_citizen_writes_the_agent_answers_the_citizen_reads(browser, live_url, live_commune, celery_worker):
    from messaging.models import Thread

    create_citizen(live_commune, "zoe@exemple.be", display_name="Zoé")
    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)

    # 1. The citizen writes, on her phone.
    citizen = phone(browser)
    log_in(citizen, live_url, "zoe@exemple.be", "/messages/")
    citizen.locator("#main").get_by_role("link", name=fr("Write to the commune")).click()
    citizen.get_by_label(fr("Subject")).fill("Le car scolaire passe trop tôt")
    citizen.get_by_label(fr("Your message")).fill("Depuis la rentrée, le car passe à 6 h 50 à Mortehan.\n"
                                                  "Les enfants attendent dans le noir.")
    citizen.get_by_role("button", name=fr("Send")).click()
    citizen.get_by_text(fr("Your message is sent to the commune. You will be told by email when it answers.")) \
        .wait_for()
    with tenant_context(live_commune):
        thread = Thread.objects.get()
    assert citizen.url.endswith(f"/messages/{thread.pk}/")
    to_agent = celery_worker.wait_for("To: agent@rossignol.example", f"/admin/messaging/thread/{thread.pk}/change/")
    assert "Mortehan" not in to_agent

    # 2. The agent answers in the admin, from the inbox.
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE").new_page()
    admin.set_default_timeout(15000)
    admin_log_in(admin, live_url, agent.email, "/admin/messaging/thread/")
    admin.get_by_role("link", name="Le car scolaire passe trop tôt").click()
    assert "le car passe à 6 h 50 à Mortehan." in admin.content()
    admin.get_by_label(fr("Answer"), exact=True).fill("Bonjour, nous avons demandé au TEC d'avancer l'arrêt "
                                                      "de dix minutes à partir de lundi.")
    admin.get_by_role("button", name=fr("Send the answer")).click()
    admin.get_by_text(fr("Your answer is sent; the citizen is told by email.")).wait_for()

    # 3. The citizen is told by email and on the site, and reads the answer.
    to_citizen = celery_worker.wait_for("To: zoe@exemple.be", f"/messages/{thread.pk}/")
    assert "TEC" not in to_citizen
    citizen.goto(f"{live_url}/messages/")
    row = citizen.locator(".thread-row", has_text="Le car scolaire passe trop tôt")
    assert fr("New answer") in row.inner_text()
    citizen.goto(f"{live_url}/participer/mes-contributions/")
    notice = fr("The commune answered your message “%(subject)s”.") % {"subject": "Le car scolaire passe trop tôt"}
    citizen.get_by_role("link", name=notice).click()
    citizen.wait_for_url(re.compile(rf"/messages/{thread.pk}/$"))
    answer = citizen.locator(".bubble.from-commune")
    assert "nous avons demandé au TEC d'avancer l'arrêt" in answer.inner_text().replace("&#x27;", "'")
    assert "Rossignol" in answer.inner_text()
    citizen.goto(f"{live_url}/messages/")
    assert fr("New answer") not in citizen.locator(".thread-row").inner_text()
    assert celery_worker.count("To: zoe@exemple.be") == 1
