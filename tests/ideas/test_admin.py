import csv
import io
from html import unescape

from django_tenants.utils import tenant_context

from accounts.roles import Role
from ideas.models import AnswerTemplate, Idea, IdeaEvent, Status
from tests.conftest import create_staff, log_in
from tests.ideas.conftest import make_idea

CHANGELIST = "/admin/ideas/idea/"


def test_the_changelist_shows_the_ideas_with_coloured_statuses(bertrix, call, citizen, agent, bertrix_client):
    make_idea(bertrix, call, citizen, title="Mur végétal")
    log_in(bertrix_client, bertrix, agent)
    html = unescape(bertrix_client.get(CHANGELIST).content.decode())
    assert "Mur végétal" in html and "● Déposée" in html


def test_bulk_change_status_asks_then_applies_and_reports(bertrix, call, citizen, agent, bertrix_client,
                                                          django_capture_on_commit_callbacks, mailoutbox):
    ideas = [make_idea(bertrix, call, citizen, title=t) for t in ("Installation de radars", "Parc de Street-workout")]
    done = make_idea(bertrix, call, citizen, title="Aire de jeu inclusive", status=Status.DONE)
    with tenant_context(bertrix):
        template = AnswerTemplate.objects.create(title="Hors compétence",
                                                 body="Ce projet ne relève pas des compétences communales.")
    log_in(bertrix_client, bertrix, agent)
    ids = [str(i.pk) for i in [*ideas, done]]
    page = bertrix_client.post(CHANGELIST, {"action": "change_status", "_selected_action": ids})
    assert page.status_code == 200 and "Installation de radars" in unescape(page.content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        response = bertrix_client.post(CHANGELIST, {
            "action": "change_status", "_selected_action": ids, "apply": "1", "to_status": Status.NOT_ADMISSIBLE,
            "template": template.pk, "public_message": "", "internal_note": "Vu en réunion du 3/6", "notify": "on",
        }, follow=True)
    html = unescape(response.content.decode())
    assert "2 idée(s)" in html and "Aire de jeu inclusive" in html  # moved, and the one refused
    with tenant_context(bertrix):
        assert list(Idea.objects.filter(pk__in=[i.pk for i in ideas]).values_list("status", flat=True)) == [
            Status.NOT_ADMISSIBLE] * 2
        assert Idea.objects.get(pk=done.pk).status == Status.DONE
        event = IdeaEvent.objects.filter(kind="status").latest("id")
        assert event.public_message == template.body and event.internal_note == "Vu en réunion du 3/6"
    # The author follows their ideas: one email per idea moved.
    assert len(mailoutbox) == 2
    assert all(m.to == [citizen.email] for m in mailoutbox)
    assert "ne relève pas des compétences communales" in mailoutbox[0].body


def test_a_refusal_without_explanation_moves_nothing(bertrix, call, citizen, agent, bertrix_client):
    idea = make_idea(bertrix, call, citizen)
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.post(CHANGELIST, {
        "action": "change_status", "_selected_action": [idea.pk], "apply": "1", "to_status": Status.NOT_ADMISSIBLE,
        "public_message": "", "notify": "on"}, follow=True)
    assert "explication publique" in unescape(response.content.decode())
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.status == Status.SUBMITTED


def test_bulk_assign_analysts_and_a_responsible_agent(bertrix, call, citizen, agent, bertrix_client):
    idea = make_idea(bertrix, call, citizen)
    analyst = create_staff(bertrix, "analyste@bertrix.example", Role.ANALYST)
    log_in(bertrix_client, bertrix, agent)
    bertrix_client.post(CHANGELIST, {"action": "assign", "_selected_action": [idea.pk], "apply": "1",
                                     "analysts": [analyst.pk], "responsible": agent.pk})
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.responsible == agent and idea.analyses.get().analyst == analyst
    # The analyst sees and records their own analysis only.
    log_in(bertrix_client, bertrix, analyst)
    with tenant_context(bertrix):
        analysis = idea.analyses.get()
    response = bertrix_client.post(f"/admin/ideas/analysis/{analysis.pk}/change/", {
        "feasibility": "feasible", "estimated_cost": "3000", "recommendation": "admissible", "comment": "OK"})
    assert response.status_code == 302
    with tenant_context(bertrix):
        analysis.refresh_from_db()
        assert analysis.submitted_at is not None and analysis.feasibility == "feasible"
    other = create_staff(bertrix, "autre-analyste@bertrix.example", Role.ANALYST)
    log_in(bertrix_client, bertrix, other)
    assert bertrix_client.get(f"/admin/ideas/analysis/{analysis.pk}/change/").status_code == 302  # not theirs
    # The analysed filter of the changelist.
    log_in(bertrix_client, bertrix, agent)
    assert idea.title in bertrix_client.get(CHANGELIST + "?analysed=yes").content.decode()
    assert idea.title not in bertrix_client.get(CHANGELIST + "?analysed=no").content.decode()


def test_csv_export_of_the_filtered_list(bertrix, call, citizen, agent, bertrix_client):
    make_idea(bertrix, call, citizen, title="=HYPERLINK(\"http://x\")")
    make_idea(bertrix, call, citizen, title="Mur végétal", status=Status.ADMISSIBLE)
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.get(CHANGELIST + "export/?status__exact=submitted")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2  # header + the one submitted idea
    assert rows[1][1].startswith("'=")  # no formula from a citizen's text


def test_the_changelist_has_a_fixed_number_of_queries(bertrix, call, citizen, agent, bertrix_client, count_queries):
    log_in(bertrix_client, bertrix, agent)

    def fill(n):
        with tenant_context(bertrix):
            Idea.objects.bulk_create([Idea(call=call, author=citizen, title=f"Idée {i}", status=Status.SUBMITTED,
                                           answers=[]) for i in range(n)])

    fill(10)
    with count_queries() as few:
        assert bertrix_client.get(CHANGELIST).status_code == 200
    fill(990)
    with count_queries() as many:
        assert bertrix_client.get(CHANGELIST).status_code == 200
    assert len(few) == len(many), many.statements


def test_citizens_and_other_communes_agents_cannot_triage(bertrix, fleurus, call, citizen, bertrix_client,
                                                         fleurus_client):
    idea = make_idea(bertrix, call, citizen)
    log_in(bertrix_client, bertrix, citizen)
    assert bertrix_client.get(CHANGELIST).status_code == 302
    fleurus_agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    log_in(fleurus_client, fleurus, fleurus_agent)
    assert fleurus_client.get(f"{CHANGELIST}{idea.pk}/change/").status_code == 302  # redirected: not there
    assert "Le banc solidaire" not in fleurus_client.get(CHANGELIST).content.decode()


def test_merging_duplicates_from_the_admin(bertrix, call, citizen, agent, bertrix_client):
    from tests.conftest import create_citizen
    from ideas import services

    kept = make_idea(bertrix, call, citizen, title="Le banc solidaire")
    twins = [make_idea(bertrix, call, citizen, title=t) for t in ("Bancs de covoiturage", "Banc d'auto-stop")]
    voter = create_citizen(bertrix, "v@bertrix.example")
    with tenant_context(bertrix):
        services.idea_vote(idea=twins[0], voter=voter, value=1)
    log_in(bertrix_client, bertrix, agent)
    ids = [kept.pk, *[t.pk for t in twins]]
    bertrix_client.post(CHANGELIST, {"action": "merge", "_selected_action": ids, "apply": "1", "into": kept.pk,
                                     "public_message": "Ces idées proposent la même chose."})
    with tenant_context(bertrix):
        kept.refresh_from_db()
        assert kept.support_count == 1
        assert set(Idea.objects.filter(pk__in=[t.pk for t in twins]).values_list("status", flat=True)) == {
            Status.MERGED}
        assert Idea.objects.filter(merged_into=kept).count() == 2


def test_the_changelist_searches_title_text_and_author_email(bertrix, call, citizen, agent, bertrix_client):
    make_idea(bertrix, call, citizen, title="Mur végétal", answer="Des plantes grimpantes")
    make_idea(bertrix, call, agent, title="Autre chose", answer="Rien à voir")
    log_in(bertrix_client, bertrix, agent)
    for query in ("végétal", "grimpantes", "citoyen@bertrix"):
        html = unescape(bertrix_client.get(CHANGELIST, {"q": query}).content.decode())
        assert "Mur végétal" in html and "Autre chose" not in html, query


def test_an_agents_correction_is_logged(bertrix, call, citizen, agent, bertrix_client, category):
    idea = make_idea(bertrix, call, citizen)
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.post(f"{CHANGELIST}{idea.pk}/change/", {
        "category": category.pk, "neighbourhood": "", "address": "", "estimated_cost": "",
        "analyses-TOTAL_FORMS": "0", "analyses-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.category == category
        assert IdeaEvent.objects.filter(idea=idea, kind="edited", internal_note="category").exists()
