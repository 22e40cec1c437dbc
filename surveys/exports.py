"""The raw answers of a survey, one line per response, as CSV and XLSX for the agents.
Anonymous surveys carry no identity (their responses have none to give); identified ones
carry the respondent's email address."""

import csv
import io
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from civic.text import spreadsheet_safe
from surveys import services
from surveys.models import Answer, Question, Response, Survey


def table(survey: Survey) -> tuple[list[str], list[list]]:
    questions = services.questions_of(survey)
    labels = {c.pk: c.label for q in questions for c in q.choices.all()}
    rows_of = {r.pk: r.label for q in questions for r in q.rows.all()}
    by_response: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, choice_id, row_id, text, number, rank in (
            Answer.objects.filter(response__survey=survey)
            .values_list("response_id", "question_id", "choice_id", "row_id", "text", "number", "rank")
            .order_by("response_id", "id")):
        if row_id:
            value = f"{rows_of.get(row_id, row_id)}: {int(number)}"
        elif rank:
            value = f"{rank}. {labels.get(choice_id, choice_id)}"
        elif choice_id:
            value = labels.get(choice_id, str(choice_id))
        elif number is not None:
            value = f"{number.normalize():f}"
        else:
            value = {"yes": _("Yes"), "no": _("No")}.get(text, text)
        by_response[response_id][question_id].append(value)
    header = [_("response"), _("date")]
    if not survey.is_anonymous:
        header.append(_("email address"))
    header += [_("age bracket"), _("gender"), _("neighbourhood")]
    header += [question.text for question in questions]
    lines = []
    responses = (Response.objects.filter(survey=survey).select_related("respondent", "neighbourhood")
                 .order_by("submitted_at", "id"))
    for response in responses:
        line = [response.pk, timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")]
        if not survey.is_anonymous:
            line.append(response.respondent.email if response.respondent else "")
        line += [response.age_bracket, response.gender, response.neighbourhood.name if response.neighbourhood else ""]
        line += ["; ".join(by_response[response.pk].get(question.pk, [])) for question in questions]
        lines.append(line)
    return header, lines


def as_csv(survey: Survey) -> str:
    header, lines = table(survey)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_safe(h) for h in header])
    for line in lines:
        writer.writerow([spreadsheet_safe(value) for value in line])
    return out.getvalue()


def as_xlsx(survey: Survey) -> bytes:
    from openpyxl import Workbook

    header, lines = table(survey)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Answers")[:31])
    sheet.append([spreadsheet_safe(h) for h in header])
    for line in lines:
        sheet.append([value if isinstance(value, int) else spreadsheet_safe(value) for value in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def crosstab(survey: Survey, question: Question, dimension: str) -> dict:
    """Counts of each answer of a closed question by age bracket, gender or neighbourhood."""
    from accounts.models import AgeBracket, Gender, Neighbourhood

    field = {"age_bracket": "response__age_bracket", "gender": "response__gender",
             "neighbourhood": "response__neighbourhood_id"}[dimension]
    answers = Answer.objects.filter(response__survey=survey, question=question)
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        values = [(c.pk, c.label) for c in question.choices.all()]
        key = "choice_id"
    elif question.kind == Question.Kind.YES_NO:
        values, key = [("yes", _("Yes")), ("no", _("No"))], "text"
    else:
        values, key = [(v, str(v)) for v in question.scale_values()], "number"
    from django.db.models import Count

    counts = defaultdict(dict)
    for group, value, n in answers.values_list(field, key).annotate(n=Count("id")):
        counts[group][int(value) if key == "number" and value is not None else value] = n
    if dimension == "age_bracket":
        groups = [(value, label) for value, label in AgeBracket.choices]
    elif dimension == "gender":
        groups = [(value, label) for value, label in Gender.choices]
    else:
        groups = [(n.pk, n.name) for n in Neighbourhood.objects.all()]
    groups.append(("" if dimension != "neighbourhood" else None, _("not given")))
    rows = [(label, [counts[group].get(value, 0) for value, _l in values]) for group, label in groups]
    return {"columns": [label for _v, label in values], "rows": [r for r in rows if any(r[1])]}
