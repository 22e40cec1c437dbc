"""A person's problem reports and follows (protocol: accounts/privacy.py)."""

from django.db.models import Prefetch

from problems.models import Problem, ProblemEvent, ProblemFollow


def _when(value) -> str:
    return value.isoformat() if value else ""


def export(user) -> dict:
    """The reports the person made, with their timeline, and the reports they follow."""
    timeline = ProblemEvent.objects.filter(kind__in=ProblemEvent.PUBLIC_KINDS).order_by("created_at", "id")
    reports = (Problem.objects.filter(reporter=user).select_related("category", "neighbourhood")
               .prefetch_related(Prefetch("events", queryset=timeline, to_attr="timeline"))
               .order_by("created_at", "id"))
    follows = (ProblemFollow.objects.filter(follower=user).exclude(problem__reporter=user)
               .select_related("problem").order_by("created_at", "id"))
    return {
        "problem_reports": [{
            "reference": problem.reference,
            "reported_at": _when(problem.created_at),
            "category": problem.category.name,
            "description": problem.description,
            "address": problem.address,
            "neighbourhood": problem.neighbourhood.name if problem.neighbourhood else "",
            "latitude": str(problem.latitude) if problem.latitude is not None else "",
            "longitude": str(problem.longitude) if problem.longitude is not None else "",
            "photo": problem.photo.name if problem.photo else "",
            "status": problem.status,
            "shown_publicly": not problem.held_for_review,
            "history": [{"at": _when(event.created_at), "from": event.from_status, "to": event.to_status,
                         "message": event.message} for event in problem.timeline],
        } for problem in reports],
        "problem_follows": [{"reference": follow.problem.reference, "since": _when(follow.created_at)}
                            for follow in follows],
    }


def forget(user) -> None:
    """The person stops following every report (their own included). Their reports stay,
    as public contributions, pointing at the anonymous account; no copy of their name or
    email is stored on the reports or their events, so there is nothing else to scrub."""
    ProblemFollow.objects.filter(follower=user).delete()
