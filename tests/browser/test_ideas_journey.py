"""The ideas journey in Chromium: a citizen signs up and proposes an idea with an image,
is shown a similar idea while typing, publishes; an agent refuses two ideas at once with
an explanation; the author reads it on "Mes contributions" and has the email."""

import re

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.conftest import PASSWORD, create_citizen, create_staff
from tests.ideas.conftest import make_call, make_idea

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def png_file(tmp_path):
    from PIL import Image

    path = tmp_path / "banc.png"
    Image.new("RGB", (640, 480), "#15803d").save(path)
    return path


def sign_up(page, live_url, worker, email):
    page.goto(live_url + "/accounts/signup/")
    page.get_by_label("Courriel").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    link = re.search(r"(http://\S+/accounts/confirm-email/\S+/)", worker.wait_for(f"To: {email}")).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(live_url + "/")


def test_propose_see_the_duplicate_get_refused_and_read_why(browser, live_url, live_commune, celery_worker, tmp_path):
    call = make_call(live_commune, slug="boite")
    neighbour = create_citizen(live_commune, "voisin@exemple.be")
    make_idea(live_commune, call, neighbour, title="Le banc solidaire, vers une mobilité plus sociale")
    other = make_idea(live_commune, call, neighbour, title="Installation de radars")
    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)

    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE").new_page()
    citizen.set_default_timeout(15000)
    sign_up(citizen, live_url, celery_worker, "zoe@exemple.be")

    citizen.get_by_role("link", name="Participer").click()
    citizen.get_by_role("link", name="Boîte à idées").click()
    citizen.get_by_role("link", name="Proposer une idée").click()
    citizen.get_by_label("Titre").press_sequentially("Des bancs solidaires", delay=20)
    suggestion = citizen.locator("#similar-ideas")
    suggestion.get_by_role("link", name="Le banc solidaire, vers une mobilité plus sociale").wait_for()
    assert "Des idées semblables existent déjà" in suggestion.inner_text()

    citizen.get_by_label("En quoi consiste le projet").fill("Des bancs où attendre un covoiturage solidaire.")
    citizen.get_by_label("Images").set_input_files(str(png_file(tmp_path)))
    citizen.get_by_role("button", name="Aperçu").click()
    citizen.get_by_role("button", name="Publier mon idée").click()
    citizen.get_by_text("Votre idée est publiée").wait_for()
    assert citizen.locator(".gallery img").count() == 1
    with tenant_context(live_commune):
        from ideas.models import Idea

        mine = Idea.objects.get(title="Des bancs solidaires")

    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE").new_page()
    admin.set_default_timeout(15000)
    admin.goto(live_url + "/admin/ideas/idea/")
    admin.locator("#id_username").fill(agent.email)
    admin.locator("#id_password").fill(PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/ideas/idea/$"))
    for idea in (mine, other):
        admin.locator(f"input[name=_selected_action][value='{idea.pk}']").check()
    admin.locator("select[name=action]").select_option("change_status")
    admin.locator("button[name=index]").click()
    admin.get_by_label("Nouveau statut").select_option("not_admissible")
    admin.get_by_label("Explication publique").fill("Un projet semblable est déjà à l'étude.")
    admin.get_by_role("button", name="Valider et publier").click()
    admin.get_by_text("2 idée(s) passée(s) en « Non recevable »").wait_for()

    citizen.goto(live_url + "/participer/mes-contributions/")
    assert "Un projet semblable est déjà à l'étude." in citizen.content().replace("&#x27;", "'")
    assert "Non recevable" in citizen.content()
    email = celery_worker.wait_for("To: zoe@exemple.be", "Des bancs solidaires", "Un projet semblable est d")
    assert "votre id" in email
