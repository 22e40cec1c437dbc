"""Every question type with valid and invalid answers, conditions, pages, one answer per
person, anonymity, closed surveys, isolation, results equal to a recount."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.http import QueryDict
from django.utils import timezone
from django_tenants.utils import tenant_context

from surveys import answering, services
from surveys.models import Answer, Participation, Response
from tests.conftest import create_citizen, log_in
from tests.surveys.conftest import make_survey, valid_answers


def clean(question, **post):
    data = QueryDict(mutable=True)
    for key, value in post.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return answering.clean(question, answering.read_post(question, data))


def refused(question, **post) -> str:
    with pytest.raises(answering.AnswerError) as error:
        clean(question, **post)
    return str(error.value)


def test_each_question_type_accepts_and_refuses(bertrix, survey):
    _survey, q = survey
    with tenant_context(bertrix):
        site, topics = q["site"], q["topics"]
        first = site.choices.get(position=0)
        assert clean(site, **{f"q{site.pk}": str(first.pk)}) == {"choice": first.pk}
        assert clean(site, **{f"q{site.pk}": "other", f"q{site.pk}-other": "Le Fleurus Mag"}) == {"other": "Le Fleurus Mag"}
        assert refused(site, **{f"q{site.pk}": "99999"}) == "Choisissez une des réponses proposées."
        assert refused(site) == "Cette question demande une réponse."
        assert refused(site, **{f"q{site.pk}": "other", f"q{site.pk}-other": "x" * 201}).startswith("Au plus 200")
        ids = [str(c.pk) for c in topics.choices.all()]
        assert clean(topics, **{f"q{topics.pk}": ids[:2]}) == {"choices": sorted(int(i) for i in ids[:2])}
        assert refused(topics, **{f"q{topics.pk}": ids}) == "Choisissez au plus 2 réponses."
        assert refused(topics, **{f"q{topics.pk}": [ids[0], ids[0]]}) == "Choisissez parmi les réponses proposées."
        mobile = q["mobile"]
        assert clean(mobile, **{f"q{mobile.pk}": "no"}) == {"value": "no"}
        assert refused(mobile, **{f"q{mobile.pk}": "peut-être"}) == "Répondez par oui ou par non."
        note = q["note"]
        assert clean(note, **{f"q{note.pk}": "5"}) == {"value": 5}
        assert refused(note, **{f"q{note.pk}": "6"}) == "Choisissez une valeur de 1 à 5."
        assert refused(note, **{f"q{note.pk}": "abc"}) == "Choisissez une des réponses proposées."
        visits = q["visits"]
        assert clean(visits, **{f"q{visits.pk}": "12,5"}) == {"number": "12.50"}
        assert refused(visits, **{f"q{visits.pk}": "douze"}) == "Écrivez un nombre, par exemple 12 ou 12,5."
        assert refused(visits, **{f"q{visits.pk}": "101"}) == "Le plus grand nombre accepté est 100."
        assert refused(visits, **{f"q{visits.pk}": "NaN"}) == "Écrivez un nombre, par exemple 12 ou 12,5."
        rank = q["rank"]
        a, b = rank.choices.all()
        assert clean(rank, **{f"q{rank.pk}-rank-{a.pk}": "2", f"q{rank.pk}-rank-{b.pk}": "1"}) == {
            "ranks": {str(b.pk): 1, str(a.pk): 2}}
        assert refused(rank, **{f"q{rank.pk}-rank-{a.pk}": "1", f"q{rank.pk}-rank-{b.pk}": "1"}).startswith(
            "Numérotez")
        grid = q["grid"]
        r1, r2 = grid.rows.all()
        assert clean(grid, **{f"q{grid.pk}-row-{r1.pk}": "1", f"q{grid.pk}-row-{r2.pk}": "3"}) == {
            "rows": {str(r1.pk): 1, str(r2.pk): 3}}
        assert refused(grid, **{f"q{grid.pk}-row-{r1.pk}": "1"}) == "Répondez à chaque ligne."
        more = q["more"]
        assert clean(more) == {}
        assert clean(more, **{f"q{more.pk}": "<script>alert(1)</script>"}) == {"text": "<script>alert(1)</script>"}


def answer_through_pages(client, survey, page1, page2):
    assert client.post(f"/enquetes/{survey.slug}/page/1/", page1).status_code == 302
    return client.post(f"/enquetes/{survey.slug}/page/2/", page2)


def test_pages_keep_answers_and_conditions_apply(bertrix, survey, citizen, bertrix_client):
    survey, q = survey
    log_in(bertrix_client, bertrix, citizen)
    with tenant_context(bertrix):
        page1, page2 = valid_answers(q, site="second")  # "why" is then not asked
    assert bertrix_client.post(f"/enquetes/{survey.slug}/page/1/", page1).status_code == 302
    # Page 2 with a bad number: refused, everything typed is still there.
    response = bertrix_client.post(f"/enquetes/{survey.slug}/page/2/", {**page2, f"q{q['visits'].pk}": "beaucoup"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Écrivez un nombre" in page and 'value="beaucoup"' in page and "Pour les démarches en ligne." in page
    # Back to page 1 and forward again: page 1's answers are still chosen.
    bertrix_client.post(f"/enquetes/{survey.slug}/page/2/", {**page2, "previous": "1"})
    page = bertrix_client.get(f"/enquetes/{survey.slug}/page/1/").content.decode()
    site_value = page1[f"q{q['site'].pk}"]
    assert f'value="{site_value}" checked' in page
    response = answer_through_pages(bertrix_client, survey, page1, page2)
    assert response.status_code == 302 and response["Location"] == f"/enquetes/{survey.slug}/merci/"
    with tenant_context(bertrix):
        stored = Response.objects.get()
        assert stored.respondent is None  # anonymous by default
        assert Participation.objects.filter(survey=survey, person=citizen).exists()
        assert not Answer.objects.filter(question=q["why"]).exists()  # hidden question dropped
        assert Answer.objects.get(question=q["visits"]).number == 12.5
    # Answering twice is refused.
    page = bertrix_client.get(f"/enquetes/{survey.slug}/page/1/").content.decode()
    assert "Vous avez déjà répondu à cette enquête" in page


def test_a_shown_conditional_question_is_required(bertrix, survey, citizen):
    survey, q = survey
    with tenant_context(bertrix):
        page1, page2 = valid_answers(q, site="first")
        answers = {str(q["site"].pk): {"choice": page1[f"q{q['site'].pk}"]},
                   str(q["topics"].pk): {"choices": page1[f"q{q['topics'].pk}"]}}
        with pytest.raises(services.SurveyError) as error:
            services.response_submit(survey=survey, user=citizen, answers=answers)
        assert error.value.errors[q["why"].pk] == "Cette question demande une réponse."


def test_identified_surveys_keep_the_person_and_may_be_changed(bertrix, citizen, bertrix_client):
    survey, q = make_survey(bertrix, slug="identifiee", is_anonymous=False, editable_until_close=True)
    log_in(bertrix_client, bertrix, citizen)
    with tenant_context(bertrix):
        page1, page2 = valid_answers(q)
    answer_through_pages(bertrix_client, survey, page1, page2)
    # Coming back, the earlier answers are there to change.
    page = bertrix_client.get(f"/enquetes/{survey.slug}/page/2/").content.decode()
    assert 'value="4" checked' in page and "Pour les démarches en ligne." in page and 'value="12.5"' in page
    answer_through_pages(bertrix_client, survey, page1, {**page2, f"q{q['note'].pk}": "2"})
    with tenant_context(bertrix):
        response = Response.objects.get()
        assert response.respondent == citizen
        assert Answer.objects.get(question=q["note"]).number == 2


def test_closed_not_yet_open_and_audience(bertrix, citizen, bertrix_client):
    now = timezone.now()
    closed, _q = make_survey(bertrix, slug="fermee", starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=1))
    page = bertrix_client.get(f"/enquetes/{closed.slug}/page/1/").content.decode()
    assert "Cette enquête est clôturée." in page
    with tenant_context(bertrix):
        from surveys.models import Survey

        Survey.objects.filter(pk=closed.pk).update(starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=9))
    assert "Cette enquête ouvre le" in bertrix_client.get(f"/enquetes/{closed.slug}/").content.decode()
    survey, _q = make_survey(bertrix, slug="verifiee")
    assert "Connectez-vous pour répondre" in bertrix_client.get(f"/enquetes/{survey.slug}/page/1/").content.decode()


def test_another_commune_sees_nothing(bertrix, fleurus, survey, fleurus_client):
    survey, _q = survey
    for path in ["", "page/1/", "merci/", "resultats/"]:
        assert fleurus_client.get(f"/enquetes/{survey.slug}/{path}").status_code in (404, 302), path
    stranger = create_citizen(fleurus, "citoyen@fleurus.example")
    client = log_in(fleurus_client, fleurus, stranger)
    assert client.post(f"/enquetes/{survey.slug}/page/1/", {}).status_code == 404


def test_results_equal_a_recount(bertrix, survey, bertrix_client, agent):
    from surveys import selectors

    survey, q = survey
    chosen = []
    for number in range(7):
        person = create_citizen(bertrix, f"r{number}@bertrix.example")
        with tenant_context(bertrix):
            page1, page2 = valid_answers(q, site="first" if number % 3 else "second")
            page2[f"q{q['note'].pk}"] = str(1 + number % 5)
            chosen.append((page1[f"q{q['site'].pk}"], 1 + number % 5))
        client = log_in(bertrix_client, bertrix, person)
        assert answer_through_pages(client, survey, page1, page2).status_code == 302
        client.logout()
    with tenant_context(bertrix):
        blocks = {block["question"].pk: block for block in selectors.results(survey)["blocks"]}
        site_bars = {bar["label"]: bar["count"] for bar in blocks[q["site"].pk]["bars"]}
        first = str(q["site"].choices.get(position=0).pk)
        assert site_bars["Le site de la Ville"] == sum(1 for c, _n in chosen if c == first) == 4
        assert site_bars["Facebook"] == 3
        notes = {bar["label"]: bar["count"] for bar in blocks[q["note"].pk]["bars"]}
        assert notes == {str(v): sum(1 for _c, n in chosen if n == v) for v in range(1, 6)}
        assert blocks[q["why"].pk]["respondents"] == 4
    log_in(bertrix_client, bertrix, agent)
    page = bertrix_client.get(f"/enquetes/{survey.slug}/resultats/").content.decode()
    assert "7 réponses" in page and "<svg" in page


def test_one_answer_even_when_submitted_twice_at_once(live_communes):
    commune = live_communes("Bouillon")
    survey, q = make_survey(commune)
    person = create_citizen(commune, "deux-onglets@bouillon.example")
    with tenant_context(commune):
        page1, page2 = valid_answers(q)
        answers = {}
        for question in services.questions_of(survey):
            post = QueryDict(mutable=True)
            for key, value in {**page1, **page2}.items():
                post.setlist(key, value if isinstance(value, list) else [value])
            answers[str(question.pk)] = answering.read_post(question, post)
    connection.set_schema_to_public()
    barrier, outcomes = threading.Barrier(8), []

    def submit():
        try:
            with tenant_context(commune):
                barrier.wait(timeout=30)
                services.response_submit(survey=survey, user=person, answers=answers)
                outcomes.append("stored")
        except services.SurveyError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("stored") == 1
    assert outcomes.count("Vous avez déjà répondu à cette enquête. Merci !") == 7
    with tenant_context(commune):
        assert Response.objects.count() == 1


def test_results_follow_each_new_response_and_pages_cost_fixed_queries(bertrix, survey, bertrix_client,
                                                                       count_queries):
    from surveys import selectors

    survey, q = survey
    with tenant_context(bertrix):
        Survey = type(survey)
        Survey.objects.filter(pk=survey.pk).update(audience="anyone", one_answer_per_person=False)
        survey.refresh_from_db()
        page1, page2 = valid_answers(q)
    counts = []
    for _ in range(2):
        assert answer_through_pages(bertrix_client, survey, page1, page2).status_code == 302
        with tenant_context(bertrix):
            counts.append(selectors.results(survey)["blocks"][0]["bars"][0]["count"])
    assert counts == [1, 2]  # the cached counts are not reused once a response is added
    with count_queries() as page:
        assert bertrix_client.get(f"/enquetes/{survey.slug}/page/2/").status_code == 200
    with count_queries() as cold:
        from django.core.cache import cache

        with tenant_context(bertrix):
            cache.delete_pattern("survey-counts:*")
        assert bertrix_client.get(f"/enquetes/{survey.slug}/resultats/").status_code == 200
    with count_queries() as warm:
        assert bertrix_client.get(f"/enquetes/{survey.slug}/resultats/").status_code == 200
    assert (len(page), len(cold), len(warm)) == (7, 9, 7)


def test_who_sees_the_results_and_when(bertrix, citizen, agent, bertrix_client):
    from surveys.models import Survey

    never, q = make_survey(bertrix, slug="jamais", audience="anyone", results_visibility="never")
    with tenant_context(bertrix):
        page1, page2 = valid_answers(q)
    answer_through_pages(bertrix_client, never, page1, page2)
    assert bertrix_client.get("/enquetes/jamais/resultats/").status_code == 404
    later, q2 = make_survey(bertrix, slug="apres", audience="anyone", results_visibility="after_closing")
    with tenant_context(bertrix):
        page1, page2 = valid_answers(q2)
    answer_through_pages(bertrix_client, later, page1, page2)
    assert bertrix_client.get("/enquetes/apres/resultats/").status_code == 404
    with tenant_context(bertrix):
        Survey.objects.filter(pk=later.pk).update(starts_at=timezone.now() - timedelta(days=3),
                                                  ends_at=timezone.now() - timedelta(minutes=1))
    assert bertrix_client.get("/enquetes/apres/resultats/").status_code == 200
    assert log_in(bertrix_client, bertrix, agent).get("/enquetes/jamais/resultats/").status_code == 200
