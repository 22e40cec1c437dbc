"""Who receives a newsletter. Every segment is cut from the subscribers: active people who
ticked "receives the newsletter" and whose address is verified. The segment itself is the
kind and parameters stored on the newsletter; it is resolved into deliveries when sending
starts (newsletters.services.newsletter_prepare), and counted in the admin before."""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AgeBracket, User
from newsletters.models import Newsletter

Segment = Newsletter.Segment

# Ages (in years reached this year) of each bracket, both ends included; None: no upper end.
AGE_LIMITS = {
    AgeBracket.UNDER_18: (0, 17),
    AgeBracket.FROM_18: (18, 24),
    AgeBracket.FROM_25: (25, 34),
    AgeBracket.FROM_35: (35, 49),
    AgeBracket.FROM_50: (50, 64),
    AgeBracket.FROM_65: (65, None),
}

# The parameter each kind needs, by field name on Newsletter.
REQUIRED = {
    Segment.BUDGET: "segment_budget",
    Segment.CALL: "segment_call",
    Segment.IDEA_STATUS: "segment_idea_status",
    Segment.NEIGHBOURHOOD: "segment_neighbourhood",
    Segment.AGE_BRACKET: "segment_age_bracket",
}
PARAMETERS = ("segment_budget", "segment_call", "segment_idea_status", "segment_neighbourhood",
              "segment_age_bracket")
# Parameters a kind may use beyond its required one (the call narrows a status segment).
OPTIONAL = {Segment.IDEA_STATUS: {"segment_call"}}


def subscribers() -> QuerySet:
    """People who agreed to receive the newsletter, at an address they verified."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True)
    return User.objects.filter(Exists(verified), is_active=True, newsletter_opt_in=True).exclude(email="")


def _call_participants(call_id: int) -> Q:
    """Authors of the call's ideas (drafts excepted), people who voted on them or commented."""
    from ideas.models import Comment, Idea, Status, Vote

    return (Q(Exists(Idea.objects.filter(call_id=call_id, author=OuterRef("pk")).exclude(status=Status.DRAFT)))
            | Q(Exists(Vote.objects.filter(idea__call_id=call_id, voter=OuterRef("pk"))))
            | Q(Exists(Comment.objects.filter(idea__call_id=call_id, author=OuterRef("pk")))))


def _age_bracket(bracket: str) -> Q:
    youngest, oldest = AGE_LIMITS[AgeBracket(bracket)]
    year = timezone.localdate().year
    born = Q(birth_year__isnull=False, birth_year__lte=year - youngest)
    if oldest is not None:
        born &= Q(birth_year__gte=year - oldest)
    return born | Q(birth_year__isnull=True, age_bracket=bracket)


def condition(newsletter: Newsletter) -> Q:
    """The segment's condition on top of the subscribers (Q() for all of them)."""
    from budgets.models import Ballot
    from ideas.models import Idea

    kind = newsletter.segment
    if kind == Segment.SUBSCRIBERS:
        return Q()
    if kind == Segment.BUDGET:
        budget = newsletter.segment_budget
        return Q(Exists(Ballot.objects.filter(budget=budget, voter=OuterRef("pk")))) | _call_participants(
            budget.call_id)
    if kind == Segment.CALL:
        return _call_participants(newsletter.segment_call_id)
    if kind == Segment.IDEA_STATUS:
        ideas = Idea.objects.filter(status=newsletter.segment_idea_status, author=OuterRef("pk"))
        if newsletter.segment_call_id:
            ideas = ideas.filter(call_id=newsletter.segment_call_id)
        return Q(Exists(ideas))
    if kind == Segment.NEIGHBOURHOOD:
        return Q(neighbourhood_id=newsletter.segment_neighbourhood_id)
    if kind == Segment.AGE_BRACKET:
        return _age_bracket(newsletter.segment_age_bracket)
    raise ValueError(kind)


def recipients(newsletter: Newsletter) -> QuerySet:
    """The people the newsletter would go to now, one row each, by id."""
    if errors(newsletter):
        return User.objects.none()
    return subscribers().filter(condition(newsletter)).order_by("pk")


def errors(newsletter: Newsletter) -> dict[str, str]:
    """What is missing or superfluous in the segment, by field name (empty: it is complete)."""
    found = {}
    required = REQUIRED.get(newsletter.segment)
    if required is not None and getattr(newsletter, required) in (None, ""):
        found[required] = _("Choose who receives it.")
    return found


def clear_unused(newsletter: Newsletter) -> None:
    """Empty the parameters the chosen kind does not use, so none lingers unseen."""
    kept = {REQUIRED.get(newsletter.segment), *OPTIONAL.get(newsletter.segment, ())}
    for name in PARAMETERS:
        if name not in kept:
            setattr(newsletter, name, "" if name in ("segment_idea_status", "segment_age_bracket") else None)


def describe(newsletter: Newsletter) -> str:
    """The segment in words, for the admin ("Participants of “Budget 2026”")."""
    kind = newsletter.segment
    if errors(newsletter):
        return _("%(kind)s (incomplete)") % {"kind": newsletter.get_segment_display()}
    if kind == Segment.SUBSCRIBERS:
        return _("All subscribers")
    if kind == Segment.BUDGET:
        return _("Participants of “%(title)s”") % {"title": newsletter.segment_budget.call.title}
    if kind == Segment.CALL:
        return _("Participants of “%(title)s”") % {"title": newsletter.segment_call.title}
    if kind == Segment.IDEA_STATUS:
        status = newsletter.get_segment_idea_status_display()
        if newsletter.segment_call_id:
            return _("Authors of ideas “%(status)s” in “%(title)s”") % {"status": status,
                                                                        "title": newsletter.segment_call.title}
        return _("Authors of ideas “%(status)s”") % {"status": status}
    if kind == Segment.NEIGHBOURHOOD:
        return _("Residents of %(name)s") % {"name": newsletter.segment_neighbourhood.name}
    return _("Aged %(bracket)s") % {"bracket": newsletter.get_segment_age_bracket_display()}
