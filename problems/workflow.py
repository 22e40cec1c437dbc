"""The workflow of a problem report: the one table of allowed transitions.

received → in progress → resolved, or rejected (with a public reason). A closed report
(resolved or rejected) can be reopened as in progress when the problem comes back or
was closed by mistake. Only agents move reports; everything else about a transition
(who, when, the message, the notifications) is done by problems.services."""

from django.utils.translation import gettext_lazy as _

from problems.models import Status

S = Status

TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.IN_PROGRESS, S.RESOLVED, S.REJECTED},
    S.IN_PROGRESS: {S.RESOLVED, S.REJECTED},
    S.RESOLVED: {S.IN_PROGRESS},
    S.REJECTED: {S.IN_PROGRESS},
}

# These need a public message: the reporter and the public read why.
REASON_REQUIRED = {S.REJECTED}

# Statuses of reports still waiting for the commune (the map shows these and the resolved ones).
OPEN_STATUSES = {S.RECEIVED, S.IN_PROGRESS}

# Colours of the statuses on the site and in the admin (text on white, WCAG AA).
COLOURS = {S.RECEIVED: "#1d4ed8", S.IN_PROGRESS: "#b45309", S.RESOLVED: "#166534", S.REJECTED: "#b91c1c"}

MESSAGE_MAX = 2000


class TransitionError(Exception):
    """A transition the workflow refuses; its message is shown to the person as it is."""


def allowed_targets(from_status: str) -> list[str]:
    """Where a report in ``from_status`` may go, in the order of the statuses."""
    targets = TRANSITIONS.get(from_status, set())
    return [status for status in Status.values if status in targets]


def check_transition(*, from_status: str, to_status: str, message: str) -> None:
    if to_status not in Status.values:
        raise TransitionError(_("Unknown status."))
    if to_status not in TRANSITIONS.get(from_status, set()):
        raise TransitionError(
            _("A report cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    if to_status in REASON_REQUIRED and not (message or "").strip():
        raise TransitionError(
            _("“%(to)s” needs a public reason: the person who reported it will read it.")
            % {"to": Status(to_status).label}
        )
    if len(message or "") > MESSAGE_MAX:
        raise TransitionError(_("The message is too long (at most %(max)s characters).") % {"max": MESSAGE_MAX})
