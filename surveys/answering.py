"""Reading, checking and storing the answers to a survey's questions, one type at a time.

An answer travels as a small dict (kept in the session between sections, so nothing is
lost going back and forth or when a page fails validation):
  single   {"choice": id} or {"other": text}     multiple {"choices": [id, …], "other": text}
  yes_no   {"value": "yes" | "no"}               short_text / long_text {"text": …}
  number   {"number": "12.5"}                    scale {"value": 3}
  ranking  {"ranks": {choice id: rank}}          matrix {"rows": {row id: value}}
Every value is checked on the server against the question (types, choices that exist,
counts, ranges); the browser's checks are only a convenience."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.models import Answer, Question

Q = Question.Kind
SHORT_MAX, LONG_MAX, OTHER_MAX = 200, 5000, 200


class AnswerError(ValueError):
    pass


def _show(number) -> str:
    """12, 12,5 — as the reader writes numbers."""
    from django.utils.formats import number_format

    number = Decimal(number)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number)


def _int(value) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise AnswerError(_("Choose one of the answers offered.")) from None


def read_post(question: Question, data) -> dict:
    """The raw answer to ``question`` from a submitted form (not yet checked)."""
    name = f"q{question.pk}"
    if question.kind == Q.SINGLE:
        value = data.get(name, "")
        if value == "other":
            return {"other": data.get(f"{name}-other", "")}
        return {"choice": value} if value else {}
    if question.kind == Q.MULTIPLE:
        chosen = [v for v in data.getlist(name) if v != "other"]
        raw = {"choices": chosen}
        if "other" in data.getlist(name):
            raw["other"] = data.get(f"{name}-other", "")
        return raw if chosen or "other" in raw else {}
    if question.kind in (Q.YES_NO, Q.SCALE):
        value = data.get(name, "")
        return {"value": value} if value != "" else {}
    if question.kind in (Q.SHORT_TEXT, Q.LONG_TEXT):
        return {"text": data.get(name, "")}
    if question.kind == Q.NUMBER:
        value = data.get(name, "").strip()
        return {"number": value} if value else {}
    if question.kind == Q.RANKING:
        ranks = {str(c.pk): data.get(f"{name}-rank-{c.pk}", "").strip() for c in question.choices.all()}
        return {"ranks": {k: v for k, v in ranks.items() if v}} if any(ranks.values()) else {}
    if question.kind == Q.MATRIX:
        rows = {str(r.pk): data.get(f"{name}-row-{r.pk}", "") for r in question.rows.all()}
        return {"rows": {k: v for k, v in rows.items() if v != ""}} if any(v != "" for v in rows.values()) else {}
    raise ValueError(question.kind)


def _is_empty(answer: dict) -> bool:
    return not answer or all(v in ("", [], {}, None) or (isinstance(v, str) and not v.strip())
                             for v in answer.values())


def clean(question: Question, raw: dict) -> dict:
    """The checked answer ({} when unanswered), or AnswerError with a message for the person."""
    if _is_empty(raw):
        if question.required:
            raise AnswerError(_("This question needs an answer."))
        return {}
    choices = {str(c.pk) for c in question.choices.all()}
    kind = question.kind
    if kind == Q.SINGLE:
        if "other" in raw:
            if not question.allow_other:
                raise AnswerError(_("Choose one of the answers offered."))
            return {"other": _text(raw["other"], OTHER_MAX, required=True)}
        if str(raw.get("choice")) not in choices:
            raise AnswerError(_("Choose one of the answers offered."))
        return {"choice": int(raw["choice"])}
    if kind == Q.MULTIPLE:
        chosen = [str(c) for c in raw.get("choices", [])]
        if len(set(chosen)) != len(chosen) or any(c not in choices for c in chosen):
            raise AnswerError(_("Choose among the answers offered."))
        cleaned = {"choices": sorted(int(c) for c in chosen)}
        count = len(chosen)
        if "other" in raw:
            if not question.allow_other:
                raise AnswerError(_("Choose among the answers offered."))
            cleaned["other"] = _text(raw["other"], OTHER_MAX, required=True)
            count += 1
        if question.min_choices and count < question.min_choices:
            raise AnswerError(ngettext("Choose at least %(count)d answer.", "Choose at least %(count)d answers.",
                                       question.min_choices) % {"count": question.min_choices})
        if question.max_choices and count > question.max_choices:
            raise AnswerError(ngettext("Choose at most %(count)d answer.", "Choose at most %(count)d answers.",
                                       question.max_choices) % {"count": question.max_choices})
        return cleaned
    if kind == Q.YES_NO:
        if raw.get("value") not in ("yes", "no"):
            raise AnswerError(_("Answer yes or no."))
        return {"value": raw["value"]}
    if kind in (Q.SHORT_TEXT, Q.LONG_TEXT):
        return {"text": _text(raw.get("text", ""), SHORT_MAX if kind == Q.SHORT_TEXT else LONG_MAX,
                              required=question.required)}
    if kind == Q.NUMBER:
        try:
            number = Decimal(str(raw.get("number", "")).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        except InvalidOperation:
            raise AnswerError(_("Write a number, for example 12 or 12,5.")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e10"):
            raise AnswerError(_("Write a number, for example 12 or 12,5."))
        if question.number_min is not None and number < question.number_min:
            raise AnswerError(_("The smallest number accepted is %(min)s.") % {"min": _show(question.number_min)})
        if question.number_max is not None and number > question.number_max:
            raise AnswerError(_("The largest number accepted is %(max)s.") % {"max": _show(question.number_max)})
        return {"number": str(number.quantize(Decimal("0.01")))}
    if kind == Q.SCALE:
        value = _int(raw.get("value"))
        if not question.scale_min <= value <= question.scale_max:
            raise AnswerError(_("Choose a value from %(min)d to %(max)d.")
                              % {"min": question.scale_min, "max": question.scale_max})
        return {"value": value}
    if kind == Q.RANKING:
        ranks = {str(k): _int(v) for k, v in raw.get("ranks", {}).items()}
        if any(k not in choices for k in ranks):
            raise AnswerError(_("Choose among the answers offered."))
        if sorted(ranks.values()) != list(range(1, len(ranks) + 1)):
            raise AnswerError(_("Number the answers 1, 2, 3… without repeating a number."))
        if question.required and len(ranks) != len(choices):
            raise AnswerError(_("Rank every answer."))
        return {"ranks": {k: v for k, v in sorted(ranks.items(), key=lambda item: item[1])}}
    if kind == Q.MATRIX:
        rows = {str(r.pk) for r in question.rows.all()}
        values = {str(k): _int(v) for k, v in raw.get("rows", {}).items()}
        if any(k not in rows for k in values):
            raise AnswerError(_("Choose among the answers offered."))
        if any(not question.scale_min <= v <= question.scale_max for v in values.values()):
            raise AnswerError(_("Choose a value from %(min)d to %(max)d.")
                              % {"min": question.scale_min, "max": question.scale_max})
        if question.required and len(values) != len(rows):
            raise AnswerError(_("Answer every line."))
        return {"rows": values}
    raise ValueError(kind)


def _text(value, limit: int, *, required: bool) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise AnswerError(_("This question needs an answer."))
    if len(text) > limit:
        raise AnswerError(_("At most %(limit)d characters (you wrote %(count)d).") % {"limit": limit, "count": len(text)})
    return text


def is_shown(question: Question, answers: dict[str, dict]) -> bool:
    """A conditional question is shown when the earlier one was answered with one of its choices."""
    if question.condition_question_id is None:
        return True
    earlier = answers.get(str(question.condition_question_id)) or {}
    picked = set(earlier.get("choices", [])) | ({earlier["choice"]} if "choice" in earlier else set())
    wanted = {c.pk for c in question.condition_choices.all()}
    return bool(picked & wanted)


def rows_for(question: Question, answer: dict) -> list[Answer]:
    """The Answer rows of one checked answer (without their response)."""
    kind = question.kind
    if not answer:
        return []
    if kind == Q.SINGLE:
        return [Answer(question=question, choice_id=answer.get("choice"), text=answer.get("other", ""))]
    if kind == Q.MULTIPLE:
        rows = [Answer(question=question, choice_id=c) for c in answer.get("choices", [])]
        if answer.get("other"):
            rows.append(Answer(question=question, text=answer["other"]))
        return rows
    if kind == Q.YES_NO:
        return [Answer(question=question, text=answer["value"])]
    if kind in (Q.SHORT_TEXT, Q.LONG_TEXT):
        return [Answer(question=question, text=answer["text"])] if answer["text"] else []
    if kind == Q.NUMBER:
        return [Answer(question=question, number=Decimal(answer["number"]))]
    if kind == Q.SCALE:
        return [Answer(question=question, number=answer["value"])]
    if kind == Q.RANKING:
        return [Answer(question=question, choice_id=int(c), rank=r) for c, r in answer["ranks"].items()]
    if kind == Q.MATRIX:
        return [Answer(question=question, row_id=int(r), number=v) for r, v in answer["rows"].items()]
    raise ValueError(kind)


def from_rows(question: Question, rows: list[Answer]) -> dict:
    """The answer as a draft again, from its stored rows (to change an identified answer)."""
    kind = question.kind
    if not rows:
        return {}
    if kind == Q.SINGLE:
        row = rows[0]
        return {"choice": row.choice_id} if row.choice_id else {"other": row.text}
    if kind == Q.MULTIPLE:
        answer = {"choices": [r.choice_id for r in rows if r.choice_id]}
        others = [r.text for r in rows if not r.choice_id and r.text]
        if others:
            answer["other"] = others[0]
        return answer
    if kind == Q.YES_NO:
        return {"value": rows[0].text}
    if kind in (Q.SHORT_TEXT, Q.LONG_TEXT):
        return {"text": rows[0].text}
    if kind == Q.NUMBER:
        return {"number": f"{rows[0].number.normalize():f}"}
    if kind == Q.SCALE:
        return {"value": int(rows[0].number)}
    if kind == Q.RANKING:
        return {"ranks": {str(r.choice_id): r.rank for r in rows}}
    if kind == Q.MATRIX:
        return {"rows": {str(r.row_id): int(r.number) for r in rows}}
    return {}


def is_correct(question: Question, answer: dict) -> bool | None:
    """Quizzes: whether the answer is exactly the set of correct choices (None if not scored)."""
    correct = {c.pk for c in question.choices.all() if c.is_correct}
    if not correct or question.kind not in (Q.SINGLE, Q.MULTIPLE):
        return None
    picked = set(answer.get("choices", [])) | ({answer["choice"]} if "choice" in answer else set())
    return picked == correct
