"""The agents' admin: the list to triage, the change page (photo, map, timeline, the
status changed through the service), bulk changes, review, and who sees any of it."""

import re
from html import unescape

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from problems import services
from problems.models import Problem, ProblemEvent, Status
from tests.conftest import PASSWORD, create_staff, log_in
from tests.problems.conftest import image_upload, label, make_category, make_problem, t

CHANGELIST = "/admin/problems/problem/"
EVENTS = "/admin/problems/problemevent/"
CATEGORIES = "/admin/problems/problemcategory/"


def change_url(problem):
    return f"{CHANGELIST}{problem.pk}/change/"


def change_form(problem, **overrides):
    data = {"category": problem.category_id, "neighbourhood": problem.neighbourhood_id or "",
            "assigned_to": problem.assigned_to_id or "", "new_status": "", "status_message": ""}
    data.update(overrides)
    return data


def test_the_list_is_newest_first_with_filters_and_search(bertrix, citizen, neighbour, agent, category,
                                                          bertrix_client):
    lights = make_category(bertrix, "Éclairage public")
    with tenant_context(bertrix):
        from accounts.models import Neighbourhood

        cugnon = Neighbourhood.objects.get(name="Cugnon")
    first = make_problem(bertrix, citizen, category, address="Rue Ancienne", description="Un trou énorme")
    second = make_problem(bertrix, neighbour, lights, address="Rue Nouvelle", neighbourhood=cugnon,
                          description="Lampe éteinte")
    with tenant_context(bertrix):
        services.problem_change_status(problem=first, to=Status.IN_PROGRESS, message="", by=agent, notify=False)
    log_in(bertrix_client, bertrix, agent)
    html = unescape(bertrix_client.get(CHANGELIST).content.decode())
    assert html.index(second.reference) < html.index(first.reference)

    def shown(**query):
        page = unescape(bertrix_client.get(CHANGELIST, query).content.decode())
        return {problem.reference for problem in (first, second) if problem.reference in page}

    assert shown(status__exact="in_progress") == {first.reference}
    assert shown(category__id__exact=lights.pk) == {second.reference}
    assert shown(neighbourhood__id__exact=cugnon.pk) == {second.reference}
    assert shown(q="énorme") == {first.reference}
    assert shown(q="voisin@bertrix") == {second.reference}
    assert shown(q=second.reference) == {second.reference}
    assert shown(q="Rue Nouvelle") == {second.reference}


def test_the_change_page_shows_the_photo_the_map_and_the_timeline(bertrix, citizen, agent, category,
                                                                  bertrix_client):
    with tenant_context(bertrix):
        problem = services.problem_report(reporter=citizen, category=category, description="Trou <b>profond</b>",
                                          address="Rue de la Gare 12", latitude="49.855310",
                                          longitude="5.255020", photo=image_upload())
        services.problem_change_status(problem=problem, to=Status.IN_PROGRESS, message="Équipe prévue mardi.",
                                       by=agent, notify=False)
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.get(change_url(problem))
    raw = response.content.decode()
    html = unescape(raw)
    assert response.status_code == 200
    assert problem.photo.url in html and 'id="ideas-map"' in raw and "vendor/leaflet/leaflet.js" in raw
    assert '"lat": 49.85531' in html and "mlat=49.85531" in html
    assert "Équipe prévue mardi." in html and citizen.email in html  # agents may contact the reporter
    assert "Trou &lt;b&gt;profond&lt;/b&gt;" in raw  # the citizen's text, as text
    assert 'name="status"' not in raw  # the status is not a field one saves


def test_an_agent_changes_the_status_with_a_message(bertrix, citizen, agent, category, bertrix_client,
                                                    django_capture_on_commit_callbacks, mailoutbox):
    problem = make_problem(bertrix, citizen, category)
    log_in(bertrix_client, bertrix, agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = bertrix_client.post(change_url(problem), change_form(
            problem, new_status="in_progress", status_message="Une équipe passe mardi."))
    assert response.status_code == 302
    with tenant_context(bertrix):
        problem.refresh_from_db()
        event = problem.events.get(kind="status")
    assert problem.status == Status.IN_PROGRESS
    assert (event.actor, event.from_status, event.to_status, event.message) == (
        agent, "received", "in_progress", "Une équipe passe mardi.")
    assert [message.to for message in mailoutbox] == [[citizen.email]]


@pytest.mark.parametrize(("overrides", "error_field"), [
    ({"new_status": "rejected", "status_message": ""}, "status_message"),  # a rejection needs a reason
    ({"new_status": "received"}, "new_status"),  # not a move from "received"
    ({"new_status": "", "status_message": "Un message sans statut"}, "new_status"),
])
def test_a_refused_change_is_explained_on_the_form_and_changes_nothing(bertrix, citizen, agent, category,
                                                                       bertrix_client, overrides, error_field):
    problem = make_problem(bertrix, citizen, category)
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.post(change_url(problem), change_form(problem, **overrides))
    assert response.status_code == 200
    assert error_field in response.context["adminform"].form.errors
    with tenant_context(bertrix):
        problem.refresh_from_db()
        assert problem.status == Status.RECEIVED and not problem.events.filter(kind="status").exists()


def test_the_form_offers_only_the_moves_the_workflow_allows(bertrix, citizen, agent, category, bertrix_client):
    problem = make_problem(bertrix, citizen, category, status=Status.RESOLVED)
    log_in(bertrix_client, bertrix, agent)
    html = bertrix_client.get(change_url(problem)).content.decode()
    select = re.search(r'<select name="new_status".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="([a-z_]*)"', select) == ["", "in_progress"]


def test_an_agent_reclassifies_assigns_and_publishes_a_held_report(bertrix, citizen, agent, category,
                                                                   bertrix_client):
    lights = make_category(bertrix, "Éclairage public")
    other_agent = create_staff(bertrix, "agent2@bertrix.example", Role.AGENT)
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        Problem.objects.filter(pk=problem.pk).update(held_for_review=True, review_reasons="mot « arnaque »")
        problem.refresh_from_db()
    log_in(bertrix_client, bertrix, agent)
    page = unescape(bertrix_client.get(change_url(problem)).content.decode())
    assert "mot « arnaque »" in page and 'name="publish"' in page
    assert bertrix_client.get(CHANGELIST, {"held_for_review__exact": "1"}).content.decode().count(
        problem.reference) >= 1
    response = bertrix_client.post(change_url(problem), change_form(
        problem, category=lights.pk, assigned_to=other_agent.pk, publish="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    with tenant_context(bertrix):
        problem.refresh_from_db()
        assert (problem.category, problem.assigned_to, problem.held_for_review) == (lights, other_agent, False)
        assert list(problem.events.values_list("kind", flat=True)) == ["created", "assigned", "published"]
    # Only agents can be assigned.
    response = bertrix_client.post(change_url(problem), change_form(problem, assigned_to=citizen.pk))
    assert response.status_code == 200 and "assigned_to" in response.context["adminform"].form.errors


def test_bulk_change_of_status_moves_what_it_can_and_says_what_it_could_not(bertrix, citizen, agent, category,
                                                                           bertrix_client, mailoutbox,
                                                                           django_capture_on_commit_callbacks):
    movable = [make_problem(bertrix, citizen, category, address=f"Rue {n}") for n in range(2)]
    stuck = make_problem(bertrix, citizen, category, status=Status.RESOLVED)
    ids = [p.pk for p in [*movable, stuck]]
    log_in(bertrix_client, bertrix, agent)
    page = bertrix_client.post(CHANGELIST, {"action": "change_status", "_selected_action": ids})
    assert page.status_code == 200 and movable[0].reference in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = bertrix_client.post(CHANGELIST, {
            "action": "change_status", "_selected_action": ids, "apply": "1", "to_status": "rejected",
            "message": "Hors du domaine public."}, follow=True)
    html = unescape(response.content.decode())
    assert t("%(count)s report(s) moved to “%(status)s”.", count=2, status=label("rejected")) in html
    refusal = t("A report cannot go from “%(from)s” to “%(to)s”.",
                **{"from": label("resolved"), "to": label("rejected")})
    assert t("%(reference)s was not moved: %(reason)s", reference=stuck.reference, reason=refusal) in html
    with tenant_context(bertrix):
        assert sorted(Problem.objects.values_list("status", flat=True)) == ["rejected", "rejected", "resolved"]
    assert len(mailoutbox) == 2


def test_the_events_log_is_read_only(bertrix, citizen, agent, category, bertrix_client):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        event = ProblemEvent.objects.get(problem=problem)
    log_in(bertrix_client, bertrix, agent)
    assert bertrix_client.get(EVENTS).status_code == 200
    assert bertrix_client.get(f"{EVENTS}add/").status_code == 403
    assert bertrix_client.post(f"{EVENTS}{event.pk}/change/", {"message": "réécrit"}).status_code == 403
    assert bertrix_client.post(f"{EVENTS}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    # Nor are reports added or deleted from the admin.
    assert bertrix_client.get(f"{CHANGELIST}add/").status_code == 403
    assert bertrix_client.post(f"{CHANGELIST}{problem.pk}/delete/", {"post": "yes"}).status_code == 403
    with tenant_context(bertrix):
        assert ProblemEvent.objects.get(pk=event.pk).message == "" and Problem.objects.filter(pk=problem.pk).exists()


def test_agents_manage_the_categories(bertrix, agent, bertrix_client):
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.post(f"{CATEGORIES}add/", {"name": "Éclairage public", "position": "2", "active": "on"})
    assert response.status_code == 302
    with tenant_context(bertrix):
        from problems.models import ProblemCategory

        assert ProblemCategory.objects.filter(name="Éclairage public", active=True).exists()


@pytest.mark.parametrize("role", [None, Role.MODERATOR, Role.ANALYST, Role.STEERING_COMMITTEE])
def test_citizens_and_staff_who_are_not_agents_get_nothing(bertrix, citizen, category, bertrix_client, role):
    problem = make_problem(bertrix, citizen, category)
    person = citizen if role is None else create_staff(bertrix, f"{role.value}@bertrix.example", role)
    log_in(bertrix_client, bertrix, person)
    for path in (CHANGELIST, change_url(problem), EVENTS, CATEGORIES):
        response = bertrix_client.get(path)
        assert response.status_code == (302 if role is None else 403), path
    if role is not None:
        index = bertrix_client.get("/admin/").content.decode()
        assert "/admin/problems/" not in index
    response = bertrix_client.post(change_url(problem), change_form(problem, new_status="resolved"))
    assert response.status_code in (302, 403)
    with tenant_context(bertrix):
        assert Problem.objects.get(pk=problem.pk).status == Status.RECEIVED


def test_an_agent_of_another_commune_sees_nothing(bertrix, fleurus, citizen, category, fleurus_client):
    problem = make_problem(bertrix, citizen, category, address="Rue de la Gare 12")
    fleurus_agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    log_in(fleurus_client, fleurus, fleurus_agent)
    assert fleurus_client.get(CHANGELIST).status_code == 200
    assert "Rue de la Gare 12" not in fleurus_client.get(CHANGELIST).content.decode()
    response = fleurus_client.get(change_url(problem))
    assert response.status_code == 302  # not there: back to the list
    # Their login does not work at Bertrix either.
    from django.test import Client

    bertrix_client = Client(HTTP_HOST="bertrix.localhost")
    response = bertrix_client.post("/admin/login/?next=/admin/", {"username": fleurus_agent.email,
                                                                  "password": PASSWORD})
    assert response.status_code == 200 and bertrix_client.get(CHANGELIST).status_code == 302


def test_agents_and_superusers_see_the_module(bertrix, agent, bertrix_client):
    from accounts.models import User

    with tenant_context(bertrix):
        boss = User.objects.create_superuser(email="admin@bertrix.example", password=PASSWORD)
    for person in (agent, boss):
        log_in(bertrix_client, bertrix, person)
        index = bertrix_client.get("/admin/").content.decode()
        assert "/admin/problems/problem/" in index and "/admin/problems/problemcategory/" in index
        assert bertrix_client.get(CHANGELIST).status_code == 200
