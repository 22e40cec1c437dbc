"""The citizens' pages of surveys: one page per section, answers kept in the session until
the last page, then stored at once through surveys.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.throttle import allow
from surveys import answering, selectors, services
from surveys.models import Answer, Survey

RESPONSES_PER_HOUR = 30
REPORTS_PER_HOUR = 10


def _survey(slug) -> Survey:
    survey = Survey.objects.filter(slug=slug, is_published=True).first()
    if survey is None:
        raise Http404
    return survey


def _draft_key(survey) -> str:
    return f"survey-draft:{survey.pk}"


def _answered_key(survey) -> str:
    return f"survey-answered:{survey.pk}"


def _has_answered(request, survey) -> bool:
    if request.session.get(_answered_key(survey)):
        return True
    return request.user.is_authenticated and survey.participations.filter(person=request.user).exists()


def survey_list(request):
    return render(request, "surveys/survey_list.html", {"surveys": selectors.published_surveys()})


def _refusal(request, survey):
    message = services.refusal(request.user, survey)
    if message is None and survey.one_answer_per_person and not request.user.is_authenticated \
            and request.session.get(_answered_key(survey)):
        message = _("You have already answered this survey. Thank you!")
    return message


def survey_detail(request, slug):
    survey = _survey(slug)
    sections = list(survey.sections.all())
    answered = _has_answered(request, survey)
    return render(request, "surveys/survey_detail.html", {
        "survey": survey, "sections": sections, "refusal": _refusal(request, survey),
        "show_results": services.can_see_results(request.user, survey, answered=answered),
    })


def survey_page(request, slug, number):
    """Section ``number`` (from 1) of the survey."""
    survey = _survey(slug)
    refusal = _refusal(request, survey)
    if refusal:
        return render(request, "surveys/survey_detail.html", {"survey": survey, "refusal": refusal,
                                                               "sections": list(survey.sections.all())})
    questions = services.questions_of(survey)
    sections = []
    for question in questions:
        if not sections or sections[-1][0].pk != question.section_id:
            sections.append((question.section, []))
        sections[-1][1].append(question)
    if not 1 <= number <= len(sections):
        raise Http404
    section, section_questions = sections[number - 1]
    draft = request.session.get(_draft_key(survey))
    if draft is None:
        draft = _previous_answers(request, survey, questions)
    errors: dict[int, str] = {}
    if request.method == "POST":
        for question in section_questions:
            draft[str(question.pk)] = answering.read_post(question, request.POST)
        request.session[_draft_key(survey)] = draft
        going_back = "previous" in request.POST
        if not going_back:
            for question in section_questions:
                if not answering.is_shown(question, draft):
                    continue
                try:
                    answering.clean(question, draft.get(str(question.pk), {}))
                except answering.AnswerError as error:
                    errors[question.pk] = str(error)
        if going_back:
            return redirect("surveys:page", slug=slug, number=max(1, number - 1))
        if not errors and number < len(sections):
            return redirect("surveys:page", slug=slug, number=number + 1)
        if not errors:
            if not allow(action="survey-response", who=request.user.pk or request.session.session_key,
                         limit=RESPONSES_PER_HOUR, seconds=3600):
                return render(request, "429.html", status=429)
            try:
                response = services.response_submit(survey=survey, user=request.user, answers=draft)
            except services.SurveyError as error:
                if not error.errors:
                    return render(request, "surveys/survey_detail.html", {
                        "survey": survey, "refusal": error.message, "sections": [s for s, _q in sections]})
                errors = error.errors
                first = next(i for i, (_s, qs) in enumerate(sections, 1) if any(q.pk in errors for q in qs))
                if first != number:
                    return redirect("surveys:page", slug=slug, number=first)
            else:
                request.session.pop(_draft_key(survey), None)
                request.session[_answered_key(survey)] = response.pk
                return redirect("surveys:thanks", slug=slug)
    shown = [(q, answering.is_shown(q, draft), errors.get(q.pk), draft.get(str(q.pk), {}))
             for q in section_questions]
    status = 400 if errors else 200
    return render(request, "surveys/survey_page.html", {
        "survey": survey, "section": section, "number": number, "total": len(sections), "questions": shown,
        "progress": round(100 * (number - 1) / len(sections)), "has_errors": bool(errors),
    }, status=status)


def poll_answer(request, slug):
    """A quick poll answered in one tap from the home page."""
    if request.method != "POST":
        return redirect("home")
    survey = _survey(slug)
    from django.contrib import messages

    refusal = _refusal(request, survey)
    if refusal:
        messages.info(request, refusal)
        return redirect("home")
    if not allow(action="survey-response", who=request.user.pk or request.session.session_key,
                  limit=RESPONSES_PER_HOUR, seconds=3600):
        return render(request, "429.html", status=429)
    questions = services.questions_of(survey)
    answers = {str(q.pk): answering.read_post(q, request.POST) for q in questions}
    try:
        response = services.response_submit(survey=survey, user=request.user, answers=answers)
    except services.SurveyError as error:
        messages.error(request, next(iter(error.errors.values()), error.message))
    else:
        request.session[_answered_key(survey)] = response.pk
        messages.success(request, _("Thank you for your answer."))
    return redirect("home")


def _previous_answers(request, survey, questions) -> dict:
    """An identified answer that may be changed starts from what the person answered before."""
    if not (survey.editable_until_close and request.user.is_authenticated):
        return {}
    response = survey.responses.filter(respondent=request.user).first()
    if response is None:
        return {}
    rows: dict[int, list] = {}
    for row in response.answers.all():
        rows.setdefault(row.question_id, []).append(row)
    return {str(q.pk): answering.from_rows(q, rows.get(q.pk, [])) for q in questions if q.pk in rows}


def survey_thanks(request, slug):
    survey = _survey(slug)
    response_id = request.session.get(_answered_key(survey))
    if not response_id:
        return redirect("surveys:detail", slug=slug)
    context = {"survey": survey, "show_results": services.can_see_results(request.user, survey, answered=True)}
    if survey.kind == Survey.Kind.QUIZ:
        context.update(selectors.quiz_review(survey, response_id))
    return render(request, "surveys/survey_thanks.html", context)


def survey_results(request, slug):
    survey = _survey(slug)
    answered = _has_answered(request, survey)
    if not services.can_see_results(request.user, survey, answered=answered):
        raise Http404
    from moderation.models import Report

    return render(request, "surveys/survey_results.html", {
        "survey": survey, **selectors.results(survey),
        "report_reasons": [c for c in Report.Reason.choices if c[0] != Report.Reason.REVIEW]})


@login_required
@require_POST
def answer_report(request, slug, pk):
    """A citizen reports an answer shown on the results page to the moderators."""
    from moderation.models import Report
    from moderation.services import report_create

    survey = _survey(slug)
    if not services.can_see_results(request.user, survey, answered=_has_answered(request, survey)):
        raise Http404
    answer = Answer.objects.filter(pk=pk, question__section__survey=survey, question__public_answers=True,
                                   is_hidden=False).exclude(text="").select_related("response").first()
    if answer is None:
        raise Http404
    reason = request.POST.get("reason")
    if reason not in Report.Reason.values or reason == Report.Reason.REVIEW:
        messages.error(request, _("Choose why you report it."))
    elif not allow(action="report", who=request.user.pk, limit=REPORTS_PER_HOUR, seconds=3600):
        return render(request, "429.html", status=429)
    else:
        report_create(content=answer, reporter=request.user, reason=reason, comment=request.POST.get("details", ""))
        messages.success(request, _("Thank you. The moderators will look at it."))
    return redirect(reverse("surveys:results", args=[survey.slug]) + f"#answer-{answer.pk}")
