"""Every change to problem reports goes through here: citizens' views, the agents' admin,
tasks, the demo loader."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.tasks import enqueue_on_commit
from problems import rules
from problems.models import (ADDRESS_MAX, DESCRIPTION_MAX, Problem, ProblemCategory, ProblemEvent, ProblemFollow,
                             Status)
from problems.workflow import TransitionError, check_transition

__all__ = ["ProblemError", "TransitionError", "problem_assign", "problem_change_status", "problem_follow",
           "problem_publish", "problem_reclassify", "problem_report", "problem_unfollow"]

# Photos are stored re-encoded: no EXIF (a phone's photo carries where it was taken and the
# camera's serial number), upright, at most this many pixels on the longer side.
PHOTO_MAX_SIDE = 2000


class ProblemError(Exception):
    """A refusal of the services, with a message meant for the person who asked."""


def _screened_text(description: str, address: str) -> str:
    return f"{description}\n{address}"


def _recent_texts(user) -> list[str]:
    """What the person reported in the last day, to catch the same report sent again."""
    since = timezone.now() - timedelta(days=1)
    rows = Problem.objects.filter(reporter=user, created_at__gte=since).values_list("description", "address")[:20]
    return [_screened_text(description, address) for description, address in rows]


def _clean_photo(upload) -> ContentFile:
    """The uploaded image (already checked: ideas.forms.check_image) as a JPEG without metadata."""
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as source:
        source.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))  # large JPEGs decode smaller, faster
        picture = ImageOps.exif_transpose(source)
        if picture.mode in ("RGBA", "LA", "P"):
            picture = picture.convert("RGBA")
            flat = Image.new("RGB", picture.size, "white")
            flat.paste(picture, mask=picture.getchannel("A"))
            picture = flat
        else:
            picture = picture.convert("RGB")
        picture.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


@transaction.atomic
def problem_report(*, reporter, category: ProblemCategory, description: str, address: str, latitude=None,
                   longitude=None, neighbourhood=None, photo=None, honeypot: str = "") -> Problem:
    """A citizen reports a problem. It is received at once, with its reporter following it;
    a safety net of the commune (moderation.screening) may hold it for review instead of
    showing it: then only its reporter and the agents see it until an agent publishes it."""
    refused = rules.refusal(reporter)
    if refused:
        raise ProblemError(refused)
    if category is None or not category.active:
        raise ProblemError(_("Choose one of the categories offered."))
    description = (description or "").strip()
    address = (address or "").strip()
    if not description:
        raise ProblemError(_("Describe the problem."))
    if len(description) > DESCRIPTION_MAX:
        raise ProblemError(_("The description is too long (at most %(max)s characters).") % {"max": DESCRIPTION_MAX})
    if not address or len(address) > ADDRESS_MAX:
        raise ProblemError(_("Give the address or the place of the problem (at most %(max)s characters).")
                           % {"max": ADDRESS_MAX})
    if (latitude is None) != (longitude is None):
        raise ProblemError(_("The place on the map is incomplete: click the map again."))

    from moderation.screening import review_reasons

    reasons = review_reasons(author=reporter, text=_screened_text(description, address), honeypot=honeypot,
                             previous_texts=_recent_texts(reporter))
    problem = Problem(reporter=reporter, category=category, description=description, address=address,
                      latitude=latitude, longitude=longitude, neighbourhood=neighbourhood,
                      held_for_review=bool(reasons), review_reasons="; ".join(reasons)[:300])
    problem.full_clean()
    if photo:
        try:
            cleaned = _clean_photo(photo)
        except (OSError, ValueError):
            unreadable = _("The photo could not be read: try another one, or send the report without it.")
            raise ProblemError(unreadable) from None
        problem.photo.save("photo.jpg", cleaned, save=False)
    problem.save()
    ProblemEvent.objects.create(problem=problem, actor=reporter, kind=ProblemEvent.Kind.CREATED,
                                to_status=Status.RECEIVED, created_at=problem.created_at)
    ProblemFollow.objects.create(problem=problem, follower=reporter)
    return problem


def _require_agent(user, message: str) -> None:
    if not rules.can_handle(user):
        raise ProblemError(message)


@transaction.atomic
def problem_change_status(*, problem: Problem, to: str, message: str = "", by, notify: bool = True) -> ProblemEvent:
    """Move a report along the workflow (problems.workflow). A refused transition raises
    TransitionError with a message for the person who tried; nothing is written then.
    The reporter and the followers are told once the transaction commits."""
    if not rules.can_handle(by):
        raise TransitionError(_("Only the commune's agents change the status of reports."))
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    message = (message or "").strip()
    check_transition(from_status=locked.status, to_status=to, message=message)
    event = ProblemEvent.objects.create(problem=locked, actor=by, kind=ProblemEvent.Kind.STATUS,
                                        from_status=locked.status, to_status=to, message=message)
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    problem.status = locked.status
    if notify:
        from problems.tasks import notify_status_change

        enqueue_on_commit(notify_status_change, event_id=event.pk)
    return event


@transaction.atomic
def problem_publish(*, problem: Problem, by) -> ProblemEvent | None:
    """An agent has looked at a report held for review and shows it (None: it was not held)."""
    _require_agent(by, _("Only the commune's agents publish reports held for review."))
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if not locked.held_for_review:
        return None
    locked.held_for_review = False
    locked.save(update_fields=["held_for_review", "updated_at"])
    problem.held_for_review = False
    return ProblemEvent.objects.create(problem=locked, actor=by, kind=ProblemEvent.Kind.PUBLISHED)


@transaction.atomic
def problem_assign(*, problem: Problem, agent, by) -> ProblemEvent | None:
    """Give the report to an agent (or to nobody, with None). Internal: not on the timeline."""
    _require_agent(by, _("Only the commune's agents assign reports."))
    if agent is not None and not rules.can_handle(agent):
        raise ProblemError(_("Reports are assigned to the commune's agents only."))
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if locked.assigned_to_id == (agent.pk if agent else None):
        return None
    locked.assigned_to = agent
    locked.save(update_fields=["assigned_to", "updated_at"])
    problem.assigned_to = agent
    return ProblemEvent.objects.create(problem=locked, actor=by, kind=ProblemEvent.Kind.ASSIGNED, target_user=agent)


@transaction.atomic
def problem_reclassify(*, problem: Problem, by, category: ProblemCategory, neighbourhood) -> None:
    """An agent corrects the category or the neighbourhood a citizen chose."""
    _require_agent(by, _("Only the commune's agents edit reports."))
    Problem.objects.filter(pk=problem.pk).update(category=category, neighbourhood=neighbourhood,
                                                 updated_at=timezone.now())
    problem.category, problem.neighbourhood = category, neighbourhood


def problem_follow(*, problem: Problem, follower) -> ProblemFollow:
    """"Me too": told of every change of a public report. Following twice keeps one row."""
    if problem.reporter_id is not None and follower.pk == problem.reporter_id:
        return ProblemFollow.objects.get_or_create(problem=problem, follower=follower)[0]
    if not rules.can_follow(follower, problem):
        raise ProblemError(_("This report cannot be followed."))
    return ProblemFollow.objects.get_or_create(problem=problem, follower=follower)[0]


def problem_unfollow(*, problem: Problem, follower) -> None:
    if follower.pk == problem.reporter_id:
        raise ProblemError(_("You reported it: you are told of every change."))
    ProblemFollow.objects.filter(problem=problem, follower=follower).delete()
