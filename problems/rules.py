"""Who may do what with problem reports."""

from django.utils.translation import gettext as _

from ideas.rules import can_triage, may_post, posting_refusal

__all__ = ["can_follow", "can_handle", "can_view", "may_report", "may_see_file", "refusal"]


def may_report(user) -> bool:
    """The same people who may post anything: a verified email, not blocked by moderation."""
    return may_post(user)


def refusal(user) -> str | None:
    """Why ``user`` may not report a problem now, in words for them (None: they may)."""
    if not getattr(user, "is_authenticated", False):
        return _("Log in to report a problem.")
    if may_post(user):
        return None
    # Blocked, terms of use to accept, email not confirmed: the same words as everywhere.
    return posting_refusal(user) or _("You cannot report a problem at the moment.")


def can_handle(user) -> bool:
    """Agents (and superusers) handle reports: statuses, assignment, review."""
    return can_triage(user)


def can_view(user, problem) -> bool:
    """A report held for review is its reporter's and the agents' only."""
    if not problem.held_for_review:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk == problem.reporter_id or can_handle(user)


def may_see_file(user, path: str) -> bool:
    """A report's photo is served to those who may see the report (a held one's to its
    reporter and the agents); a photo of no report to nobody."""
    from problems.models import Problem

    problem = Problem.objects.filter(photo=path).first()
    return problem is not None and can_view(user, problem)


def can_follow(user, problem) -> bool:
    """Any logged-in person may follow a public report ("me too"); its reporter always does."""
    return bool(getattr(user, "is_authenticated", False) and not problem.held_for_review
                and user.pk != problem.reporter_id)
