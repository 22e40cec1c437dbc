"""Reads for the survey pages. Results are counted in SQL, a few grouped queries for the
whole survey whatever the number of answers."""

from __future__ import annotations

from collections import defaultdict

from django.core.cache import cache
from django.db.models import Avg, Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import services
from surveys.models import Answer, Question, Response, Survey


def published_surveys():
    now = timezone.now()
    return Survey.objects.filter(is_published=True, starts_at__lte=now).order_by("-starts_at")


def _bar(label, count, total, **extra) -> dict:
    return {"label": label, "count": count, "percent": round(100 * count / total) if total else 0, **extra}


MULTI_ROW = {Question.Kind.MULTIPLE, Question.Kind.RANKING, Question.Kind.MATRIX}
OPEN = {Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT}


def results(survey: Survey) -> dict:
    """Every closed question's counts from one grouped pass over the answers, plus one
    count of distinct respondents for the questions that store several rows per response
    (choices, ranks, matrix lines) or free texts. Filtering on the question ids uses the
    answers' (question, …) indexes instead of joining the responses."""
    questions = services.questions_of(survey)
    stamp = Response.objects.filter(survey=survey).aggregate(n=Count("id"), last=Max("submitted_at"))
    key = f"survey-counts:{survey.pk}:{stamp['n']}:{stamp['last'].timestamp() if stamp['last'] else 0}"
    counts = cache.get(key)
    if counts is None or set(counts["questions"]) != {q.pk for q in questions}:
        counts = _counts(questions)
        cache.set(key, counts, 3600)
    answered, respondents = counts["answered"], counts["respondents"]
    by_choice, by_text, by_value, matrix = counts["by_choice"], counts["by_text"], counts["by_value"], counts["matrix"]
    several = counts["several"]
    blocks = []
    for question in questions:
        total = respondents.get(question.pk, answered.get(question.pk, 0)) if question.pk in several \
            else answered.get(question.pk, 0)
        block = {"question": question, "respondents": total, "bars": [], "open": False}
        kind = question.kind
        values = by_value.get(question.pk, {})
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            block["bars"] = [_bar(c.label, by_choice.get(question.pk, {}).get(c.pk, (0, None))[0], total)
                             for c in question.choices.all()]
            if question.allow_other:
                block["bars"].append(_bar(_("Other"), sum(by_text.get(question.pk, {}).values()), total, other=True))
        elif kind == Question.Kind.YES_NO:
            block["bars"] = [_bar(label, by_text.get(question.pk, {}).get(value, 0), total)
                             for value, label in (("yes", _("Yes")), ("no", _("No")))]
        elif kind == Question.Kind.SCALE:
            block["bars"] = [_bar(str(v), values.get(v, 0), total) for v in question.scale_values()]
            if total:
                block["average"] = sum(v * n for v, n in values.items()) / total
        elif kind == Question.Kind.NUMBER:
            if values:
                block["summary"] = {"avg": sum(v * n for v, n in values.items()) / sum(values.values()),
                                    "low": min(values), "high": max(values)}
        elif kind == Question.Kind.RANKING:
            ranked = [(c.label, by_choice.get(question.pk, {}).get(c.pk, (0, None))[1]) for c in question.choices.all()]
            block["ranking"] = sorted(ranked, key=lambda item: (item[1] is None, item[1] or 0))
        elif kind == Question.Kind.MATRIX:
            block["matrix"] = [(row.label, [matrix[question.pk].get(row.pk, {}).get(v, 0)
                                            for v in question.scale_values()]) for row in question.rows.all()]
        else:
            block["open"] = True
            block["public"] = question.public_answers
        blocks.append(block)
    shown = public_answers([q.pk for q in questions if q.public_answers])
    for block in blocks:
        block["answers"] = shown.get(block["question"].pk, [])
    return {"blocks": blocks, "responses": stamp["n"]}


PUBLIC_ANSWERS_SHOWN = 50


def public_answers(question_ids: list[int]) -> dict[int, list[Answer]]:
    """The latest answers of the questions whose answers are public, at most
    ``PUBLIC_ANSWERS_SHOWN`` each, in one query (hidden ones come with their note)."""
    if not question_ids:
        return {}
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    rows = (Answer.objects.filter(question_id__in=question_ids).exclude(text="")
            .annotate(n=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").desc()))
            .filter(n__lte=PUBLIC_ANSWERS_SHOWN).only("id", "question_id", "text", "is_hidden", "moderation_note")
            .order_by("question_id", "-id"))
    shown: dict[int, list[Answer]] = {}
    for answer in rows:
        shown.setdefault(answer.question_id, []).append(answer)
    return shown


def _counts(questions) -> dict:
    """The grouped counts of the answers to ``questions``, as plain dicts (cached: they only
    change when a response is stored)."""
    closed = [q.pk for q in questions if q.kind not in OPEN]
    groups = (Answer.objects.filter(question_id__in=closed)
              .values_list("question_id", "choice_id", "row_id", "number", "text")
              .annotate(n=Count("id"), rank=Avg("rank")).order_by())
    answered: dict = defaultdict(int)  # rows per question: respondents for one-row questions
    by_choice: dict = defaultdict(dict)
    by_text: dict = defaultdict(dict)  # yes/no, and "other"
    by_value: dict = defaultdict(dict)  # scales, numbers
    matrix: dict = defaultdict(lambda: defaultdict(dict))
    for question_id, choice_id, row_id, number, text, n, rank in groups:
        answered[question_id] += n
        if choice_id is not None:
            by_choice[question_id][choice_id] = (n, rank)
        elif row_id is not None:
            matrix[question_id][row_id][int(number)] = n
        elif number is not None:
            by_value[question_id][int(number) if number == int(number) else number] = n
        elif text:
            by_text[question_id][text] = n
    several = [q.pk for q in questions if q.kind in MULTI_ROW or q.kind in OPEN]
    respondents = dict(Answer.objects.filter(question_id__in=several).values_list("question_id")
                       .annotate(n=Count("response_id", distinct=True)).order_by())
    plain = {key: dict(value) for key, value in matrix.items()}
    return {"questions": [q.pk for q in questions], "answered": dict(answered), "respondents": respondents,
            "by_choice": dict(by_choice), "by_text": dict(by_text), "by_value": dict(by_value),
            "matrix": plain, "several": several}


def quiz_review(survey: Survey, response_id: int) -> dict:
    response = Response.objects.filter(pk=response_id, survey=survey).first()
    if response is None:
        return {}
    questions = services.questions_of(survey)
    given = defaultdict(set)
    for question_id, choice_id in response.answers.values_list("question_id", "choice_id"):
        if choice_id:
            given[question_id].add(choice_id)
    review = []
    for question in questions:
        correct = [c for c in question.choices.all() if c.is_correct]
        if not correct:
            continue
        review.append({"question": question, "correct": correct,
                       "right": given[question.pk] == {c.pk for c in correct}})
    return {"score": response.score, "out_of": len(review), "review": review}


def open_answers(survey: Survey, question: Question, query: str = ""):
    answers = Answer.objects.filter(response__survey=survey, question=question).exclude(text="")
    if query:
        answers = answers.filter(text__icontains=query)
    return answers.order_by("-response__submitted_at")



def home_poll(request) -> dict | None:
    """The open quick poll shown on the home page: its one question, and its results once
    this visitor has answered (two queries when there is none)."""
    now = timezone.now()
    survey = (Survey.objects.filter(kind=Survey.Kind.POLL, show_on_home=True, is_published=True,
                                    starts_at__lte=now).exclude(ends_at__lte=now).order_by("-starts_at").first())
    if survey is None:
        return None
    question = (Question.objects.filter(section__survey=survey, kind__in=[Question.Kind.SINGLE,
                                                                          Question.Kind.YES_NO])
                .prefetch_related("choices").order_by("section__position", "position", "id").first())
    if question is None:
        return None
    answered = bool(request.session.get(f"survey-answered:{survey.pk}")) or (
        request.user.is_authenticated and survey.participations.filter(person=request.user).exists())
    poll = {"survey": survey, "question": question, "answered": answered,
            "refusal": services.refusal(request.user, survey) if not answered else None}
    if answered:
        blocks = results(survey)["blocks"]
        poll["bars"] = next((b["bars"] for b in blocks if b["question"].pk == question.pk), [])
    return poll
