"""A person's survey answers (see accounts/privacy.py). Answers stay in the results when the
account goes, no longer linked to anyone; invitations are removed. The participation row
stays, so that the same account cannot answer twice."""

from surveys.models import Invitation, Response


def export(user) -> dict:
    responses = (Response.objects.filter(respondent=user).select_related("survey")
                 .prefetch_related("answers__question", "answers__choice", "answers__row").order_by("id"))
    return {
        "survey_responses": [{
            "survey": r.survey.title, "submitted_at": r.submitted_at.isoformat(),
            "answers": [{"question": a.question.text,
                         "answer": a.text or (a.choice.label if a.choice_id else "") or
                         (str(a.number) if a.number is not None else "") or (str(a.rank) if a.rank else ""),
                         **({"row": a.row.label} if a.row_id else {})} for a in r.answers.all()],
        } for r in responses],
    }


def forget(user) -> None:
    Response.objects.filter(respondent=user).update(respondent=None)
    Invitation.objects.filter(person=user).delete()
