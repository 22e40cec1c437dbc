"""Ready-made surveys and invitations by email: the participants of a budget or a call,
or the newsletter's subscribers, each invited once per survey, by a real worker."""

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from surveys import answering, services
from surveys.models import Invitation, Question, Survey
from surveys.templates import survey_from_template
from tests.conftest import create_citizen, log_in


def test_the_post_budget_satisfaction_template(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    page = client.get("/admin/surveys/survey/").content.decode()
    assert "Comment améliorer le prochain budget participatif ?" in page
    response = client.post("/admin/surveys/survey/modele/bilan-budget/")
    assert response.status_code == 302
    with tenant_context(bertrix):
        survey = Survey.objects.get()
        assert not survey.is_published
        assert survey.sections.count() == 3
        unclear = Question.objects.get(section__survey=survey, text="Qu'est-ce qui n'était pas clair ?")
        assert unclear.condition_question.text == "Les raisons des projets non retenus étaient-elles claires ?"
        assert [c.label for c in unclear.condition_choices.all()] == ["Non"]
        assert Question.objects.get(section__survey=survey, kind="matrix").rows.count() == 5
        assert answering.is_shown(unclear, {str(unclear.condition_question_id): {
            "choice": unclear.condition_choices.get().pk}})
    assert client.post("/admin/surveys/survey/modele/inconnu/").status_code == 404
    with tenant_context(bertrix):
        assert survey_from_template("bilan-budget").slug != survey.slug


def test_only_agents_invite_and_only_to_open_surveys(bertrix, agent, citizen):
    with tenant_context(bertrix):
        survey = survey_from_template("bilan-budget")
        with pytest.raises(services.SurveyError):
            services.survey_invite(survey=survey, actor=agent, audience="newsletter")  # draft
        Survey.objects.filter(pk=survey.pk).update(is_published=True)
        survey.refresh_from_db()
        with pytest.raises(services.SurveyError):
            services.survey_invite(survey=survey, actor=citizen, audience="newsletter")


@pytest.mark.worker
def test_invitations_reach_a_budgets_participants_once(live_communes, celery_worker):
    from accounts.roles import Role
    from budgets import services as budget_services
    from tests.budgets.conftest import make_budget
    from tests.conftest import create_staff

    commune = live_communes("Herbeumont")
    agent = create_staff(commune, "agent@herbeumont.example", Role.AGENT)
    budget, ideas = make_budget(commune, agent)
    voter = create_citizen(commune, "votante@herbeumont.example")
    reader = create_citizen(commune, "lectrice@herbeumont.example", newsletter_opt_in=True)
    bystander = create_citizen(commune, "passant@herbeumont.example")
    with tenant_context(commune):
        budget_services.ballot_cast(budget=budget, voter=voter, choices={ideas[0].pk: 1})
        survey = survey_from_template("bilan-budget")
        Survey.objects.filter(pk=survey.pk).update(is_published=True)
        survey.refresh_from_db()
    connection.set_schema_to_public()
    with tenant_context(commune):
        assert services.survey_invite(survey=survey, actor=agent, audience="budget", target_id=budget.pk) == 2
        # Again, and to the newsletter: only the new person is added.
        assert services.survey_invite(survey=survey, actor=agent, audience="budget", target_id=budget.pk) == 0
        assert services.survey_invite(survey=survey, actor=agent, audience="newsletter") == 1
    for person in (voter, agent, reader):  # the agent authored the projects
        celery_worker.wait_for(f"To: {person.email}", f"/enquetes/{survey.slug}/")
    with tenant_context(commune):
        assert Invitation.objects.filter(survey=survey, sent_at__isnull=False).count() == 3
    assert celery_worker.count(f"To: {voter.email}", f"/enquetes/{survey.slug}/") == 1
    assert celery_worker.count(f"To: {bystander.email}") == 0
