"""The moderation journey in Chromium: three citizens report a comment, it is hidden
pending review; a moderator restores it with a reason in the admin; the author reads the
note on "Mes contributions" and gets the emails from the worker."""

import re

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.browser.test_budget_journey import admin_log_in, log_in
from tests.conftest import create_citizen, create_staff
from tests.ideas.conftest import make_call, make_idea

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_reported_hidden_restored_and_the_author_reads_why(browser, live_url, live_commune, celery_worker):
    from ideas import services

    call = make_call(live_commune, slug="boite")
    author = create_citizen(live_commune, "auteur@exemple.be", display_name="Zoé")
    idea = make_idea(live_commune, call, author, title="Un parc à chiens")
    with tenant_context(live_commune):
        comment = services.comment_add(idea=idea, author=author, body="Ce projet est ridicule, franchement.")
    moderator = create_staff(live_commune, "moderation@rossignol.example", Role.MODERATOR)
    for number in range(3):
        create_citizen(live_commune, f"lecteur{number}@exemple.be")
        page = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE").new_page()
        page.set_default_timeout(15000)
        log_in(page, live_url, f"lecteur{number}@exemple.be", f"/participer/idees/{idea.pk}/")
        page.locator(f"#comment-{comment.pk}").get_by_text("Signaler ce commentaire").click()
        page.locator(f"#reason-{comment.pk}").select_option("abuse")
        page.locator(f"#comment-{comment.pk}").get_by_role("button", name="Envoyer le signalement").click()
        page.get_by_text("Merci. Les modérateurs vont l'examiner.").wait_for()
        page.context.close()
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE").new_page()
    visitor.goto(f"{live_url}/participer/idees/{idea.pk}/")
    assert "Masqué par la modération" in visitor.locator(f"#comment-{comment.pk}").inner_text()
    assert "ridicule" not in visitor.content()

    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE").new_page()
    admin.set_default_timeout(15000)
    admin_log_in(admin, live_url, moderator.email, "/admin/moderation/report/file/")
    assert "3 signalements" in admin.content()
    admin.get_by_label("Décision").select_option("restore")
    admin.get_by_label("Raison donnée à l'auteur").fill("Critique vive, mais sans insulte : le commentaire reste.")
    admin.get_by_role("button", name="Enregistrer la décision").click()
    admin.get_by_text("Décision enregistrée").wait_for()

    visitor.reload()
    assert "ridicule" in visitor.locator(f"#comment-{comment.pk}").inner_text()
    celery_worker.wait_for("To: auteur@exemple.be", "Critique vive, mais sans insulte")
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE").new_page()
    page.set_default_timeout(15000)
    log_in(page, live_url, "auteur@exemple.be", "/participer/mes-contributions/")
    assert "Critique vive, mais sans insulte" in page.content().replace("&#x27;", "'")
    assert re.search(r"masqu", page.content())  # the hiding was notified too
