"""The problem-report journey in Chromium: a citizen reports a pothole from a phone,
placing it on the map; an agent moves it to "in progress" then "resolved" with a message
in the admin; the citizen reads the timeline and gets the emails from the worker."""

import re

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.browser.test_budget_journey import admin_log_in, log_in
from tests.conftest import create_citizen, create_staff
from tests.problems.conftest import label, make_category, t

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def offline_tiles(page):
    """No map tiles from the internet: the map works (clicks, markers) without them."""
    page.route(re.compile(r"https?://[^/]*tile\.openstreetmap\.org/.*"), lambda route: route.abort())


def test_report_a_pothole_on_a_phone_and_follow_it_to_resolved(browser, live_url, live_commune, celery_worker):
    from problems.models import Problem

    live_commune.map_latitude, live_commune.map_longitude = "49.854200", "5.253600"
    live_commune.save()
    make_category(live_commune, "Voirie et trottoirs")
    create_citizen(live_commune, "zoe@exemple.be", display_name="Zoé")
    agent = create_staff(live_commune, "agent@rossignol.example", Role.AGENT)

    # 1. The citizen, on a phone, reports the problem and places it on the map.
    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE",
                                  has_touch=True, is_mobile=True).new_page()
    citizen.set_default_timeout(15000)
    offline_tiles(citizen)
    log_in(citizen, live_url, "zoe@exemple.be", "/signalements/signaler/")
    citizen.get_by_label(t("What kind of problem?")).select_option(label="Voirie et trottoirs")
    citizen.get_by_label(t("Describe the problem")).fill("Un nid-de-poule profond devant le numéro 12.")
    citizen.get_by_label(t("Where is it?")).fill("Rue de la Gare 12")
    the_map = citizen.locator("#idea-map")
    the_map.scroll_into_view_if_needed()
    assert the_map.bounding_box()["width"] <= 390  # fits the phone's screen
    the_map.locator(".leaflet-container, .leaflet-pane").first.wait_for(state="attached")
    the_map.tap(position={"x": 120, "y": 90})
    citizen.locator(".leaflet-marker-icon").wait_for()
    assert citizen.locator("#id_latitude").input_value() and citizen.locator("#id_longitude").input_value()
    citizen.get_by_role("button", name=t("Send the report")).click()
    citizen.wait_for_url(re.compile(r"/signalements/\d+/$"))
    with tenant_context(live_commune):
        problem = Problem.objects.get()
    assert problem.latitude is not None and abs(float(problem.latitude) - 49.8542) < 0.1
    assert problem.reference in citizen.locator("main").inner_text()

    # 2. The agent moves it to "in progress", then to "resolved", each with a message.
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE").new_page()
    admin.set_default_timeout(15000)
    offline_tiles(admin)
    admin_log_in(admin, live_url, agent.email, "/admin/problems/problem/")
    for status, message in (("in_progress", "Une équipe des travaux passe mardi."),
                            ("resolved", "Le trou a été rebouché ce matin. Merci !")):
        admin.get_by_role("link", name=problem.reference).first.click()
        admin.locator("#ideas-map .leaflet-marker-icon").wait_for()  # the point, on the change page
        admin.get_by_label(t("New status")).select_option(status)
        admin.get_by_label(t("Public message")).fill(message)
        admin.locator("input[name=_save]").click()
        admin.wait_for_url(re.compile(r"/admin/problems/problem/$"))
        assert problem.reference in admin.locator(".messagelist").inner_text()

    # 3. The citizen reads what happened, and has the emails.
    citizen.goto(live_url + "/signalements/mes-signalements/")
    citizen.get_by_role("link", name=re.compile("Rue de la Gare 12")).click()
    timeline = citizen.locator(".problem-timeline").inner_text()
    assert timeline.index("Une équipe des travaux passe mardi.") < timeline.index("Le trou a été rebouché")
    assert label("resolved") in citizen.locator("main .status").first.inner_text()
    celery_worker.wait_for("To: zoe@exemple.be", "Une équipe des travaux passe mardi.")
    celery_worker.wait_for("To: zoe@exemple.be", "Le trou a été rebouché ce matin.")
    assert celery_worker.count("To: zoe@exemple.be") == 2
