"""Counting a budget from its ballots, changing the result publicly, publishing it, and
the exports anyone can recount."""

import csv
import io

import pytest
from django.core import mail
from django_tenants.utils import tenant_context
from pabutools.election import parse_pabulib
from pabutools.election.satisfaction import Cost_Sat
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from budgets import services
from budgets.models import Ballot, BudgetEvent
from ideas.models import Status
from tests.budgets.conftest import make_budget, move_to
from tests.conftest import create_citizen


def vote_all(commune, budget, baskets):
    """One new citizen per basket (a list of ideas)."""
    with tenant_context(commune):
        start = Ballot.objects.count()
    for number, basket in enumerate(baskets, start=start):
        voter = create_citizen(commune, f"votant{number}@{commune.slug}.example")
        with tenant_context(commune):
            services.ballot_cast(budget=budget, voter=voter, choices={idea.pk: 1 for idea in basket})


@pytest.fixture
def counted(bertrix, agent):
    """Greedy with a basket vote: the playground (12 000 €, 4 votes) and the wall
    (8 000 €, 3 votes) fill the 20 000 €; the bench (5 000 €, 2 votes) no longer fits."""
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="basket")
    vote_all(bertrix, budget, [[playground, wall]] * 3 + [[playground, bench], [bench]])
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        result = services.budget_count(budget=budget, actor=agent)
    return budget, result, (playground, bench, wall)


def test_counting_waits_for_the_vote_to_close(bertrix, agent):
    budget, ideas = make_budget(bertrix, agent)
    with tenant_context(bertrix), pytest.raises(services.BudgetError) as error:
        services.budget_count(budget=budget, actor=agent)
    assert error.value.messages == ["Les votes sont dépouillés une fois le vote clos."]


def test_greedy_count_votes_costs_and_why(counted, bertrix, agent, bertrix_client):
    budget, result, (playground, bench, wall) = counted
    [envelope] = result.envelopes
    assert envelope["selected"] == [playground.pk, wall.pk]
    assert envelope["projects"][str(bench.pk)]["why"] == "does_not_fit"
    assert envelope["projects"][str(bench.pk)]["left"]["value"] == 0
    # Not published: citizens see nothing, agents preview.
    assert bertrix_client.get(f"/budgets/{budget.slug}/resultats/").status_code == 404
    with tenant_context(bertrix):
        services.results_publish(budget=budget, actor=agent)
        playground.refresh_from_db()
        bench.refresh_from_db()
        assert playground.status == Status.SELECTED and bench.status == Status.FINALIST
    page = bertrix_client.get(f"/budgets/{budget.slug}/resultats/").content.decode()
    assert "5 bulletins" in page and "5 en ligne, 0 sur papier" in page
    assert "il ne restait que 0\u00a0€" in page
    assert "Dépensé pour les projets gagnants : 20\u00a0000\u00a0€ ; reste : 0\u00a0€." in page


def test_an_override_needs_a_public_justification_and_shows(counted, bertrix, agent, bertrix_client):
    budget, result, (playground, bench, wall) = counted
    with tenant_context(bertrix):
        with pytest.raises(services.BudgetError):
            services.result_override(result=result, idea=wall, action="remove", justification=" ", actor=agent)
        services.result_override(result=result, idea=wall, action="remove", actor=agent,
                                 justification="Le terrain du mur est vendu.")
        services.result_override(result=result, idea=bench, action="add", actor=agent,
                                 justification="Financé avec le reste de l'enveloppe et un subside.")
        assert services.winners(result) == [playground.pk, bench.pk]
        assert BudgetEvent.objects.filter(kind="override").count() == 2
        services.results_publish(budget=budget, actor=agent)
        with pytest.raises(services.BudgetError):
            services.result_override(result=result, idea=wall, action="add", justification="x", actor=agent)
        with pytest.raises(services.BudgetError):
            services.budget_count(budget=budget, actor=agent)
        bench.refresh_from_db()
        wall.refresh_from_db()
        assert bench.status == Status.SELECTED and wall.status == Status.FINALIST
    page = bertrix_client.get(f"/budgets/{budget.slug}/resultats/").content.decode()
    assert "Le terrain du mur est vendu." in page
    assert "Financé avec le reste de l&#x27;enveloppe et un subside." in page


def test_equal_shares_explains_effective_support_and_payments(bertrix, agent, bertrix_client):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="approval", rule="mes",
                                                    completion="none")
    vote_all(bertrix, budget, [[playground]] * 6 + [[bench, wall]] * 4)
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        result = services.budget_count(budget=budget, actor=agent)
        services.results_publish(budget=budget, actor=agent)
    projects = result.envelopes[0]["projects"]
    # 10 voters, 2 000 € each: the six pay 12 000 € for the playground (2 000 € per 12 000 €
    # of cost: the best ratio). Bench and wall then tie (each of their 4 supporters pays a
    # quarter of the cost); the published order takes the cheaper, the bench (1 250 € each).
    # The four have 750 € left each: the wall (8 000 €) is out of reach.
    assert result.envelopes[0]["selected"] == [playground.pk, bench.pk]
    assert projects[str(playground.pk)]["effective_support"]["value"] == 6
    assert projects[str(bench.pk)]["paid"]["value"] == 5000
    assert projects[str(bench.pk)]["rho"]["value"] == 1250
    assert projects[str(wall.pk)]["why"] == "not_affordable"
    page = bertrix_client.get(f"/budgets/{budget.slug}/resultats/").content.decode()
    assert "soutien effectif de 6,0 votants" in page


def test_exports_read_back_by_pabutools_give_the_same_winners(counted, bertrix, agent, bertrix_client, tmp_path):
    budget, result, (playground, bench, wall) = counted
    with tenant_context(bertrix):
        services.results_publish(budget=budget, actor=agent)
    response = bertrix_client.get(f"/budgets/{budget.slug}/resultats/bulletins.pb")
    assert response.status_code == 200
    path = tmp_path / "export.pb"
    path.write_bytes(response.content)
    instance, profile = parse_pabulib(str(path))
    winners = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    assert sorted(int(p.name) for p in winners) == sorted([playground.pk, wall.pk])
    ballots = list(csv.reader(io.StringIO(bertrix_client.get(
        f"/budgets/{budget.slug}/resultats/bulletins.csv").content.decode())))
    assert ballots[0] == ["receipt", "channel", "neighbourhood", "project_id", "points"]
    assert len({row[0] for row in ballots[1:]}) == 5
    assert "citoyen" not in response.content.decode() and "@" not in response.content.decode()
    projects = bertrix_client.get(f"/budgets/{budget.slug}/resultats/projets.csv").content.decode()
    assert "Aire de jeu inclusive" in projects


def test_a_voter_finds_their_ballot_by_its_receipt(bertrix, agent, citizen):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="favourite")
    with tenant_context(bertrix):
        ballot = services.ballot_cast(budget=budget, voter=citizen, choices={bench.pk: 1})
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        services.budget_count(budget=budget, actor=agent)
        services.results_publish(budget=budget, actor=agent)
    from django.test import Client

    client = Client(HTTP_HOST="bertrix.localhost")
    page = client.get(f"/budgets/{budget.slug}/resultats/", {"recu": ballot.receipt.lower()}).content.decode()
    assert f"Le bulletin {ballot.receipt} a été compté" in page and "Le banc solidaire" in page
    page = client.get(f"/budgets/{budget.slug}/resultats/", {"recu": "ZZZZZZZZZZ"}).content.decode()
    assert "Aucun bulletin ne porte le code ZZZZZZZZZZ." in page


def test_points_are_counted_as_points(bertrix, agent):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="points", points=10)
    for number, points in enumerate([{bench.pk: 10}, {wall.pk: 6, playground.pk: 4}, {wall.pk: 5, bench.pk: 5}]):
        voter = create_citizen(bertrix, f"p{number}@bertrix.example")
        with tenant_context(bertrix):
            services.ballot_cast(budget=budget, voter=voter, choices=points)
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        result = services.budget_count(budget=budget, actor=agent)
    projects = result.envelopes[0]["projects"]
    assert [projects[str(i.pk)]["votes"] for i in (playground, bench, wall)] == [4, 15, 11]
    # bench (15 points, 5 000) then wall (11, 8 000); the playground (12 000) no longer fits.
    assert result.envelopes[0]["selected"] == [bench.pk, wall.pk]


def test_equal_shares_on_the_site_matches_pabutools(bertrix, agent, tmp_path):
    import random

    rng = random.Random(7)
    projects = [(f"Projet {i}", rng.randrange(1000, 9000, 500)) for i in range(7)]
    budget, ideas = make_budget(bertrix, agent, method="approval", rule="mes", completion="add1-exhaustive",
                                projects=projects)
    baskets = [[idea for idea in ideas if rng.random() < 0.35] or [ideas[0]] for _ in range(30)]
    vote_all(bertrix, budget, baskets)
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        result = services.budget_count(budget=budget, actor=agent)
        services.results_publish(budget=budget, actor=agent)
    from budgets import exports

    with tenant_context(bertrix):
        [(_key, text)] = exports.pb_files(budget)
    path = tmp_path / "mes.pb"
    path.write_text(text)
    instance, profile = parse_pabulib(str(path))
    from pabutools.tiebreaking import TieBreakingRule

    rank = {p: data["rank"] for p, data in result.envelopes[0]["projects"].items()}
    reference = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1,
                                       tie_breaking=TieBreakingRule(lambda i, p, project: rank[project.name]))
    assert sorted(int(p.name) for p in reference) == sorted(result.envelopes[0]["selected"])


def test_results_publication_tells_followers(bertrix, agent, citizen, counted, django_capture_on_commit_callbacks):
    budget, result, _ideas = counted
    with tenant_context(bertrix):
        services.budget_follow(budget=budget, follower=citizen)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.results_publish(budget=budget, actor=agent)
        with django_capture_on_commit_callbacks(execute=True):
            services.results_publish(budget=budget, actor=agent)  # twice: nothing more
    subjects = [m.subject for m in mail.outbox if m.to == [citizen.email]]
    assert subjects == ["[Bertrix] Les résultats de « Budget participatif 2020 » sont publiés"]


def test_only_agents_count_and_publish(bertrix, counted, citizen):
    budget, result, _ideas = counted
    with tenant_context(bertrix), pytest.raises(services.BudgetError):
        services.results_publish(budget=budget, actor=citizen)
