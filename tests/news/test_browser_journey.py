"""In Chromium: an agent writes a news item with the toolbar and publishes it, a citizen
reads it on a phone, and the agent moves through the editorial calendar with the keyboard."""

from datetime import datetime, time

import pytest
from django.utils import timezone

from accounts.roles import Role
from news.editorial import shift_month
from tests.conftest import PASSWORD, create_staff
from tests.news.conftest import make_article

pytestmark = pytest.mark.browser


def test_an_agent_publishes_news_that_a_citizen_reads(browser, live_url, live_commune):
    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_url + "/admin/")
    page.locator("#id_username").fill("agent@rossignol.example")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_url + "/admin/")

    page.goto(live_url + "/admin/news/article/add/")
    page.locator("#id_title").fill("Le budget participatif est lancé")
    page.locator("#id_summary").fill("Déposez vos idées jusqu'au 16 mai.")
    toolbar = page.get_by_role("toolbar")
    assert toolbar.is_visible()
    body = page.locator("#id_body")
    body.fill("Comment participer")
    body.select_text()
    toolbar.locator('button[data-before="<h2>"]').click()
    body.press("End")
    body.type("\nDéposez votre idée en ligne.")
    page.locator("input[name=_publish]").click()
    page.wait_for_url(live_url + "/admin/news/article/")

    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE").new_page()
    citizen.goto(live_url + "/actualites/")
    citizen.get_by_role("link", name="Le budget participatif est lancé").click()
    citizen.wait_for_url(live_url + "/actualites/le-budget-participatif-est-lance/")
    assert citizen.get_by_role("heading", name="Comment participer").is_visible()
    assert citizen.get_by_text("Déposez votre idée en ligne.").is_visible()
    # Nothing wider than the phone's screen.
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.context.close()

    # The calendar, with the keyboard only: to the next month and back.
    next_month = shift_month(timezone.localdate().replace(day=1), 1)
    make_article(live_commune, agent, "Semaine de la mobilité", publish=False,
                 at=timezone.make_aware(datetime.combine(next_month.replace(day=15), time(9))))
    page.goto(live_url + "/admin/news/article/calendrier/")
    assert page.get_by_role("link", name="Le budget participatif est lancé").is_visible()
    assert page.get_by_role("link", name="Semaine de la mobilité").count() == 0
    page.locator("a[rel=next]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/calendrier/?mois={next_month:%Y-%m}")
    assert page.get_by_role("link", name="Semaine de la mobilité").is_visible()
    page.locator("a[rel=prev]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/calendrier/?mois={timezone.localdate():%Y-%m}")
    assert page.get_by_role("link", name="Le budget participatif est lancé").is_visible()
    context.close()
