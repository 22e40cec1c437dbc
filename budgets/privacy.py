"""A person's ballots and follows (see accounts/privacy.py). Ballots stay counted when the
account goes (their identity is a digest, never an email or a name); follows are removed."""

from budgets.models import Ballot, BudgetFollow


def export(user) -> dict:
    ballots = Ballot.objects.filter(voter=user).select_related("budget__call").prefetch_related("choices__idea")
    return {
        "ballots": [{"budget": b.budget.call.title, "channel": b.channel, "receipt": b.receipt,
                     "cast_at": b.cast_at.isoformat(),
                     "choices": [{"project": c.idea.title, "points": c.points} for c in b.choices.all()]}
                    for b in ballots.order_by("id")],
        "budget_follows": [{"budget": f.budget_id, "since": f.created_at.isoformat()}
                           for f in BudgetFollow.objects.filter(follower=user).order_by("id")],
    }


def forget(user) -> None:
    BudgetFollow.objects.filter(follower=user).delete()
