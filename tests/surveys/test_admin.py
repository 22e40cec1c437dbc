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


def test_agents_read_cross_tabs_open_answers_and_export(bertrix, agent, bertrix_client):
    import csv
    import io

    from openpyxl import load_workbook

    from tests.conftest import create_citizen
    from tests.surveys.conftest import valid_answers

    survey, q = make_survey(bertrix, audience="anyone")
    people = [("18_24", "female"), ("18_24", "male"), ("65_plus", "female")]
    for number, (age, gender) in enumerate(people):
        person = create_citizen(bertrix, f"p{number}@bertrix.example", age_bracket=age, gender=gender)
        client = log_in(bertrix_client.__class__(HTTP_HOST="bertrix.localhost"), bertrix, person)
        with tenant_context(bertrix):
            page1, page2 = valid_answers(q)
        page2[f"q{q['why'].pk}"] = f"=HYPERLINK(\"x\") réponse {number}"
        client.post(f"/enquetes/{survey.slug}/page/1/", page1)
        assert client.post(f"/enquetes/{survey.slug}/page/2/", page2).status_code == 302
    admin = log_in(bertrix_client, bertrix, agent)
    page = admin.get(f"/admin/surveys/survey/{survey.pk}/analyse/",
                     {"question": q["mobile"].pk, "dimension": "age_bracket"}).content.decode()
    crosstab = page[page.index('<th scope="row">18–24 ans'):]
    crosstab = crosstab[:crosstab.index("</tbody>")]
    # Everyone answered "yes": two aged 18–24, one 65 and over.
    assert crosstab.split("<tr>")[0].count("<td>2</td>") == 1 and "65 ans et plus</th><td>1</td>" in crosstab
    assert "réponse 2" in page
    page = admin.get(f"/admin/surveys/survey/{survey.pk}/analyse/", {"q": "réponse 1"}).content.decode()
    assert "réponse 1" in page and "réponse 2" not in page
    rows = list(csv.reader(io.StringIO(admin.get(f"/admin/surveys/survey/{survey.pk}/export.csv").content.decode())))
    assert len(rows) == 4 and "adresse e-mail" not in rows[0]  # anonymous: no identity column
    assert all("@" not in cell for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for cell in rows[1])
    book = load_workbook(io.BytesIO(admin.get(f"/admin/surveys/survey/{survey.pk}/export.xlsx").content))
    assert book.active.max_row == 4
    assert bertrix_client.__class__(HTTP_HOST="bertrix.localhost").get(
        f"/admin/surveys/survey/{survey.pk}/export.csv").status_code == 302
