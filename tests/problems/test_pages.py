"""What citizens read: the public list and map (anonymous), a report's page with its
timeline, "me too", and "My reports"."""

import json
import re

from django_tenants.utils import tenant_context

from problems import services
from problems.models import ProblemFollow, Status
from tests.conftest import client_for, create_citizen, log_in
from tests.problems.conftest import LIST, MINE, detail_url, label, make_category, make_problem, page_text, t


def map_points(html):
    found = re.search(r'<script id="ideas-map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else []


def test_the_public_list_and_map_never_name_the_reporter(bertrix, citizen, category, bertrix_client):
    placed = make_problem(bertrix, citizen, category, address="Rue de la Gare 12", latitude="49.855310",
                          longitude="5.255020")
    make_problem(bertrix, citizen, category, address="Place des Trois Fers")
    html = page_text(bertrix_client.get(LIST))
    assert "Rue de la Gare 12" in html and "Place des Trois Fers" in html
    assert "Marie" not in html and citizen.email not in html
    assert placed.reference in html
    assert map_points(html) == [{"title": "Voirie et trottoirs — Rue de la Gare 12", "lat": 49.85531, "lon": 5.25502,
                                 "url": detail_url(placed)}]
    detail = page_text(bertrix_client.get(detail_url(placed)))
    assert "Marie" not in detail and citizen.email not in detail
    assert placed.reference in detail and t("Received by the commune") in detail


def test_the_list_is_newest_first_and_filters(bertrix, citizen, agent, category, bertrix_client):
    lights = make_category(bertrix, "Éclairage public")
    with tenant_context(bertrix):
        from accounts.models import Neighbourhood

        cugnon = Neighbourhood.objects.get(name="Cugnon")
    old = make_problem(bertrix, citizen, category, address="Rue Ancienne")
    new = make_problem(bertrix, citizen, lights, address="Rue Nouvelle", neighbourhood=cugnon)
    with tenant_context(bertrix):
        services.problem_change_status(problem=old, to=Status.IN_PROGRESS, message="", by=agent, notify=False)
    html = page_text(bertrix_client.get(LIST))
    assert html.index("Rue Nouvelle") < html.index("Rue Ancienne")
    assert "Rue Nouvelle" not in page_text(bertrix_client.get(LIST, {"status": "in_progress"}))
    assert "Rue Ancienne" in page_text(bertrix_client.get(LIST, {"status": "in_progress"}))
    assert "Rue Ancienne" not in page_text(bertrix_client.get(LIST, {"category": lights.pk}))
    only_cugnon = page_text(bertrix_client.get(LIST, {"neighbourhood": cugnon.pk}))
    assert "Rue Nouvelle" in only_cugnon and "Rue Ancienne" not in only_cugnon
    assert new.reference in html


def test_a_rejected_report_shows_its_reason_and_leaves_the_map(bertrix, citizen, agent, category, bertrix_client):
    problem = make_problem(bertrix, citizen, category, latitude="49.855310", longitude="5.255020")
    reason = "Ce banc appartient à la fabrique d'église : nous lui avons transmis votre signalement."
    with tenant_context(bertrix):
        services.problem_change_status(problem=problem, to=Status.REJECTED, message=reason, by=agent, notify=False)
    listing = page_text(bertrix_client.get(LIST))
    assert reason in listing and t("Why it was rejected:") in listing
    assert map_points(listing) == []
    detail = page_text(bertrix_client.get(detail_url(problem)))
    assert reason in detail and t("Why the commune rejected it") in detail


def test_the_timeline_shows_each_step_with_its_message(bertrix, citizen, agent, category, bertrix_client):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        services.problem_change_status(problem=problem, to=Status.IN_PROGRESS, by=agent, notify=False,
                                       message="Une équipe passe mardi.")
        services.problem_change_status(problem=problem, to=Status.RESOLVED, by=agent, notify=False,
                                       message="Réparé ce matin.\nMerci !")
        services.problem_assign(problem=problem, agent=agent, by=agent)  # internal: not shown
    html = page_text(bertrix_client.get(detail_url(problem)))
    timeline = html[html.index('class="activity problem-timeline"'):]
    steps = [t("from “%(before)s” to “%(after)s”", before=label("received"), after=label("in_progress")),
             t("from “%(before)s” to “%(after)s”", before=label("in_progress"), after=label("resolved"))]
    assert timeline.index(t("Received by the commune")) < timeline.index(steps[0]) < timeline.index(steps[1])
    assert "Une équipe passe mardi." in timeline and "Réparé ce matin.<br>Merci !" in timeline
    assert agent.email not in html and t("assigned it") not in html
    assert t("The commune's answer") in html  # the latest message, highlighted


def test_me_too_follows_a_report_and_the_count_shows(bertrix, citizen, neighbour, category, bertrix_client):
    problem = make_problem(bertrix, citizen, category)
    assert re.search(r'id="follower-count">\s*1 ', page_text(bertrix_client.get(detail_url(problem))))
    log_in(bertrix_client, bertrix, neighbour)
    assert t("Me too: follow this report") in page_text(bertrix_client.get(detail_url(problem)))
    response = bertrix_client.post(f"{detail_url(problem)}suivre/", {"follow": "1"}, follow=True)
    html = page_text(response)
    assert re.search(r'id="follower-count">\s*2 ', html) and t("Stop following") in html
    bertrix_client.post(f"{detail_url(problem)}suivre/", {"follow": "1"})  # twice: still one
    with tenant_context(bertrix):
        assert ProblemFollow.objects.filter(problem=problem).count() == 2
    assert problem.reference in page_text(bertrix_client.get(MINE))  # under "Reports I follow"
    bertrix_client.post(f"{detail_url(problem)}suivre/", {"follow": "0"})
    with tenant_context(bertrix):
        assert not ProblemFollow.objects.filter(problem=problem, follower=neighbour).exists()


def test_the_reporter_keeps_following_their_report(bertrix, citizen, category, bertrix_client):
    problem = make_problem(bertrix, citizen, category)
    log_in(bertrix_client, bertrix, citizen)
    html = page_text(bertrix_client.get(detail_url(problem)))
    assert t("You reported it: you are told of every change, by email and on the site.") in html
    assert t("Me too: follow this report") not in html
    response = bertrix_client.post(f"{detail_url(problem)}suivre/", {"follow": "0"}, follow=True)
    assert t("You reported it: you are told of every change.") in page_text(response)
    with tenant_context(bertrix):
        assert ProblemFollow.objects.filter(problem=problem, follower=citizen).exists()


def test_following_needs_an_account(bertrix, citizen, category, bertrix_client):
    problem = make_problem(bertrix, citizen, category)
    html = page_text(bertrix_client.get(detail_url(problem)))
    assert t("Log in to follow this report") in html and "<form method=\"post\" action=\"/signalements/" not in html
    response = bertrix_client.post(f"{detail_url(problem)}suivre/", {"follow": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    with tenant_context(bertrix):
        assert ProblemFollow.objects.filter(problem=problem).count() == 1


def test_my_reports_lists_mine_including_those_held_and_not_others(bertrix, citizen, neighbour, category,
                                                                    bertrix_client):
    mine = make_problem(bertrix, citizen, category, address="Rue de Marie")
    held = make_problem(bertrix, citizen, category, address="Rue en attente")
    with tenant_context(bertrix):
        type(held).objects.filter(pk=held.pk).update(held_for_review=True)
    theirs = make_problem(bertrix, neighbour, category, address="Rue de Paul")
    assert client_for("bertrix.localhost").get(MINE).status_code == 302
    log_in(bertrix_client, bertrix, citizen)
    html = page_text(bertrix_client.get(MINE))
    assert mine.reference in html and held.reference in html and theirs.reference not in html
    assert t("Waiting for the commune's check: not public yet.") in html
    assert t("You follow no other report.") in html


def test_a_missing_report_is_a_404(bertrix, bertrix_client):
    assert bertrix_client.get("/signalements/999999/").status_code == 404
    assert bertrix_client.get("/signalements/abc/").status_code == 404


def test_a_report_of_fleurus_does_not_exist_at_bertrix(bertrix, fleurus, bertrix_client, fleurus_client):
    reporter = create_citizen(fleurus, "habitant@fleurus.example")
    problem = make_problem(fleurus, reporter, make_category(fleurus), address="Rue de Fleurus 31")
    assert fleurus_client.get(detail_url(problem)).status_code == 200
    assert bertrix_client.get(detail_url(problem)).status_code == 404
    assert "Rue de Fleurus 31" not in page_text(bertrix_client.get(LIST))
    # Nor for a Bertrix citizen who is logged in, nor for following it.
    bertrix_citizen = create_citizen(bertrix, "marie@bertrix.example")
    log_in(bertrix_client, bertrix, bertrix_citizen)
    assert bertrix_client.get(detail_url(problem)).status_code == 404
    assert bertrix_client.post(f"{detail_url(problem)}suivre/", {"follow": "1"}).status_code == 404
