"""The citizens' pages of a budget: phases drive what they show and allow; another
commune sees nothing; each page costs a fixed number of queries."""

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from budgets import services
from budgets.models import Ballot, BudgetEvent, Criterion
from budgets.tasks import announce_phases
from ideas.models import Phase, Status
from tests.budgets.conftest import make_budget, move_to
from tests.conftest import create_citizen, create_staff, log_in


def test_home_shows_explanation_timeline_and_the_current_action(bertrix, agent, bertrix_client):
    budget, ideas = make_budget(bertrix, agent, current="submission", problem="Quelle idée pour Bertrix ?")
    page = bertrix_client.get(f"/budgets/{budget.slug}/").content.decode()
    assert "Quelle idée pour Bertrix ?" in page
    assert "Qu'est-ce qu'un budget participatif" in page or "Qu&#x27;est-ce qu&#x27;un budget participatif" in page
    assert page.count("state-current") == 1 and page.count("state-upcoming") == 3
    assert f'/participer/appels/{budget.slug}/proposer/' in page
    assert "Enveloppe : 20\u00a0000\u00a0€" in page
    move_to(bertrix, budget, "vote")
    page = bertrix_client.get(f"/budgets/{budget.slug}/").content.decode()
    assert page.count("state-finished") == 2 and f"/budgets/{budget.slug}/voter/" in page
    assert "/proposer/" not in page


def test_sections_follow_the_visitors_language(bertrix, agent, bertrix_client):
    with tenant_context(bertrix):
        bertrix.languages = ["fr", "nl"]
        bertrix.save()
    budget, _ideas = make_budget(bertrix, agent)
    with tenant_context(bertrix):
        assert set(budget.sections.values_list("language", flat=True)) == {"fr", "nl"}
    bertrix_client.cookies["django_language"] = "nl"
    page = bertrix_client.get(f"/budgets/{budget.slug}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Wat is een participatief budget?" in page


def test_unpublished_budgets_are_previewed_by_agents_only(bertrix, agent, citizen, bertrix_client):
    budget, _ideas = make_budget(bertrix, agent, publish=False)
    assert bertrix_client.get(f"/budgets/{budget.slug}/").status_code == 404
    log_in(bertrix_client, bertrix, citizen)
    assert bertrix_client.get(f"/budgets/{budget.slug}/").status_code == 404
    log_in(bertrix_client, bertrix, agent)
    page = bertrix_client.get(f"/budgets/{budget.slug}/")
    assert page.status_code == 200 and "Aperçu" in page.content.decode()


def test_another_commune_sees_nothing_of_a_budget(bertrix, fleurus, agent, fleurus_client, citizen):
    budget, ideas = make_budget(bertrix, agent)
    with tenant_context(bertrix):
        ballot = services.ballot_cast(budget=budget, voter=citizen, choices={ideas[0].pk: 1})
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        services.budget_count(budget=budget, actor=agent)
        services.results_publish(budget=budget, actor=agent)
    stranger = create_citizen(fleurus, "citoyen@fleurus.example")
    for client in (fleurus_client, log_in(fleurus_client, fleurus, stranger)):
        for path in ["", "voter/", "resultats/", "resultats/bulletins.pb", "resultats/bulletins.csv",
                     f"vote-enregistre/{ballot.receipt}/", "priorisation/"]:
            assert client.get(f"/budgets/{budget.slug}/{path}").status_code in (404, 302), path
        response = client.post(f"/budgets/{budget.slug}/voter/", {"project": ideas[0].pk})
        assert response.status_code in (404, 302)
    with tenant_context(bertrix):
        assert Ballot.objects.count() == 1


def test_voting_through_the_page_keeps_the_choice_on_error(bertrix, agent, citizen, bertrix_client):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="basket")
    log_in(bertrix_client, bertrix, citizen)
    response = bertrix_client.post(f"/budgets/{budget.slug}/voter/", {"project": [playground.pk, bench.pk, wall.pk]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Votre bulletin n&#x27;est pas enregistré" in page or "Votre bulletin n'est pas enregistré" in page
    assert page.count(" checked") == 3
    response = bertrix_client.post(f"/budgets/{budget.slug}/voter/", {"project": ["abc"]})
    assert response.status_code == 400
    response = bertrix_client.post(f"/budgets/{budget.slug}/voter/", {"project": [playground.pk, bench.pk]})
    assert response.status_code == 302
    with tenant_context(bertrix):
        ballot = Ballot.objects.get()
    assert response["Location"] == f"/budgets/{budget.slug}/vote-enregistre/{ballot.receipt}/"
    page = bertrix_client.get(response["Location"]).content.decode()
    assert ballot.receipt in page and "Aire de jeu inclusive" in page
    # The vote page says they voted and shows their basket checked.
    page = bertrix_client.get(f"/budgets/{budget.slug}/voter/").content.decode()
    assert ballot.receipt in page and page.count(" checked") == 2


def test_anonymous_visitors_are_asked_to_log_in(bertrix, agent, bertrix_client):
    budget, _ideas = make_budget(bertrix, agent)
    page = bertrix_client.get(f"/budgets/{budget.slug}/voter/").content.decode()
    assert "Connectez-vous pour voter." in page
    response = bertrix_client.post(f"/budgets/{budget.slug}/voter/", {"project": [1]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("projects", [3, 30])
def test_pages_cost_a_fixed_number_of_queries(bertrix, agent, citizen, bertrix_client, count_queries, projects):
    budget, ideas = make_budget(bertrix, agent, method="approval",
                                projects=[(f"Projet {i}", 100 + i) for i in range(projects)])
    with tenant_context(bertrix):
        services.ballot_cast(budget=budget, voter=citizen, choices={ideas[0].pk: 1})
    log_in(bertrix_client, bertrix, citizen)
    with count_queries() as home:
        assert bertrix_client.get(f"/budgets/{budget.slug}/").status_code == 200
    with count_queries() as vote:
        assert bertrix_client.get(f"/budgets/{budget.slug}/voter/").status_code == 200
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        services.budget_count(budget=budget, actor=agent)
        services.results_publish(budget=budget, actor=agent)
    with count_queries() as results:
        assert bertrix_client.get(f"/budgets/{budget.slug}/resultats/").status_code == 200
    assert (len(home), len(vote), len(results)) == (11, 9, 11)


def test_followers_hear_once_when_a_step_opens(bertrix, agent, citizen, django_capture_on_commit_callbacks):
    budget, _ideas = make_budget(bertrix, agent, current="submission")
    with tenant_context(bertrix):
        services.budget_follow(budget=budget, follower=citizen)
        # The submission step opened before anyone followed: announced now, once.
        announce_phases()
        announce_phases()
    subjects = [m.subject for m in mail.outbox if m.to == [citizen.email]]
    assert subjects == ["[Bertrix] « Budget participatif 2020 » : l'étape « Dépôt des idées » est ouverte"]
    move_to(bertrix, budget, "analysis")
    with tenant_context(bertrix):
        announce_phases()
        assert Phase.objects.filter(call=budget.call, announced_at__isnull=False).count() == 2
    assert len([m for m in mail.outbox if m.to == [citizen.email]]) == 2


def test_an_agent_closes_a_step_early_with_a_logged_reason(bertrix, agent, bertrix_client):
    budget, _ideas = make_budget(bertrix, agent, current="submission")
    with tenant_context(bertrix):
        phase = budget.call.phases.get(kind="submission")
        with pytest.raises(services.BudgetError):
            services.phase_close_early(phase=phase, actor=agent, message="")
        services.phase_close_early(phase=phase, actor=agent, message="Assez de projets reçus.")
        phase.refresh_from_db()
        assert phase.closed_early_at is not None and not phase.is_open()
        assert BudgetEvent.objects.get(kind="phase_closed").actor == agent
    page = bertrix_client.get(f"/budgets/{budget.slug}/").content.decode()
    assert "Assez de projets reçus." in page and "/proposer/" not in page


def test_the_committee_scores_and_the_averages_are_published(bertrix, agent, bertrix_client):
    from accounts.roles import Role

    budget, ideas = make_budget(bertrix, agent, current="submission")
    with tenant_context(bertrix):
        steps = [services.StepPlan(kind=p.kind, enabled=True, starts_at=p.starts_at, ends_at=p.ends_at)
                 for p in budget.call.phases.all()]
        vote = next(step for step in steps if step.kind == "vote")
        analysis = next(step for step in steps if step.kind == "analysis")
        analysis.ends_at = analysis.starts_at + (vote.starts_at - analysis.starts_at) / 2
        steps.append(services.StepPlan(kind="prioritisation", enabled=True, starts_at=analysis.ends_at,
                                       ends_at=vote.starts_at))
        services.budget_set_steps(budget=budget, actor=agent, steps=steps)
        need = Criterion.objects.create(budget=budget, name="Répond à un besoin", weight=2)
        reach = Criterion.objects.create(budget=budget, name="Nombre de bénéficiaires")
        from ideas.models import Idea

        Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(status=Status.ADMISSIBLE)
    members = [create_staff(bertrix, f"copil{i}@bertrix.example", Role.STEERING_COMMITTEE) for i in range(2)]
    move_to(bertrix, budget, "prioritisation")
    client = log_in(bertrix_client, bertrix, members[0])
    assert client.post(f"/budgets/{budget.slug}/priorisation/",
                       {"idea": ideas[0].pk, f"criterion-{need.pk}": "5", f"criterion-{reach.pk}": "2"}).status_code == 302
    with tenant_context(bertrix):
        services.score_record(member=members[1], idea=ideas[0], scores={need.pk: 3, reach.pk: 4})
        with pytest.raises(services.BudgetError):
            services.score_record(member=members[1], idea=ideas[1], scores={need.pk: 6})
        with pytest.raises(services.BudgetError):
            services.score_record(member=agent, idea=ideas[1], scores={need.pk: 1})
        with pytest.raises(services.BudgetError):
            services.finalists_select(budget=budget, actor=agent, ideas=[ideas[0]], public_message="")
        services.finalists_select(budget=budget, actor=agent, ideas=[ideas[0]],
                                  public_message="Le comité retient les projets les mieux notés.")
    # During the step, citizens do not see the scores.
    from django.test import Client

    anonymous = Client(HTTP_HOST="bertrix.localhost")
    assert anonymous.get(f"/budgets/{budget.slug}/priorisation/").status_code == 404
    move_to(bertrix, budget, "vote")
    page = anonymous.get(f"/budgets/{budget.slug}/priorisation/").content.decode()
    # need (×2): (5+3)/2 = 4; reach: (2+4)/2 = 3; weighted (4·2 + 3)/3 = 3,67
    assert "3,67" in page and "Répond à un besoin" in page
    assert "Le comité retient les projets les mieux notés." in anonymous.get(f"/budgets/{budget.slug}/").content.decode()


def test_project_updates_move_the_winner_and_tell_its_followers(bertrix, agent, citizen,
                                                                 django_capture_on_commit_callbacks, bertrix_client):
    from ideas.models import Follow, Idea

    budget, (playground, *_rest) = make_budget(bertrix, agent)
    with tenant_context(bertrix):
        Idea.objects.filter(pk=playground.pk).update(status=Status.SELECTED)
        Follow.objects.create(idea=playground, follower=citizen)
        with django_capture_on_commit_callbacks(execute=True):
            services.project_update_add(idea=playground, actor=agent, title="Permis obtenu",
                                        body="Les travaux commencent en mars.", progress=30)
        services.milestone_set(idea=playground, actor=agent, kind="works", planned_for=timezone.localdate())
        playground.refresh_from_db()
        assert playground.status == Status.IN_PROGRESS
        assert services.project_progress(playground) == 30
    assert [m.subject for m in mail.outbox if m.to == [citizen.email]] == [
        "[Bertrix] Nouvelles du projet « Aire de jeu inclusive »"]
    page = bertrix_client.get(f"/participer/idees/{playground.pk}/").content.decode()
    assert "Permis obtenu" in page and "30\u00a0%" in page
