"""Reading a draft answer (see surveys.answering) in the survey's form."""

from django import template

register = template.Library()


@register.filter
def picked(answer, choice_id) -> bool:
    if not answer:
        return False
    chosen = {str(c) for c in answer.get("choices", [])}
    if "choice" in answer:
        chosen.add(str(answer["choice"]))
    return str(choice_id) in chosen


@register.filter
def rank_of(answer, choice_id) -> str:
    return str((answer or {}).get("ranks", {}).get(str(choice_id), ""))


@register.filter
def row_value(answer, row_id):
    value = (answer or {}).get("rows", {}).get(str(row_id))
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
