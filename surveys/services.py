"""Every change to surveys goes through here: the citizens' pages, the admin, tasks."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import is_identity_verified
from ideas.rules import is_verified
from surveys import answering
from surveys.models import Answer, Participation, Question, Response, Survey


class SurveyError(Exception):
    """A refusal: ``message`` for the person; ``errors`` per question id when answers fail."""

    def __init__(self, message: str = "", errors: dict[int, str] | None = None):
        self.message = message or _("Some answers need your attention.")
        self.errors = errors or {}
        super().__init__(self.message)


def questions_of(survey: Survey) -> list[Question]:
    """Every question in order, with what checking and showing them needs, in 4 queries."""
    return list(Question.objects.filter(section__survey=survey).select_related("section")
                .prefetch_related("choices", "rows", "condition_choices").order_by("section__position",
                                                                                   "section_id", "position", "id"))


def refusal(user, survey: Survey, at=None) -> str | None:
    """Why ``user`` may not answer now; None when they may."""
    at = at or timezone.now()
    if not survey.is_published:
        return _("This survey is not published.")
    if at < survey.starts_at:
        return _("This survey opens on %(date)s.") % {"date": timezone.localtime(survey.starts_at).strftime("%d/%m/%Y")}
    if survey.has_closed(at):
        return _("This survey is closed.")
    if survey.audience != Survey.Audience.ANYONE and not user.is_authenticated:
        return _("Log in to answer this survey.")
    if survey.audience in (Survey.Audience.VERIFIED, Survey.Audience.IDENTITY) and not is_verified(user):
        return _("Confirm your email address to answer this survey.")
    if survey.audience == Survey.Audience.IDENTITY and not is_identity_verified(user):
        return _("This survey is secured: verify your identity from your profile page "
                 "(or at the town hall's counter) to answer it.")
    if user.is_authenticated and survey.one_answer_per_person and not survey.editable_until_close \
            and Participation.objects.filter(survey=survey, person=user).exists():
        return _("You have already answered this survey. Thank you!")
    return None


def check_all(survey: Survey, questions: list[Question], raw: dict[str, dict]) -> dict[str, dict]:
    """Every shown question checked; hidden ones dropped. Raises SurveyError with the errors."""
    cleaned: dict[str, dict] = {}
    errors: dict[int, str] = {}
    for question in questions:
        if not answering.is_shown(question, cleaned):
            continue
        try:
            answer = answering.clean(question, raw.get(str(question.pk), {}))
        except answering.AnswerError as error:
            errors[question.pk] = str(error)
        else:
            if answer:
                cleaned[str(question.pk)] = answer
    if errors:
        raise SurveyError(errors=errors)
    return cleaned


@transaction.atomic
def response_submit(*, survey: Survey, user, answers: dict[str, dict]) -> Response:
    """Store a complete set of answers. One answer per person is kept by a unique
    participation row (two submissions at once: one wins, the other is told); an identified
    survey that allows changes replaces the person's earlier answers."""
    message = refusal(user, survey)
    if message:
        raise SurveyError(message)
    questions = questions_of(survey)
    cleaned = check_all(survey, questions, answers)
    signed_in = user.is_authenticated
    existing = None
    if signed_in and survey.one_answer_per_person:
        try:
            with transaction.atomic():
                Participation.objects.create(survey=survey, person=user)
        except IntegrityError:
            if not survey.editable_until_close:
                raise SurveyError(_("You have already answered this survey. Thank you!")) from None
            existing = Response.objects.select_for_update().filter(survey=survey, respondent=user).first()
    elif signed_in:
        Participation.objects.get_or_create(survey=survey, person=user)
    profile = {}
    if signed_in:
        profile = {"age_bracket": user.age_bracket, "gender": user.gender, "neighbourhood_id": user.neighbourhood_id}
    if existing is not None:
        existing.answers.all().delete()
        response = existing
        Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now(), **profile)
    else:
        response = Response.objects.create(
            survey=survey, respondent=None if survey.is_anonymous or not signed_in else user, **profile)
    by_id = {q.pk: q for q in questions}
    rows = []
    for question_id, answer in cleaned.items():
        for row in answering.rows_for(by_id[int(question_id)], answer):
            row.response = response
            rows.append(row)
    Answer.objects.bulk_create(rows)
    _screen_public_answers(rows, by_id, author=user if signed_in else None)
    if survey.kind == Survey.Kind.QUIZ:
        response.score = sum(1 for q in questions if answering.is_correct(q, cleaned.get(str(q.pk), {})))
        Response.objects.filter(pk=response.pk).update(score=response.score)
    return response


def _screen_public_answers(rows, questions: dict, *, author) -> None:
    """Answers shown on the results page pass the commune's safety nets like comments do:
    a flagged one waits hidden in the moderation queue."""
    from moderation.screening import review_reasons, send_to_review

    for row in rows:
        if row.text and questions[row.question_id].public_answers:
            reasons = review_reasons(author=author, text=row.text)
            if reasons:
                send_to_review(content=row, reasons=reasons)


def can_see_results(user, survey: Survey, *, answered: bool) -> bool:
    from ideas.rules import is_staff_member

    if is_staff_member(user):
        return True
    visibility = survey.results_visibility
    if visibility == Survey.ResultsVisibility.AFTER_ANSWERING:
        return answered or survey.has_closed()
    if visibility == Survey.ResultsVisibility.AFTER_CLOSING:
        return survey.has_closed()
    return False


@transaction.atomic
def survey_duplicate(*, survey: Survey, actor) -> Survey:
    """A draft copy with its sections, questions, choices, rows and conditions (no answers)."""
    from civic.text import free_slug
    from surveys.models import Choice, MatrixRow, Section

    slug = free_slug(Survey, f"{survey.slug}-copie", fallback="enquete")
    copy = Survey.objects.get(pk=survey.pk)
    copy.pk, copy.slug, copy.is_published, copy.show_on_home = None, slug, False, False
    copy.title = _("%(title)s (copy)") % {"title": survey.title}
    copy.save()
    question_map, choice_map = {}, {}
    for section in survey.sections.all():
        new_section = Section.objects.create(survey=copy, title=section.title, description=section.description,
                                             position=section.position)
        for question in section.questions.all():
            old_pk = question.pk
            conditions = list(question.condition_choices.values_list("pk", flat=True))
            condition_question = question.condition_question_id
            question.pk, question.section = None, new_section
            question.condition_question_id = None
            question.save()
            question_map[old_pk] = (question, condition_question, conditions)
            for choice in Choice.objects.filter(question_id=old_pk):
                old_choice = choice.pk
                choice.pk, choice.question = None, question
                choice.save()
                choice_map[old_choice] = choice.pk
            for row in MatrixRow.objects.filter(question_id=old_pk):
                row.pk, row.question = None, question
                row.save()
    for question, condition_question, conditions in question_map.values():
        if condition_question in question_map:
            question.condition_question = question_map[condition_question][0]
            question.save(update_fields=["condition_question"])
            question.condition_choices.set([choice_map[c] for c in conditions if c in choice_map])
    return copy


def invitation_recipients(*, audience: str, target_id: int | None = None):
    """The people of a budget (voters, authors, commenters, supporters of its projects), of a
    call for ideas (authors, commenters, supporters), or the newsletter's subscribers."""
    from django.db.models import Q

    from accounts.models import User

    # Nobody who asked not to be invited by email (accounts.notify preferences).
    people = (User.objects.filter(is_active=True).exclude(email="")
              .exclude(notification_preferences__contains={"surveys": {"email": False}}))
    if audience == "newsletter":
        return people.filter(newsletter_opt_in=True)
    if audience == "budget":
        from budgets.models import Budget

        budget = Budget.objects.get(pk=target_id)
        call_id = budget.call_id
        return people.filter(Q(ballots__budget=budget) | Q(ideas__call_id=call_id)
                             | Q(idea_comments__idea__call_id=call_id) | Q(idea_votes__idea__call_id=call_id)).distinct()
    if audience == "call":
        return people.filter(Q(ideas__call_id=target_id) | Q(idea_comments__idea__call_id=target_id)
                             | Q(idea_votes__idea__call_id=target_id)).distinct()
    raise ValueError(audience)


@transaction.atomic
def survey_invite(*, survey: Survey, actor, audience: str, target_id: int | None = None) -> int:
    """Invite by email the people of ``audience``; each person is invited once per survey,
    however many times this is done. Returns how many new people were invited."""
    from civic.tasks import enqueue_on_commit
    from ideas.rules import can_triage
    from surveys.models import Invitation
    from surveys.tasks import send_invitations

    if not can_triage(actor):
        raise SurveyError(_("Only the commune's agents may do this."))
    if not survey.is_published or survey.has_closed():
        raise SurveyError(_("Publish the survey, and keep it open, before inviting people to answer it."))
    before = Invitation.objects.filter(survey=survey).count()
    Invitation.objects.bulk_create(
        [Invitation(survey=survey, person_id=pk) for pk in
         invitation_recipients(audience=audience, target_id=target_id).values_list("pk", flat=True)],
        ignore_conflicts=True)
    enqueue_on_commit(send_invitations, survey_id=survey.pk)
    return Invitation.objects.filter(survey=survey).count() - before
