"""Open answers shown on the results page are content like comments: reported in two taps,
hidden after the commune's number of reports with the note shown in their place, screened
by the safety nets when posted, decided on by the moderators, author told when identified."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.roles import Role
from moderation import services as moderation
from moderation.models import Decision, Report
from surveys import services
from surveys.models import Answer, Question, Section, Survey
from tests.conftest import create_citizen, create_staff, log_in


def make_open_survey(commune, *, anonymous=False, public=True):
    with tenant_context(commune):
        survey = Survey.objects.create(title="Le parc de demain", slug="parc", is_published=True,
                                       starts_at=timezone.now() - timedelta(days=1), is_anonymous=anonymous,
                                       results_visibility=Survey.ResultsVisibility.AFTER_ANSWERING)
        section = Section.objects.create(survey=survey, title="Votre avis", position=1)
        question = Question.objects.create(section=section, kind="long_text", text="Que souhaitez-vous ?",
                                           public_answers=public, position=1)
        return survey, question


def answer(commune, survey, question, person, text):
    with tenant_context(commune):
        services.response_submit(survey=survey, user=person, answers={str(question.pk): {"text": text}})
        return Answer.objects.filter(question=question).latest("id")


def test_three_reports_hide_an_answer_and_a_moderator_restores_it(bertrix, citizen, bertrix_client,
                                                                   django_capture_on_commit_callbacks):
    survey, question = make_open_survey(bertrix)
    shown = answer(bertrix, survey, question, citizen, "Plus d'arbres et des bancs à l'ombre.")
    people = [create_citizen(bertrix, f"voisin{i}@bertrix.example") for i in range(3)]
    for person in people:
        answer(bertrix, survey, question, person, f"Un jeu d'eau, dit {person.pk}.")
    client = log_in(bertrix_client, bertrix, people[0])
    page = client.get("/enquetes/parc/resultats/").content.decode().replace("&#x27;", "'")
    assert "Plus d'arbres et des bancs à l'ombre." in page and "Signaler cette réponse" in page
    for person in people:
        client = log_in(bertrix_client, bertrix, person)
        response = client.post(f"/enquetes/parc/reponses/{shown.pk}/signaler/", {"reason": "abuse"})
        assert response.status_code == 302 and response.url.endswith(f"#answer-{shown.pk}")
    with tenant_context(bertrix):
        shown.refresh_from_db()
        assert shown.is_hidden and Report.objects.filter(object_id=shown.pk).count() == 3
    page = client.get("/enquetes/parc/resultats/").content.decode().replace("&#x27;", "'")
    assert "Plus d'arbres" not in page and "Masqué par la modération" in page
    moderator = create_staff(bertrix, "moderation@bertrix.example", Role.MODERATOR)
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        shown.refresh_from_db()
        moderation.moderation_decide(content=shown, moderator=moderator, action="restore",
                                     reason="Rien de blessant : la réponse reste.")
    assert "Plus d'arbres" in client.get("/enquetes/parc/resultats/").content.decode().replace("&#x27;", "'")
    with tenant_context(bertrix):
        decision = Decision.objects.get(action="restore")
        assert decision.target_user == citizen  # identified survey: the author is told


def test_the_moderation_queue_shows_answers_and_decides_on_them(bertrix, citizen, agent, bertrix_client):
    survey, question = make_open_survey(bertrix)
    shown = answer(bertrix, survey, question, citizen, "Un texte signalé.")
    reporter = create_citizen(bertrix, "voisin@bertrix.example")
    with tenant_context(bertrix):
        moderation.report_create(content=shown, reporter=reporter, reason="spam")
    client = log_in(bertrix_client, bertrix, agent)
    queue = client.get("/admin/moderation/report/file/").content.decode()
    assert "Un texte signalé." in queue
    from django.contrib.contenttypes.models import ContentType

    with tenant_context(bertrix):
        answer_type = ContentType.objects.get_for_model(Answer)
    response = client.post("/admin/moderation/report/file/", {
        "content_type": answer_type.pk, "object_id": shown.pk, "action": "hide", "reason": "Publicité."})
    assert response.status_code == 302
    with tenant_context(bertrix):
        shown.refresh_from_db()
        assert shown.is_hidden and shown.moderation_note == "Publicité."


def test_anonymous_answers_have_no_author_to_warn(bertrix, citizen, agent):
    survey, question = make_open_survey(bertrix, anonymous=True)
    shown = answer(bertrix, survey, question, citizen, "Anonyme mais blessant.")
    with tenant_context(bertrix):
        assert shown.author is None
        with pytest.raises(moderation.ModerationError):
            moderation.moderation_decide(content=shown, moderator=agent, action="warn", reason="Non.")
        moderation.moderation_decide(content=shown, moderator=agent, action="hide", reason="Propos blessants.")
        assert not Decision.objects.filter(target_user__isnull=False).exists()


def test_safety_nets_screen_public_answers_only(bertrix, citizen):
    bertrix.review_words = "arnaque"
    bertrix.save()
    survey, question = make_open_survey(bertrix)
    held = answer(bertrix, survey, question, citizen, "C'est une ARNAQUE totale")
    with tenant_context(bertrix):
        held.refresh_from_db()
        assert held.is_hidden and Report.objects.get(object_id=held.pk, reporter__isnull=True).reason == "review"


def test_reporting_needs_a_public_answer_of_this_survey_and_a_login(bertrix, fleurus, citizen, bertrix_client,
                                                                     fleurus_client):
    survey, question = make_open_survey(bertrix)
    shown = answer(bertrix, survey, question, citizen, "Une réponse.")
    with tenant_context(bertrix):
        private_section_question = Question.objects.create(section=question.section, kind="short_text",
                                                           text="Votre rue ?", required=False, position=2)
        services.response_submit(survey=survey, user=create_citizen(bertrix, "autre@bertrix.example"),
                                 answers={str(question.pk): {"text": "Encore"},
                                          str(private_section_question.pk): {"text": "Rue des Écoles 4"}})
        private = Answer.objects.get(question=private_section_question)
    anonymous = bertrix_client.post(f"/enquetes/parc/reponses/{shown.pk}/signaler/", {"reason": "abuse"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    client = log_in(bertrix_client, bertrix, citizen)
    assert client.post(f"/enquetes/parc/reponses/{private.pk}/signaler/", {"reason": "abuse"}).status_code == 404
    assert client.post("/enquetes/parc/reponses/999999/signaler/", {"reason": "abuse"}).status_code == 404
    assert client.get(f"/enquetes/parc/reponses/{shown.pk}/signaler/").status_code == 405
    # The private answer is never on the page.
    assert "Rue des Écoles" not in client.get("/enquetes/parc/resultats/").content.decode()
    # Another commune: same 404 whatever exists here.
    resident = create_citizen(fleurus, "habitant@fleurus.example")
    other = log_in(fleurus_client, fleurus, resident)
    assert other.post(f"/enquetes/parc/reponses/{shown.pk}/signaler/", {"reason": "abuse"}).status_code == 404
    with tenant_context(bertrix):
        assert not Report.objects.exists()


def test_the_results_page_reads_public_answers_in_one_query(bertrix, citizen, bertrix_client):
    survey, question = make_open_survey(bertrix)
    answer(bertrix, survey, question, citizen, "Première")
    client = log_in(bertrix_client, bertrix, citizen)
    client.get("/enquetes/parc/resultats/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/enquetes/parc/resultats/")
    for i in range(30):
        answer(bertrix, survey, question, create_citizen(bertrix, f"p{i}@bertrix.example"), f"Réponse {i}")
    client.get("/enquetes/parc/resultats/")  # the counts' cache is filled again
    with CaptureQueriesContext(connection) as many:
        page = client.get("/enquetes/parc/resultats/").content.decode()
    assert "Réponse 29" in page and len(many) == len(few)


def test_a_blocked_person_still_answers_but_nothing_of_theirs_is_shown(bertrix, citizen, agent):
    from datetime import timedelta as days

    survey, question = make_open_survey(bertrix)
    with tenant_context(bertrix):
        type(citizen).objects.filter(pk=citizen.pk).update(posting_blocked_until=timezone.now() + days(days=7))
        citizen.refresh_from_db()
    held = answer(bertrix, survey, question, citizen, "Mon avis malgré tout")
    with tenant_context(bertrix):
        held.refresh_from_db()
        assert held.is_hidden and Report.objects.filter(object_id=held.pk, reason="review").exists()
