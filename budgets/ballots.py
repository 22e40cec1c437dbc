"""The rules of a ballot, for every voting method a budget may choose. Checked on the
server for every ballot (the site, the admin's paper ballots, imports): a ballot that
breaks a rule is refused with a message saying which rule and by how much."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class Method(models.TextChoices):
    FAVOURITE = "favourite", gettext_lazy("One favourite project")
    APPROVAL = "approval", gettext_lazy("Approval of several projects")
    BASKET = "basket", gettext_lazy("A basket within the envelope")
    POINTS = "points", gettext_lazy("Points to share out")


@dataclass(frozen=True)
class VotingRules:
    method: str
    envelope: Fraction = Fraction(0)
    min_projects: int = 1
    max_projects: int | None = None
    min_share_spent: Fraction = Fraction(0)  # basket: at least this share of the envelope
    points: int = 0  # points: how many each voter shares out
    max_points_per_project: int | None = None


class BallotError(ValueError):
    """A ballot refused; ``messages`` say why, in the voter's language."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def euros(amount) -> str:
    return f"{number_format(Fraction(amount).__round__(), force_grouping=True)}\u00a0€"


def check_ballot(rules: VotingRules, choices: dict[str, int], costs: dict[str, Fraction]) -> dict[str, int]:
    """Return the ballot as it will be stored (project id -> points, 1 for a plain choice),
    or raise BallotError. ``costs`` holds the projects open to the vote."""
    unknown = [p for p in choices if p not in costs]
    if unknown:
        raise BallotError([_("This ballot names projects that are not open to the vote.")])
    ballot = {p: int(v) for p, v in choices.items() if int(v) != 0}
    if any(v < 0 for v in ballot.values()):
        raise BallotError([_("A project cannot receive a negative number of points.")])
    errors: list[str] = []
    count = len(ballot)
    if rules.method == Method.FAVOURITE:
        if count != 1 or next(iter(ballot.values()), 1) != 1:
            errors.append(_("Choose exactly one project."))
    elif rules.method in (Method.APPROVAL, Method.BASKET):
        if any(v != 1 for v in ballot.values()):
            errors.append(_("Each project is chosen or not."))
        if count < rules.min_projects:
            errors.append(ngettext("Choose at least %(count)d project.", "Choose at least %(count)d projects.",
                                   rules.min_projects) % {"count": rules.min_projects})
        if rules.max_projects is not None and count > rules.max_projects:
            errors.append(ngettext("Choose at most %(count)d project.", "Choose at most %(count)d projects.",
                                   rules.max_projects) % {"count": rules.max_projects})
        if rules.method == Method.BASKET:
            total = sum((Fraction(costs[p]) for p in ballot), Fraction(0))
            if total > rules.envelope:
                errors.append(_("Your basket costs %(total)s, more than the envelope of %(envelope)s: "
                                "remove %(over)s.") % {"total": euros(total), "envelope": euros(rules.envelope),
                                                      "over": euros(total - rules.envelope)})
            minimum = rules.envelope * rules.min_share_spent
            if rules.min_share_spent and total < minimum:
                errors.append(_("Your basket costs %(total)s; spend at least %(minimum)s of the envelope.")
                              % {"total": euros(total), "minimum": euros(minimum)})
    elif rules.method == Method.POINTS:
        used = sum(ballot.values())
        if used > rules.points:
            errors.append(_("You gave %(used)d points; you have %(points)d.") % {"used": used, "points": rules.points})
        if used == 0:
            errors.append(_("Give your points to at least one project."))
        cap = rules.max_points_per_project
        if cap is not None and any(v > cap for v in ballot.values()):
            errors.append(_("At most %(cap)d points per project.") % {"cap": cap})
    else:
        raise ValueError(f"unknown method {rules.method!r}")
    if errors:
        raise BallotError(errors)
    return ballot
