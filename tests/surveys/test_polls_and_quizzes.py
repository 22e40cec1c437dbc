"""A quick poll answered in one tap on the home page; a quiz scored with its explanations."""

from django_tenants.utils import tenant_context

from surveys.models import Choice, Question, Response, Section, Survey



def make_poll(commune, **fields):
    with tenant_context(commune):
        survey = Survey.objects.create(kind="poll", title="Marché de Noël", slug="marche", is_published=True,
                                       show_on_home=True, audience="anyone", **fields)
        section = Section.objects.create(survey=survey, title="Sondage")
        question = Question.objects.create(section=section, kind="single", text="Quel marché de Noël ?")
        choices = [Choice.objects.create(question=question, label=label, position=i)
                   for i, label in enumerate(["Sur la place", "Au château"])]
        return survey, question, choices


def test_a_quick_poll_in_one_tap_on_the_home_page(bertrix, bertrix_client):
    survey, question, (square, castle) = make_poll(bertrix)
    page = bertrix_client.get("/").content.decode()
    assert "Quel marché de Noël ?" in page and f'name="q{question.pk}" value="{castle.pk}"' in page
    response = bertrix_client.post(f"/enquetes/{survey.slug}/sondage/", {f"q{question.pk}": castle.pk})
    assert response.status_code == 302 and response["Location"] == "/"
    page = bertrix_client.get("/").content.decode()
    assert "Merci pour votre réponse." in page and "Au château : 1 (100 %)" in page
    # The same visitor cannot answer again; another one can.
    bertrix_client.post(f"/enquetes/{survey.slug}/sondage/", {f"q{question.pk}": square.pk})
    other = bertrix_client.__class__(HTTP_HOST="bertrix.localhost")
    other.post(f"/enquetes/{survey.slug}/sondage/", {f"q{question.pk}": square.pk})
    other.post(f"/enquetes/{survey.slug}/sondage/", {f"q{question.pk}": "not-a-choice"})
    with tenant_context(bertrix):
        assert Response.objects.filter(survey=survey).count() == 2


def test_a_quiz_gives_the_score_and_the_explanations(bertrix, bertrix_client):
    with tenant_context(bertrix):
        quiz = Survey.objects.create(kind="quiz", title="Le saviez-vous ?", slug="quiz", is_published=True,
                                     audience="anyone", one_answer_per_person=False)
        section = Section.objects.create(survey=quiz, title="Fleurus")
        first = Question.objects.create(section=section, kind="single", text="Combien d'habitants ?", position=1,
                                        explanation="Fleurus compte environ 23 000 habitants.")
        right = Choice.objects.create(question=first, label="23 000", is_correct=True)
        Choice.objects.create(question=first, label="8 000")
        second = Question.objects.create(section=section, kind="multiple", text="Quels villages ?", position=2)
        brye = Choice.objects.create(question=second, label="Brye", is_correct=True)
        Choice.objects.create(question=second, label="Wagnelée", is_correct=True)
        Choice.objects.create(question=second, label="Orgeo")
    response = bertrix_client.post("/enquetes/quiz/page/1/", {f"q{first.pk}": right.pk, f"q{second.pk}": [brye.pk]})
    assert response.status_code == 302
    page = bertrix_client.get(response["Location"]).content.decode()
    assert "Votre score : 1 / 2" in page and "Fleurus compte environ 23 000 habitants." in page
    assert "Brye, Wagnelée" in page
    with tenant_context(bertrix):
        assert Response.objects.get().score == 1
