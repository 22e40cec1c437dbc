"""Who may do what in a participatory budget, and when (computed from the call's phases)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from budgets.models import Budget
from ideas.models import Phase
from accounts.identity import is_identity_verified
from ideas.rules import has_role, is_verified, open_phase_kinds


def current_phase(budget: Budget, at=None) -> Phase | None:
    at = at or timezone.now()
    for phase in budget.call.phases.all():
        if phase.is_open(at):
            return phase
    return None


def vote_is_open(budget: Budget, at=None) -> bool:
    return budget.call.is_published and Phase.Kind.VOTE in open_phase_kinds(budget.call, at)


def vote_has_closed(budget: Budget, at=None) -> bool:
    at = at or timezone.now()
    votes = [phase for phase in budget.call.phases.all() if phase.kind == Phase.Kind.VOTE]
    return bool(votes) and all(phase.end is not None and phase.end <= at for phase in votes)


def voter_refusal(user, budget: Budget, at=None) -> str | None:
    """Why ``user`` may not vote now, in their language; None when they may."""
    if not vote_is_open(budget, at):
        return _("The vote is not open.")
    if not user.is_authenticated:
        return _("Log in to vote.")
    if not is_verified(user):
        return _("Confirm your email address to vote.")
    if budget.require_verified_identity and not is_identity_verified(user):
        return _("This vote is secured: verify your identity from your profile page "
                 "(or at the town hall's counter) to vote.")
    if budget.min_age:
        if not user.birth_year:
            return _("This vote is open from the age of %(age)d: give your year of birth in your profile.") % {
                "age": budget.min_age}
        if (at or timezone.now()).year - user.birth_year < budget.min_age:
            return _("This vote is open from the age of %(age)d.") % {"age": budget.min_age}
    if budget.require_neighbourhood and not user.neighbourhood_id:
        return _("This vote asks for your neighbourhood: choose it in your profile.")
    return None


def can_score(user, budget: Budget, at=None) -> bool:
    """Steering-committee members score finalists during the prioritisation step."""
    return (user.is_authenticated and has_role(user, Role.STEERING_COMMITTEE)
            and Phase.Kind.PRIORITISATION in open_phase_kinds(budget.call, at))
