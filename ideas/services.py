"""Every change to ideas goes through here: citizens' views, the agents' admin, tasks, CLI."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.tasks import enqueue_on_commit
from ideas import rules
from ideas.models import Analysis, Call, Comment, Follow, Idea, IdeaEvent, Status, Vote
from ideas.workflow import TransitionError, check_transition

EDITABLE_FIELDS = ["title", "answers", "category", "neighbourhood", "address", "latitude", "longitude",
                   "estimated_cost", "attachment"]


class IdeaError(Exception):
    """A refusal of the services, with a message meant for the person who asked."""


def _search_text(idea: Idea) -> str:
    return "\n".join(item.get("answer", "") for item in idea.answers)


def idea_refresh_search(*, idea: Idea) -> None:
    """French full-text search without accents: title weighs more than the answers."""
    Idea.objects.filter(pk=idea.pk).update(
        search_vector=SearchVector(Value(idea.title), weight="A", config=settings.SEARCH_CONFIG)
        + SearchVector(Value(_search_text(idea)), weight="B", config=settings.SEARCH_CONFIG)
    )


@transaction.atomic
def idea_create(*, call: Call, author, title: str, answers: list[dict], recorded_by=None,
                on_behalf_of: str = "", **fields) -> Idea:
    """A draft, kept until its author (or the agent recording it) publishes it."""
    if recorded_by is None and not rules.can_propose(author, call):
        raise IdeaError(rules.posting_refusal(author) or _("This call does not accept ideas at the moment."))
    idea = Idea(call=call, author=author, title=title.strip(), answers=answers, recorded_by=recorded_by,
                on_behalf_of=on_behalf_of, status=Status.DRAFT, **fields)
    idea.full_clean()
    idea.save()
    return idea


THUMBNAIL_SIZE = (480, 360)


def idea_add_images(*, idea: Idea, images) -> list:
    """Store checked uploads (ideas.forms.check_image) with a thumbnail each."""
    import io
    from pathlib import Path

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    from ideas.models import IdeaImage

    stored = []
    position = idea.images.count()
    for upload in images:
        upload.seek(0)
        with Image.open(upload) as source:
            picture = ImageOps.exif_transpose(source).convert("RGB")
            picture.thumbnail(THUMBNAIL_SIZE)
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=82)
        upload.seek(0)
        image = IdeaImage(idea=idea, position=position)
        image.image.save(Path(upload.name).name, upload, save=False)
        image.thumbnail.save(f"thumb-{Path(upload.name).stem}.jpg", ContentFile(buffer.getvalue()), save=False)
        image.save()
        stored.append(image)
        position += 1
    return stored


@transaction.atomic
def idea_update(*, idea: Idea, actor, **fields) -> Idea:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not rules.can_edit(actor, idea):
        raise IdeaError(_("This idea can no longer be edited: its analysis has started."))
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not editable")
        setattr(idea, name, value)
    idea.full_clean()
    idea.save()
    if idea.status != Status.DRAFT:
        IdeaEvent.objects.create(idea=idea, actor=actor, kind=IdeaEvent.Kind.EDITED)
        idea_refresh_search(idea=idea)
    return idea


AGENT_FIELDS = ["category", "neighbourhood", "address", "estimated_cost", "is_hidden"]


@transaction.atomic
def idea_update_by_agent(*, idea: Idea, actor, changed: list[str]) -> Idea:
    """An agent's correction in the admin (category, neighbourhood, hiding…), kept in the
    activity log (internal: the public sees the result, not the note)."""
    if not rules.can_triage(actor) and not (changed == ["is_hidden"] and rules.is_staff_member(actor)):
        raise IdeaError(_("You are not allowed to edit ideas."))
    fields = [name for name in changed if name in AGENT_FIELDS]
    if fields:
        idea.save(update_fields=[*fields, "updated_at"])
        IdeaEvent.objects.create(idea=idea, actor=actor, kind=IdeaEvent.Kind.EDITED, is_public=False,
                                 internal_note=", ".join(fields))
    return idea


@transaction.atomic
def idea_submit(*, idea: Idea, actor) -> Idea:
    """Publish a draft. Submitting twice (a double click) publishes it once."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status == Status.SUBMITTED:
        return idea
    by_author = actor is not None and actor.pk in (idea.author_id, idea.recorded_by_id)
    if not by_author:
        raise IdeaError(_("Only its author can publish this idea."))
    if idea.recorded_by is None and not rules.can_propose(actor, idea.call):
        raise IdeaError(_("This call does not accept ideas at the moment."))
    check_transition(from_status=idea.status, to_status=Status.SUBMITTED, by_author=True, public_message="")
    idea.status = Status.SUBMITTED
    idea.published_at = timezone.now()
    idea.save(update_fields=["status", "published_at", "updated_at"])
    IdeaEvent.objects.create(idea=idea, actor=actor, kind=IdeaEvent.Kind.SUBMITTED, to_status=Status.SUBMITTED)
    if idea.author is not None:
        Follow.objects.get_or_create(idea=idea, follower=idea.author)
    idea_refresh_search(idea=idea)
    if idea.recorded_by is None:  # what an agent records for a citizen is not screened
        from moderation.screening import review_reasons, send_to_review

        reasons = review_reasons(author=actor, text=f"{idea.title}\n{_search_text(idea)}")
        if reasons:
            send_to_review(content=idea, reasons=reasons)
    return idea


@transaction.atomic
def idea_change_status(*, idea: Idea, actor, to_status: str, public_message: str = "", internal_note: str = "",
                       notify: bool = True, merged_into: Idea | None = None) -> IdeaEvent:
    """Move an idea along the workflow. Refused transitions raise TransitionError with
    a message for the person who tried; nothing is written then."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    by_author = actor is not None and actor == idea.author and not rules.is_staff_member(actor)
    if not by_author and not rules.can_triage(actor):
        raise TransitionError(_("You are not allowed to change the status of ideas."))
    if merged_into is not None and (merged_into.pk == idea.pk or merged_into.call_id != idea.call_id):
        raise TransitionError(_("An idea can only be merged into another idea of the same call."))
    check_transition(from_status=idea.status, to_status=to_status, by_author=by_author,
                     public_message=public_message, merged_into=merged_into)
    event = IdeaEvent.objects.create(
        idea=idea, actor=actor, kind=IdeaEvent.Kind.STATUS, from_status=idea.status, to_status=to_status,
        public_message=public_message.strip(), internal_note=internal_note.strip(),
    )
    idea.status = to_status
    idea.merged_into = merged_into if to_status == Status.MERGED else idea.merged_into
    idea.save(update_fields=["status", "merged_into", "updated_at"])
    if notify:
        from ideas.tasks import notify_status_change

        enqueue_on_commit(notify_status_change, event_id=event.pk)
    return event


@dataclass
class BulkResult:
    moved: list[Idea] = field(default_factory=list)
    refused: list[tuple[Idea, str]] = field(default_factory=list)


def idea_bulk_change_status(*, ideas, actor, to_status: str, public_message: str = "", internal_note: str = "",
                            notify: bool = True) -> BulkResult:
    """Apply one transition to several ideas. Each idea moves entirely or not at all
    (its own transaction); those that cannot move are reported with the reason."""
    result = BulkResult()
    for idea in ideas:
        try:
            idea_change_status(idea=idea, actor=actor, to_status=to_status, public_message=public_message,
                               internal_note=internal_note, notify=notify)
        except TransitionError as error:
            result.refused.append((idea, str(error)))
        else:
            result.moved.append(idea)
    return result


@transaction.atomic
def idea_set_responsible(*, idea: Idea, responsible, actor) -> None:
    if not rules.can_triage(actor):
        raise IdeaError(_("You are not allowed to assign ideas."))
    Idea.objects.filter(pk=idea.pk).update(responsible=responsible, updated_at=timezone.now())
    IdeaEvent.objects.create(idea=idea, actor=actor, kind=IdeaEvent.Kind.RESPONSIBLE_SET, target_user=responsible,
                             is_public=False)


@transaction.atomic
def analyst_assign(*, idea: Idea, analyst, actor) -> Analysis:
    if not rules.can_triage(actor):
        raise IdeaError(_("You are not allowed to assign analysts."))
    analysis, created = Analysis.objects.get_or_create(idea=idea, analyst=analyst)
    if created:
        IdeaEvent.objects.create(idea=idea, actor=actor, kind=IdeaEvent.Kind.ANALYST_ADDED, target_user=analyst,
                                 is_public=False)
    return analysis


@transaction.atomic
def analysis_submit(*, analysis: Analysis, actor, feasibility: str, recommendation: str, comment: str = "",
                    estimated_cost=None) -> Analysis:
    if actor != analysis.analyst:
        raise IdeaError(_("Only the analyst assigned can submit this analysis."))
    analysis.feasibility = feasibility
    analysis.recommendation = recommendation
    analysis.comment = comment
    analysis.estimated_cost = estimated_cost
    analysis.submitted_at = timezone.now()
    analysis.full_clean()
    analysis.save()
    IdeaEvent.objects.create(idea=analysis.idea, actor=actor, kind=IdeaEvent.Kind.ANALYSIS_SUBMITTED,
                             is_public=False)
    return analysis


def idea_vote(*, idea: Idea, voter, value: int) -> Vote | None:
    """Support (+1) or oppose (-1). One vote per person and idea, enforced by the
    database; the counters move in the same transaction as the row."""
    if value not in (1, -1):
        raise IdeaError(_("A vote is for or against."))
    if not rules.can_vote(voter, idea, value):
        raise IdeaError(_("Votes are not open for this idea."))
    with transaction.atomic():
        existing = Vote.objects.select_for_update().filter(idea=idea, voter=voter).first()
        if existing is not None:
            if existing.value == value:
                return existing
            existing.value = value
            existing.save(update_fields=["value"])
            _count_vote(idea, value, +1)
            _count_vote(idea, -value, -1)
            return existing
        try:
            with transaction.atomic():
                vote = Vote.objects.create(idea=idea, voter=voter, value=value)
        except IntegrityError:  # the same person in another tab, a moment earlier
            return Vote.objects.get(idea=idea, voter=voter)
        _count_vote(idea, value, +1)
        return vote


def idea_unvote(*, idea: Idea, voter) -> None:
    with transaction.atomic():
        vote = Vote.objects.select_for_update().filter(idea=idea, voter=voter).first()
        if vote is not None:
            vote.delete()
            _count_vote(idea, vote.value, -1)


def _count_vote(idea: Idea, value: int, delta: int) -> None:
    column = "support_count" if value == 1 else "against_count"
    Idea.objects.filter(pk=idea.pk).update(**{column: F(column) + delta})


@transaction.atomic
def comment_add(*, idea: Idea, author, body: str, parent: Comment | None = None, honeypot: str = "") -> Comment:
    """A comment, published at once unless a safety net sends it to the moderators first
    (moderation.screening): then it waits, hidden, with a note saying so."""
    if not rules.can_comment(author, idea):
        raise IdeaError(rules.posting_refusal(author) or _("Comments are not open for this idea."))
    body = (body or "").strip()
    if not body:
        raise IdeaError(_("The comment is empty."))
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise IdeaError(_("You can only reply to a comment of this idea."))
        parent = parent.parent or parent  # replies stay one level deep
    from moderation.screening import recent_comments, review_reasons, send_to_review

    reasons = review_reasons(author=author, text=body, honeypot=honeypot, previous_texts=recent_comments(author))
    comment = Comment(idea=idea, author=author, body=body, parent=parent)
    comment.full_clean()
    comment.save()
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    if reasons:
        send_to_review(content=comment, reasons=reasons)
    else:
        from ideas.tasks import notify_comment

        enqueue_on_commit(notify_comment, comment_id=comment.pk)
    return comment


def idea_follow(*, idea: Idea, follower) -> None:
    Follow.objects.get_or_create(idea=idea, follower=follower)


def idea_unfollow(*, idea: Idea, follower) -> None:
    Follow.objects.filter(idea=idea, follower=follower).delete()


@transaction.atomic
def idea_merge(*, idea: Idea, into: Idea, actor, public_message: str) -> IdeaEvent:
    """Merge a duplicate: its votes, comments and followers move to the idea kept."""
    event = idea_change_status(idea=idea, actor=actor, to_status=Status.MERGED, public_message=public_message,
                               merged_into=into)
    kept_voters = set(Vote.objects.filter(idea=into).values_list("voter_id", flat=True))
    Vote.objects.filter(idea=idea).exclude(voter_id__in=kept_voters).update(idea=into)
    Vote.objects.filter(idea=idea).delete()
    Comment.objects.filter(idea=idea).update(idea=into)
    kept_followers = set(Follow.objects.filter(idea=into).values_list("follower_id", flat=True))
    Follow.objects.filter(idea=idea).exclude(follower_id__in=kept_followers).update(idea=into)
    for target in (idea, into):
        idea_recount(idea=target)
    IdeaEvent.objects.create(idea=into, actor=actor, kind=IdeaEvent.Kind.MERGED, public_message=idea.title)
    return event


def idea_recount(*, idea: Idea) -> None:
    from django.db.models import Count, Q

    counts = Idea.objects.filter(pk=idea.pk).aggregate(
        support=Count("votes", filter=Q(votes__value=1), distinct=True),
        against=Count("votes", filter=Q(votes__value=-1), distinct=True),
    )
    comments = Comment.objects.filter(idea=idea).count()
    Idea.objects.filter(pk=idea.pk).update(
        support_count=counts["support"], against_count=counts["against"], comment_count=comments
    )
