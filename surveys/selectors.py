"""Reads for the survey pages. Results are counted in SQL, a few grouped queries for the
whole survey whatever the number of answers."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Avg, Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import services
from surveys.models import Answer, Question, Response, Survey


def published_surveys():
    now = timezone.now()
    return Survey.objects.filter(is_published=True, starts_at__lte=now).order_by("-starts_at")


def _bar(label, count, total, **extra) -> dict:
    return {"label": label, "count": count, "percent": round(100 * count / total) if total else 0, **extra}


def results(survey: Survey) -> dict:
    questions = services.questions_of(survey)
    answers = Answer.objects.filter(response__survey=survey)
    respondents = dict(answers.values_list("question_id").annotate(n=Count("response_id", distinct=True)))
    by_choice = defaultdict(dict)
    for question_id, choice_id, n, rank in (answers.filter(choice__isnull=False)
                                            .values_list("question_id", "choice_id")
                                            .annotate(n=Count("id"), rank=Avg("rank"))):
        by_choice[question_id][choice_id] = (n, rank)
    by_text = defaultdict(dict)  # yes/no and "other"
    for question_id, text, n in (answers.filter(choice__isnull=True, row__isnull=True, number__isnull=True)
                                 .exclude(text="").values_list("question_id", "text").annotate(n=Count("id"))):
        by_text[question_id][text] = n
    by_value = defaultdict(dict)  # scales
    for question_id, value, n in (answers.filter(row__isnull=True, number__isnull=False)
                                  .values_list("question_id", "number").annotate(n=Count("id"))):
        by_value[question_id][int(value) if value == int(value) else value] = n
    numbers = {row["question_id"]: row for row in answers.filter(number__isnull=False, row__isnull=True)
               .values("question_id").annotate(avg=Avg("number"), low=Min("number"), high=Max("number"))}
    matrix = defaultdict(lambda: defaultdict(dict))
    for question_id, row_id, value, n in (answers.filter(row__isnull=False)
                                          .values_list("question_id", "row_id", "number").annotate(n=Count("id"))):
        matrix[question_id][row_id][int(value)] = n
    blocks = []
    for question in questions:
        total = respondents.get(question.pk, 0)
        block = {"question": question, "respondents": total, "bars": [], "open": False}
        kind = question.kind
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            block["bars"] = [_bar(c.label, by_choice[question.pk].get(c.pk, (0, None))[0], total)
                             for c in question.choices.all()]
            if question.allow_other:
                others = sum(by_text[question.pk].values())
                block["bars"].append(_bar(_("Other"), others, total, other=True))
        elif kind == Question.Kind.YES_NO:
            block["bars"] = [_bar(label, by_text[question.pk].get(value, 0), total)
                             for value, label in (("yes", _("Yes")), ("no", _("No")))]
        elif kind == Question.Kind.SCALE:
            block["bars"] = [_bar(str(v), by_value[question.pk].get(v, 0), total) for v in question.scale_values()]
            if question.pk in numbers:
                block["average"] = numbers[question.pk]["avg"]
        elif kind == Question.Kind.NUMBER:
            block["summary"] = numbers.get(question.pk)
        elif kind == Question.Kind.RANKING:
            ranked = [(c.label, by_choice[question.pk].get(c.pk, (0, None))[1]) for c in question.choices.all()]
            block["ranking"] = sorted(ranked, key=lambda item: (item[1] is None, item[1] or 0))
        elif kind == Question.Kind.MATRIX:
            block["matrix"] = [(row.label, [matrix[question.pk][row.pk].get(v, 0) for v in question.scale_values()])
                               for row in question.rows.all()]
        else:
            block["open"] = True
        blocks.append(block)
    return {"blocks": blocks, "responses": Response.objects.filter(survey=survey).count()}


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
