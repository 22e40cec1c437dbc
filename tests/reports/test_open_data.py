"""Open data (/transparence/donnees/): what the site shows publicly, downloadable as CSV and
JSON, with nothing that names a person, nothing hidden, held or unpublished, nothing of a
switched-off module and nothing of another commune; each file in a fixed number of queries."""

import csv
import io
import json

from django_tenants.utils import tenant_context

from budgets import services as budget_services
from ideas.models import Idea, Status
from problems.models import Problem
from tests.budgets.test_results import counted, vote_all  # noqa: F401 - the counted fixture
from tests.conftest import create_citizen
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture
from tests.problems.conftest import category, make_problem  # noqa: F401 - the category fixture
from tests.tenants.test_modules import switch
from tenants.models import Module


def download(client, slug, fmt):
    response = client.get(f"/transparence/donnees/{slug}.{fmt}")
    assert response.status_code == 200, response.status_code
    text = response.content.decode("utf-8")
    if fmt == "csv":
        assert text.startswith("\ufeff")
        return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(text)


def test_ideas_are_the_public_ones_without_their_authors(bertrix, call, citizen, bertrix_client, fleurus,
                                                        fleurus_client):
    shown = make_idea(bertrix, call, citizen, title="Un potager partagé")
    make_idea(bertrix, call, citizen, title="Brouillon secret", status=Status.DRAFT)
    hidden = make_idea(bertrix, call, citizen, title="Idée masquée")
    with tenant_context(bertrix):
        Idea.objects.filter(pk=hidden.pk).update(is_hidden=True)
    for fmt in ("csv", "json"):
        rows = download(bertrix_client, "idees", fmt)
        assert [row["title"] for row in rows] == ["Un potager partagé"]
        assert str(rows[0]["id"]) == str(shown.pk) and rows[0]["url"] == f"/participer/idees/{shown.pk}/"
        assert str(rows[0]["supports"]) == "0" and rows[0]["status"] == "submitted"
    page = bertrix_client.get("/transparence/donnees/idees.csv").content.decode()
    assert citizen.email not in page and "Marie" not in page
    assert download(fleurus_client, "idees", "json") == []


def test_problem_reports_leave_out_the_held_ones_and_everything_personal(bertrix, citizen, category,
                                                                         bertrix_client):
    public = make_problem(bertrix, citizen, category, description="Le lampadaire du 3 est éteint.")
    held = make_problem(bertrix, citizen, category, description="Retenu pour relecture")
    with tenant_context(bertrix):
        Problem.objects.filter(pk=held.pk).update(held_for_review=True)
    rows = download(bertrix_client, "signalements", "csv")
    assert [row["reference"] for row in rows] == [public.reference]
    text = bertrix_client.get("/transparence/donnees/signalements.json").content.decode()
    assert "lampadaire" not in text and citizen.email not in text


def test_budget_results_appear_once_published_with_the_winners(counted, bertrix, agent, bertrix_client):
    budget, result, (playground, bench, wall) = counted
    assert download(bertrix_client, "resultats-budgets", "json") == []
    with tenant_context(bertrix):
        budget_services.results_publish(budget=budget, actor=agent)
    rows = {row["project"]: row for row in download(bertrix_client, "resultats-budgets", "json")}
    assert set(rows) == {playground.title, bench.title, wall.title}
    assert (rows[playground.title]["votes"], rows[playground.title]["won"]) == (4, True)
    assert (rows[bench.title]["votes"], rows[bench.title]["won"]) == (2, False)
    assert rows[wall.title]["cost"] == 8000 and rows[wall.title]["ballots"] == 5


def test_contributions_by_month_equal_the_dashboard(bertrix, call, citizen, bertrix_client):
    make_idea(bertrix, call, citizen)
    rows = download(bertrix_client, "contributions-par-mois", "csv")
    assert len(rows) == 24 and rows[-1]["ideas"] == "1" and rows[-1]["all"] == "1"


def test_a_switched_off_module_has_no_dataset(bertrix, bertrix_client):
    switch(bertrix, Module.MODERATION)
    page = bertrix_client.get("/transparence/donnees/").content.decode()
    assert "signalements.csv" not in page and "idees.csv" in page
    assert bertrix_client.get("/transparence/donnees/signalements.csv").status_code == 404
    assert bertrix_client.get("/transparence/donnees/inconnu.csv").status_code == 404
    assert bertrix_client.get("/transparence/donnees/idees.xml").status_code == 404
    switch(bertrix, Module.REPORTS)
    assert bertrix_client.get("/transparence/donnees/").status_code == 404
    assert bertrix_client.get("/transparence/donnees/idees.csv").status_code == 404


def test_a_text_a_spreadsheet_would_run_is_neutralised(bertrix, call, citizen, bertrix_client):
    make_idea(bertrix, call, citizen, title="=HYPERLINK(\"https://evil.example\")")
    [row] = download(bertrix_client, "idees", "csv")
    assert row["title"].startswith("'=")


def test_each_file_costs_the_same_queries_with_few_or_many_rows(bertrix, call, citizen, bertrix_client,
                                                               count_queries, category):
    def measure():
        counts = {}
        for slug in ("idees", "signalements", "resultats-budgets"):
            with count_queries() as queries:
                bertrix_client.get(f"/transparence/donnees/{slug}.json")
            counts[slug] = len(queries)
        return counts

    make_idea(bertrix, call, citizen, title="Une idée")
    make_problem(bertrix, citizen, category)
    few = measure()
    other = create_citizen(bertrix, "autre@bertrix.example")
    for number in range(6):
        make_idea(bertrix, call, other, title=f"Idée numéro {number}")
        make_problem(bertrix, other, category)
    assert measure() == few
    # the rows in one query (no published result here: its changes and its projects' titles
    # are not asked; see the next test)
    assert few == {"idees": 1, "signalements": 1, "resultats-budgets": 1}


def test_budget_results_cost_three_queries_whatever_the_projects(counted, bertrix, agent, bertrix_client,
                                                                count_queries):
    budget, _result, _projects = counted
    with tenant_context(bertrix):
        budget_services.results_publish(budget=budget, actor=agent)
    with count_queries() as queries:
        rows = bertrix_client.get("/transparence/donnees/resultats-budgets.json").json()
    assert len(rows) == 3
    # the published results with their budgets, their public changes, the projects' titles
    assert len(queries) == 3, queries.statements
