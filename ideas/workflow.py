"""The status workflow of an idea: the one table of allowed transitions.

Agents move ideas along the table; an author may only withdraw their own idea before
its analysis starts. Refusing an idea requires a public reason; merging requires the
idea kept. Everything else about a transition (who did it, when, the messages, the
notifications) is done by ideas.services.idea_change_status."""

from django.utils.translation import gettext_lazy as _

from ideas.models import Status

S = Status

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.UNDER_ANALYSIS, S.ADMISSIBLE, S.NOT_ADMISSIBLE, S.MERGED, S.WITHDRAWN},
    S.UNDER_ANALYSIS: {S.ADMISSIBLE, S.NOT_ADMISSIBLE, S.MERGED, S.SUBMITTED},
    S.ADMISSIBLE: {S.FINALIST, S.SELECTED, S.IN_PROGRESS, S.NOT_ADMISSIBLE, S.MERGED, S.UNDER_ANALYSIS},
    S.NOT_ADMISSIBLE: {S.UNDER_ANALYSIS, S.ADMISSIBLE},
    S.FINALIST: {S.SELECTED, S.ADMISSIBLE},
    S.SELECTED: {S.IN_PROGRESS, S.FINALIST},
    S.IN_PROGRESS: {S.DONE},
    S.DONE: set(),
    S.MERGED: set(),
    S.WITHDRAWN: set(),
}

# What an author may do with their own idea (everything else is the agents').
AUTHOR_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.WITHDRAWN},
}

# These need an explanation the author and the public can read.
REASON_REQUIRED = {S.NOT_ADMISSIBLE, S.MERGED}

# Colours of the statuses in the admin and on the site (text on white, WCAG AA).
COLOURS = {
    S.DRAFT: "#4b5563", S.SUBMITTED: "#1d4ed8", S.UNDER_ANALYSIS: "#7c3aed", S.ADMISSIBLE: "#047857",
    S.NOT_ADMISSIBLE: "#b91c1c", S.FINALIST: "#b45309", S.SELECTED: "#15803d", S.IN_PROGRESS: "#0e7490",
    S.DONE: "#166534", S.MERGED: "#4b5563", S.WITHDRAWN: "#6b7280",
}

# Statuses the public sees (a draft is its author's only).
PUBLIC_STATUSES = [status for status in Status.values if status != S.DRAFT]


class TransitionError(Exception):
    """A transition the workflow refuses; its message is shown to the user as it is."""


def check_transition(*, from_status: str, to_status: str, by_author: bool, public_message: str,
                     merged_into=None) -> None:
    table = AUTHOR_TRANSITIONS if by_author else TRANSITIONS
    if to_status not in table.get(from_status, set()):
        raise TransitionError(
            _("An idea cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    if to_status in REASON_REQUIRED and not (public_message or "").strip():
        raise TransitionError(
            _("“%(to)s” needs a public explanation for the author.") % {"to": Status(to_status).label}
        )
    if to_status == S.MERGED and merged_into is None:
        raise TransitionError(_("Choose the idea this one is merged into."))
