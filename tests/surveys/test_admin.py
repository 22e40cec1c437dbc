"""The survey builder in the admin: agents only, a survey with sections and questions,
duplicated with its conditions."""

from django_tenants.utils import tenant_context

from surveys import services
from surveys.models import Choice, Question, Section, Survey
from tests.conftest import log_in
from tests.surveys.conftest import make_survey


def inline(prefix, rows, total=None):
    data = {f"{prefix}-TOTAL_FORMS": str(total or len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_an_agent_builds_a_survey_in_the_admin(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post("/admin/surveys/survey/add/", {
        "kind": "survey", "title": "Ensemble, améliorons votre Fleurus Mag' !", "slug": "fleurus-mag",
        "introduction": "Dix minutes pour nous aider.", "starts_at_0": "01/11/2026", "starts_at_1": "08:00:00",
        "ends_at_0": "", "ends_at_1": "", "is_published": "on", "audience": "anyone", "is_anonymous": "on",
        "one_answer_per_person": "on", "results_visibility": "after_answering",
        **inline("sections", [{"position": "1", "title": "Vous et le magazine", "description": ""},
                              {"position": "2", "title": "Vos envies", "description": ""}])})
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(bertrix):
        survey = Survey.objects.get(slug="fleurus-mag")
        first = survey.sections.get(position=1)
    response = client.post("/admin/surveys/question/add/", {
        "section": first.pk, "position": "1", "kind": "single", "text": "Lisez-vous le Fleurus Mag ?",
        "help_text": "", "required": "on", "min_choices": "", "max_choices": "", "scale_min": "1",
        "scale_max": "5", "scale_min_label": "", "scale_max_label": "", "number_min": "", "number_max": "",
        "condition_question": "", "explanation": "",
        **inline("choices", [{"position": "1", "label": "Chaque mois"}, {"position": "2", "label": "Parfois"}]),
        **inline("rows", [])})
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(bertrix):
        question = Question.objects.get(section=first)
        assert list(question.choices.values_list("label", flat=True)) == ["Chaque mois", "Parfois"]
    page = bertrix_client.get("/enquetes/fleurus-mag/page/1/").content.decode()
    assert "Lisez-vous le Fleurus Mag ?" in page and "Parfois" in page


def test_citizens_and_other_communes_cannot_build(bertrix, fleurus, citizen, bertrix_client, fleurus_client):
    survey, _q = make_survey(bertrix)
    assert log_in(bertrix_client, bertrix, citizen).get("/admin/surveys/survey/").status_code == 302
    from accounts.roles import Role
    from tests.conftest import create_staff

    their_agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    client = log_in(fleurus_client, fleurus, their_agent)
    assert client.get(f"/admin/surveys/survey/{survey.pk}/change/").status_code in (302, 404)
    with tenant_context(fleurus):
        assert not Survey.objects.exists()


def test_a_duplicate_keeps_sections_questions_and_conditions(bertrix, agent):
    survey, q = make_survey(bertrix)
    with tenant_context(bertrix):
        copy = services.survey_duplicate(survey=survey, actor=agent)
        assert not copy.is_published and copy.slug != survey.slug and copy.title.endswith("(copie)")
        assert Section.objects.filter(survey=copy).count() == 2
        assert Question.objects.filter(section__survey=copy).count() == Question.objects.filter(
            section__survey=survey).count()
        why = Question.objects.get(section__survey=copy, text="Pourquoi le site ?")
        assert why.condition_question.section.survey == copy
        assert [c.label for c in why.condition_choices.all()] == ["Le site de la Ville"]
        assert why.condition_choices.get().question == why.condition_question
        assert Choice.objects.filter(question__section__survey=copy).count() == 7
