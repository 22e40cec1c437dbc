"""Who may do what with ideas, and when (computed from the call's phases)."""

from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from ideas.models import Call, Idea, Phase, Status

# Phases during which citizens may react to ideas (vote, comment).
REACTION_PHASES = {Phase.Kind.SUBMISSION, Phase.Kind.CO_CONSTRUCTION, Phase.Kind.ANALYSIS,
                   Phase.Kind.PRIORITISATION}
# An idea still open to reactions.
OPEN_STATUSES = {Status.SUBMITTED, Status.UNDER_ANALYSIS, Status.ADMISSIBLE, Status.FINALIST}
# The author may edit until the analysis starts.
EDITABLE_STATUSES = {Status.DRAFT, Status.SUBMITTED}


def open_phase_kinds(call: Call, at=None) -> set[str]:
    at = at or timezone.now()
    return {phase.kind for phase in call.phases.all() if phase.is_open(at)}


def is_verified(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.emailaddress_set.filter(verified=True).exists()


def has_role(user, role: Role) -> bool:
    return user.is_authenticated and user.groups.filter(name=role.value).exists()


def is_staff_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def can_triage(user) -> bool:
    """Agents (and superusers) change statuses, assign analysts and responsible agents."""
    return bool(user and user.is_authenticated and (user.is_superuser or has_role(user, Role.AGENT)))


def terms_pending(user) -> bool:
    """The commune published terms of use this citizen has not accepted yet (staff excepted)."""
    current = getattr(connection.tenant, "terms_version", 0) or 0
    return bool(current and getattr(user, "is_authenticated", False) and not user.is_staff
                and user.terms_version < current)


def may_post(user) -> bool:
    """A verified person not blocked by a moderation decision (blocked people still read),
    who accepted the current terms of use."""
    return is_verified(user) and not getattr(user, "is_blocked", False) and not terms_pending(user)


def posting_refusal(user) -> str | None:
    """Why this person may not post now, in words for them (None: they may)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    if not getattr(user, "is_authenticated", False):
        return _("Log in to take part.")
    if getattr(user, "is_blocked", False):
        return _("A moderation decision stops you from posting until %(date)s; you can still read everything.") % {
            "date": date_format(timezone.localtime(user.posting_blocked_until), "SHORT_DATE_FORMAT")}
    if terms_pending(user):
        return _("The terms of use have changed: accept them before you post again.")
    if not is_verified(user):
        return _("Confirm your email address first: click the link we sent you.")
    return None


def can_propose(user, call: Call) -> bool:
    return call.is_published and Phase.Kind.SUBMISSION in open_phase_kinds(call) and may_post(user)


def can_edit(user, idea: Idea) -> bool:
    return idea.author_id is not None and user.pk == idea.author_id and idea.status in EDITABLE_STATUSES


def can_view(user, idea: Idea) -> bool:
    if idea.status == Status.DRAFT:
        return user.is_authenticated and user.pk in (idea.author_id, idea.recorded_by_id)
    return not idea.is_hidden or is_staff_member(user)


def may_see_file(user, path: str) -> bool:
    """An idea's image, thumbnail or attachment is served to those who may see the idea
    (a draft's to its author, a hidden idea's to the staff); a file of no idea to nobody."""
    from django.db.models import Q

    from ideas.models import IdeaImage

    if path.startswith("ideas/attachments/"):
        idea = Idea.objects.filter(attachment=path).first()
    else:
        image = IdeaImage.objects.filter(Q(image=path) | Q(thumbnail=path)).select_related("idea").first()
        idea = image.idea if image is not None else None
    return idea is not None and can_view(user, idea)


def can_react(user, idea: Idea) -> bool:
    return (may_post(user) and idea.is_public and idea.status in OPEN_STATUSES
            and bool(open_phase_kinds(idea.call) & REACTION_PHASES))


def _mode_allows(mode: str, value: int) -> bool:
    return mode != Call.VoteMode.NONE and (value == 1 or mode == Call.VoteMode.FOR_AGAINST)


def can_vote(user, idea: Idea, value: int = 1) -> bool:
    return _mode_allows(idea.call.vote_mode, value) and can_react(user, idea)


def reactions(user, idea: Idea) -> dict[str, bool]:
    """What the idea's page offers ``user``, from one check of email and phases."""
    react = user.is_authenticated and can_react(user, idea)
    mode = idea.call.vote_mode
    return {"vote": react and _mode_allows(mode, 1), "oppose": react and _mode_allows(mode, -1), "comment": react}


def can_comment(user, idea: Idea) -> bool:
    return can_react(user, idea)
