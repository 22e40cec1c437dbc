"""The Bertrix journey in Chromium: an agent configures and publishes a participatory
budget in three steps; a citizen proposes a project; the agent refuses two projects with
a reason and sends the others to the vote; the citizen votes for their favourite and gets
a receipt by email; the agent counts and publishes; the results show the winner."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.budgets.conftest import move_to
from tests.conftest import PASSWORD, create_citizen, create_staff
from tests.ideas.conftest import make_idea

pytestmark = [pytest.mark.browser, pytest.mark.worker]
FMT = "%Y-%m-%dT%H:%M"


def log_in(page, live_url, email, next_path):
    page.goto(f"{live_url}/accounts/login/?next={next_path}")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def admin_log_in(page, live_url, email, path):
    page.goto(live_url + path)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def change_status(admin, live_url, ideas, status, message):
    admin.goto(live_url + "/admin/ideas/idea/")
    for idea in ideas:
        admin.locator(f"input[name=_selected_action][value='{idea.pk}']").check()
    admin.locator("select[name=action]").select_option("change_status")
    admin.locator("button[name=index]").click()
    admin.get_by_label("Nouveau statut").select_option(status)
    admin.get_by_label("Explication publique").fill(message)
    admin.get_by_role("button", name="Valider et publier").click()
    admin.get_by_text(re.compile(r"idée\(s\) passée\(s\)")).wait_for()


def test_the_bertrix_budget_from_configuration_to_results(browser, live_url, live_commune, celery_worker):
    from budgets.models import Budget
    from ideas.models import Idea

    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)
    create_citizen(live_commune, "zoe@exemple.be", display_name="Zoé", birth_year=2006)
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE").new_page()
    admin.set_default_timeout(15000)

    # 1. Configure in three steps.
    admin_log_in(admin, live_url, agent.email, "/admin/budgets/budget/add/")
    admin.get_by_label("Titre").fill("Budget participatif 2020")
    admin.get_by_label("Problématique").fill("Quelle idée d'intérêt général pour Bertrix ?")
    admin.get_by_label("Enveloppe (€)").fill("20000")
    admin.get_by_role("button", name="Suivant").click()
    admin.wait_for_url(re.compile(r"/etape/2/$"))
    now = timezone.localtime()
    dates = {"submission": (-1, 10), "analysis": (10, 15), "vote": (15, 45), "results": (46, None)}
    for kind, (start, end) in dates.items():
        admin.locator(f"input[name=step-{kind}-starts_at]").fill((now + timedelta(days=start)).strftime(FMT))
        if end:
            admin.locator(f"input[name=step-{kind}-ends_at]").fill((now + timedelta(days=end)).strftime(FMT))
    admin.get_by_label("Mode de vote").select_option("favourite")
    admin.get_by_role("button", name="Suivant").click()
    admin.wait_for_url(re.compile(r"/etape/3/$"))
    assert "Qu'est-ce qu'un budget participatif" in admin.content().replace("&#x27;", "'")
    admin.get_by_role("button", name="Publier").click()
    admin.get_by_text("Le budget est publié.").wait_for()
    with tenant_context(live_commune):
        budget = Budget.objects.select_related("call").get()
        assert budget.call.is_published and budget.method == "favourite"
    neighbour = create_citizen(live_commune, "voisin@exemple.be")
    others = [make_idea(live_commune, budget.call, neighbour, title=title)
              for title in ("Installation de radars", "Un parking en centre-ville", "Mur végétal")]
    with tenant_context(live_commune):
        Idea.objects.filter(pk__in=[i.pk for i in others]).update(estimated_cost=9000)

    # 2. A citizen proposes a project from the budget's page (phone-sized window).
    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE").new_page()
    citizen.set_default_timeout(15000)
    log_in(citizen, live_url, "zoe@exemple.be", f"/budgets/{budget.slug}/")
    assert "Dépôt des idées" in citizen.content() and "en cours" in citizen.content()
    citizen.get_by_role("link", name="Proposer un projet").click()
    citizen.get_by_label("Titre").fill("Aire de jeu inclusive")
    citizen.get_by_label("En quoi consiste le projet").fill("Une aire de jeu accessible aux enfants en fauteuil.")
    citizen.get_by_label("Coût estimé").fill("12000")
    citizen.get_by_role("button", name="Aperçu").click()
    citizen.get_by_role("button", name="Publier mon idée").click()
    citizen.get_by_text("Votre idée est publiée").wait_for()
    with tenant_context(live_commune):
        playground = Idea.objects.get(title="Aire de jeu inclusive")

    # 3. Analysis: two refused with a reason, the others admissible then finalists.
    move_to(live_commune, budget, "analysis")
    admin.goto(live_url + "/admin/")
    change_status(admin, live_url, others[:2], "not_admissible", "Hors des compétences de la commune.")
    change_status(admin, live_url, [playground, others[2]], "admissible", "Faisable dans l'enveloppe.")
    change_status(admin, live_url, [playground, others[2]], "finalist", "Retenu par le comité de pilotage.")
    citizen.goto(f"{live_url}/participer/idees/{others[0].pk}/")
    assert "Hors des compétences de la commune." in citizen.content()

    # 4. The vote: one favourite, a receipt on the page and by email.
    move_to(live_commune, budget, "vote")
    citizen.goto(f"{live_url}/budgets/{budget.slug}/")
    citizen.get_by_role("link", name="Voter").click()
    citizen.get_by_label("Aire de jeu inclusive").check()
    citizen.get_by_role("button", name="Voter").click()
    citizen.get_by_role("heading", name="Votre vote est enregistré").wait_for()
    receipt = citizen.locator("#receipt").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{10}", receipt)
    celery_worker.wait_for("To: zoe@exemple.be", receipt)

    # 5. Counting and publication by the agent.
    move_to(live_commune, budget, "results")
    admin.goto(f"{live_url}/admin/budgets/budget/{budget.pk}/depouillement/")
    admin.get_by_role("button", name="Dépouiller les votes").click()
    admin.get_by_role("button", name="Publier les résultats").click()
    admin.get_by_text("Les résultats sont publiés.").wait_for()

    # 6. Everyone reads the results; the voter finds their ballot by its receipt.
    citizen.goto(f"{live_url}/budgets/{budget.slug}/resultats/")
    row = citizen.locator("tr.won")
    assert "Aire de jeu inclusive" in row.inner_text() and "Gagnant" in row.inner_text()
    citizen.get_by_label("Retrouver mon bulletin avec son code de reçu").fill(receipt)
    citizen.get_by_role("button", name="Rechercher").click()
    citizen.get_by_text(f"Le bulletin {receipt} a été compté").wait_for()
    with tenant_context(live_commune):
        playground.refresh_from_db()
        assert playground.status == "selected"
