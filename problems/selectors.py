"""Reads for the pages about problem reports, each in a fixed number of queries."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from problems.models import Problem, ProblemEvent, ProblemFollow, Status

MAP_LIMIT = 1000


def _follower_count():
    followers = (ProblemFollow.objects.filter(problem=OuterRef("pk")).order_by().values("problem")
                 .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(followers, output_field=IntegerField()), Value(0))


def _last_message():
    """The public message of the latest status change (a rejection's reason, say)."""
    return Subquery(ProblemEvent.objects.filter(problem=OuterRef("pk"), kind=ProblemEvent.Kind.STATUS)
                    .order_by("-created_at", "-id").values("message")[:1])


def public_problems():
    """Reports anyone may see: all but those held for review."""
    return Problem.objects.filter(held_for_review=False)


def _filtered(*, status: str | None = None, category=None, neighbourhood=None):
    problems = public_problems()
    if status in Status.values:
        problems = problems.filter(status=status)
    if category is not None:
        problems = problems.filter(category=category)
    if neighbourhood is not None:
        problems = problems.filter(neighbourhood=neighbourhood)
    return problems


def problem_list(*, status: str | None = None, category=None, neighbourhood=None):
    """The public list, newest first, with the number of followers and the latest message.
    Never the reporter: the public list is anonymous."""
    return (_filtered(status=status, category=category, neighbourhood=neighbourhood)
            .select_related("category", "neighbourhood")
            .annotate(follower_count=_follower_count(), last_message=_last_message())
            .order_by("-created_at", "-id"))


def problem_points(*, status: str | None = None, category=None, neighbourhood=None) -> list[dict]:
    """The public reports that have a place, for the map (rejected ones are not problems)."""
    rows = (_filtered(status=status, category=category, neighbourhood=neighbourhood)
            .exclude(status=Status.REJECTED)
            .filter(latitude__isnull=False, longitude__isnull=False)
            .order_by("-created_at", "-id")
            .values("pk", "latitude", "longitude", "address", "status", "category__name")[:MAP_LIMIT])
    return list(rows)


def problem_detail(*, problem_id: int, user):
    """The report with its public timeline, its number of followers and whether the
    visitor follows it."""
    timeline = ProblemEvent.objects.filter(kind__in=ProblemEvent.PUBLIC_KINDS).order_by("created_at", "id")
    problems = (Problem.objects.select_related("category", "neighbourhood")
                .prefetch_related(Prefetch("events", queryset=timeline, to_attr="timeline"))
                .annotate(follower_count=_follower_count()))
    if user.is_authenticated:
        problems = problems.annotate(
            i_follow=Exists(ProblemFollow.objects.filter(problem=OuterRef("pk"), follower=user)))
    return problems.filter(pk=problem_id).first()


def my_problems(*, user) -> dict:
    """What "My reports" shows: the reports the person made (held ones too), and the ones
    they follow."""
    reported = (Problem.objects.filter(reporter=user).select_related("category", "neighbourhood")
                .annotate(follower_count=_follower_count(), last_message=_last_message())
                .order_by("-created_at", "-id"))
    followed = (public_problems().filter(Exists(ProblemFollow.objects.filter(problem=OuterRef("pk"), follower=user)))
                .exclude(reporter=user).select_related("category", "neighbourhood")
                .annotate(follower_count=_follower_count(), last_message=_last_message())
                .order_by("-created_at", "-id"))
    return {"reported": list(reported), "followed": list(followed)}
