"""Server time of a survey's results page with many answers.

    python bench/survey_results.py [--answers 10000] [--requests 30]

Uses its own database (civic_bench) and commune (bench-survey): a survey of 20 questions
(single and multiple choice, yes/no, scales, a matrix, a ranking, numbers and open texts)
filled once with N complete responses by COPY. Then times, in-process (Django's test client:
middleware to rendered HTML, no network), the public results page: first with the counts not
cached (cold), then the median of the following requests, which reuse the counts cached until
the next response is stored. The last line is JSON:
{"answers": N, "results_ms": <median>, "cold_ms": <first request>}."""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

QUESTIONS = (
    [("single", f"Question à choix unique {i}") for i in range(5)]
    + [("multiple", f"Question à choix multiples {i}") for i in range(4)]
    + [("yes_no", f"Oui ou non {i}") for i in range(3)]
    + [("scale", f"Échelle {i}") for i in range(3)]
    + [("matrix", "Grille"), ("ranking", "Classement"), ("number", "Nombre"), ("short_text", "Texte court"),
       ("long_text", "Texte long")]
)


def build(survey_model, rng):
    from surveys.models import Choice, MatrixRow, Question, Section

    survey = survey_model.objects.create(title="Enquête de mesure", slug="mesure", is_published=True,
                                         audience="anyone", results_visibility="after_answering")
    sections = [Section.objects.create(survey=survey, title=f"Page {i}", position=i) for i in range(1, 5)]
    questions = []
    for index, (kind, text) in enumerate(QUESTIONS):
        question = Question.objects.create(section=sections[index % 4], kind=kind, text=text, position=index,
                                           required=kind not in ("short_text", "long_text"))
        if kind in ("single", "multiple", "ranking"):
            for position in range(5):
                Choice.objects.create(question=question, label=f"Réponse {position + 1}", position=position)
        if kind == "matrix":
            for position in range(4):
                MatrixRow.objects.create(question=question, label=f"Ligne {position + 1}", position=position)
        questions.append(question)
    return survey, questions


def fill(commune, *, answers, rng):
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from surveys.models import Response, Survey

    with tenant_context(commune):
        survey = Survey.objects.filter(slug="mesure").first()
        if survey is not None and Response.objects.filter(survey=survey).count() >= answers:
            return survey
        if survey is not None:
            survey.delete()
        survey, questions = build(Survey, rng)
        now = timezone.now()
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy("COPY surveys_response (survey_id, age_bracket, gender, submitted_at) FROM STDIN") as copy:
                for _ in range(answers):
                    copy.write_row((survey.pk, rng.choice(["18_24", "35_49", "65_plus", ""]),
                                    rng.choice(["female", "male", ""]), now))
            raw.execute("SELECT id FROM surveys_response WHERE survey_id = %s ORDER BY id", [survey.pk])
            response_ids = [row[0] for row in raw.fetchall()]
            choices = {q.pk: [c.pk for c in q.choices.all()] for q in questions}
            rows = {q.pk: [r.pk for r in q.rows.all()] for q in questions}
            with raw.copy("COPY surveys_answer (response_id, question_id, choice_id, row_id, text, number, rank) "
                          "FROM STDIN") as copy:
                for response_id in response_ids:
                    for question in questions:
                        kind, pk = question.kind, question.pk
                        if kind == "single":
                            copy.write_row((response_id, pk, rng.choice(choices[pk]), None, "", None, None))
                        elif kind == "multiple":
                            for choice in rng.sample(choices[pk], rng.randint(1, 3)):
                                copy.write_row((response_id, pk, choice, None, "", None, None))
                        elif kind == "yes_no":
                            copy.write_row((response_id, pk, None, None, rng.choice(["yes", "no"]), None, None))
                        elif kind == "scale":
                            copy.write_row((response_id, pk, None, None, "", rng.randint(1, 5), None))
                        elif kind == "matrix":
                            for row in rows[pk]:
                                copy.write_row((response_id, pk, None, row, "", rng.randint(1, 5), None))
                        elif kind == "ranking":
                            for rank, choice in enumerate(rng.sample(choices[pk], 5), start=1):
                                copy.write_row((response_id, pk, choice, None, "", None, rank))
                        elif kind == "number":
                            copy.write_row((response_id, pk, None, None, "", rng.randint(0, 100), None))
                        elif rng.random() < 0.3:
                            copy.write_row((response_id, pk, None, None, "Une idée pour la commune", None, None))
            raw.execute("ANALYZE")
        return survey


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    from commune_create import setup_bench_django

    setup_bench_django()
    from django.conf import settings
    from django.test import Client

    from tenants.models import Commune
    from tenants.services import commune_create

    settings.DEBUG = False
    commune = Commune.objects.filter(slug="bench-survey").first() or commune_create(
        name="Bench survey", slug="bench-survey", domain="bench-survey.localhost", population=20000)
    start = time.perf_counter()
    survey = fill(commune, answers=args.answers, rng=random.Random(11))
    print(f"filled in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    from django_tenants.utils import tenant_context

    client = Client(HTTP_HOST="bench-survey.localhost")
    with tenant_context(commune):  # sessions live in the commune's schema
        session = client.session
        session[f"survey-answered:{survey.pk}"] = 1  # this visitor answered: the results are shown to them
        session.save()
    url = f"/enquetes/{survey.slug}/resultats/"
    from django.core.cache import cache

    with tenant_context(commune):
        cache.delete_pattern("survey-counts:*")  # the first request counts everything
    start = time.perf_counter()
    response = client.get(url)
    cold_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(args.requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    print(f"first request (counting every answer): {cold_ms:.1f} ms", file=sys.stderr)
    print(json.dumps({"answers": args.answers, "results_ms": round(statistics.median(timings), 1),
                      "cold_ms": round(cold_ms, 1)}))


if __name__ == "__main__":
    main()
