"""The survey journey in Chromium: an agent builds a three-page survey with a condition in
the admin; a citizen answers it on a phone-sized window; the results chart shows the answer."""

import re

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.browser.test_budget_journey import admin_log_in, log_in
from tests.conftest import create_citizen, create_staff

pytestmark = pytest.mark.browser


def add_question(admin, live_url, section, kind, text, choices=(), condition=None):
    admin.goto(f"{live_url}/admin/surveys/question/add/?section={section.pk}")
    admin.locator("#id_kind").select_option(kind)
    admin.locator("#id_text").fill(text)
    for index, label in enumerate(choices):
        admin.locator(f"#id_choices-{index}-label").fill(label)
    if condition:
        question, answer = condition
        admin.locator("#id_condition_question").select_option(label=question)
        admin.locator("#id_condition_choices").select_option(label=f"{question} → {answer}")
    admin.locator("input[name=_save]").click()
    admin.wait_for_url(re.compile(r"/admin/surveys/question/$"))


def test_an_agent_builds_a_survey_and_a_citizen_answers_it(browser, live_url, live_commune):
    from surveys.models import Survey

    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)
    create_citizen(live_commune, "zoe@exemple.be")
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE").new_page()
    admin.set_default_timeout(15000)
    admin_log_in(admin, live_url, agent.email, "/admin/surveys/survey/add/")
    admin.locator("#id_title").fill("Le vélo à Rossignol")
    admin.locator("#id_is_published").focus()  # the slug is written from the title
    assert admin.locator("#id_slug").input_value() == "le-velo-a-rossignol"
    admin.locator("#id_is_published").check()
    for number, title in enumerate(["Votre vélo", "Le stationnement", "Votre avis"]):
        admin.get_by_text("Ajouter un objet Section supplémentaire").click()
        admin.locator(f"#id_sections-{number}-title").fill(title)
        admin.locator(f"#id_sections-{number}-position").fill(str(number + 1))
    admin.locator("input[name=_save]").click()
    admin.wait_for_url(re.compile(r"/admin/surveys/survey/$"))
    with tenant_context(live_commune):
        survey = Survey.objects.get(slug="le-velo-a-rossignol")
        first, second, third = survey.sections.order_by("position")
    add_question(admin, live_url, first, "single", "Avez-vous un vélo ?", ["Oui", "Non"])
    add_question(admin, live_url, second, "single", "Où le garez-vous ?", ["Devant chez moi", "Au travail"],
                 condition=("Avez-vous un vélo ?", "Oui"))
    add_question(admin, live_url, third, "scale", "Votre note pour les pistes cyclables")

    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE").new_page()
    citizen.set_default_timeout(15000)
    log_in(citizen, live_url, "zoe@exemple.be", "/enquetes/le-velo-a-rossignol/")
    citizen.get_by_role("link", name="Répondre à l'enquête").click()
    citizen.get_by_role("button", name="Suivant").click()  # nothing chosen: refused, with the reason
    citizen.get_by_text("Cette question demande une réponse.").wait_for()
    citizen.get_by_label("Oui").check()
    citizen.get_by_role("button", name="Suivant").click()
    citizen.get_by_text("Où le garez-vous ?").wait_for()
    citizen.get_by_label("Au travail").check()
    citizen.get_by_role("button", name="Suivant").click()
    citizen.get_by_label("4", exact=True).check()
    citizen.get_by_role("button", name="Envoyer mes réponses").click()
    citizen.get_by_role("heading", name="Merci pour vos réponses").wait_for()
    citizen.get_by_role("link", name="Voir les résultats").click()
    charts = citizen.locator("svg.bars")
    assert "Oui : 1 (100 %)" in charts.nth(0).get_attribute("aria-label")
    assert "Au travail : 1 (100 %)" in charts.nth(1).get_attribute("aria-label")
    assert "4 : 1 (100 %)" in charts.nth(2).get_attribute("aria-label")
