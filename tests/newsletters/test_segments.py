"""Each segment selects exactly its people, always among the subscribers (opted in, active,
verified address), and never anybody of another commune."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import Neighbourhood, User
from ideas.models import Call, Comment, Idea, Status, Vote
from newsletters import segments, services
from newsletters.models import Delivery, Newsletter
from tests.budgets.conftest import make_budget
from tests.conftest import create_citizen
from tests.newsletters.conftest import make_newsletter, start, subscriber

Segment = Newsletter.Segment


def emails(commune, newsletter) -> set[str]:
    with tenant_context(commune):
        newsletter.refresh_from_db()
        return set(segments.recipients(newsletter).values_list("email", flat=True))


def idea(call, author, status=Status.SUBMITTED, title="Une idée"):
    return Idea.objects.create(call=call, author=author, title=title, status=status, answers=[],
                               published_at=timezone.now())


@pytest.fixture
def calls(bertrix):
    with tenant_context(bertrix):
        return (Call.objects.create(title="Boîte à idées", slug="boite", is_published=True),
                Call.objects.create(title="Mobilité douce", slug="mobilite", is_published=True))


def test_subscribers_are_opted_in_active_people_with_a_verified_address(bertrix, agent):
    subscriber(bertrix, "abonnee@bertrix.example")
    create_citizen(bertrix, "pas-abonne@bertrix.example")
    unverified = subscriber(bertrix, "non-verifiee@bertrix.example")
    changed = subscriber(bertrix, "ancienne@bertrix.example")
    inactive = subscriber(bertrix, "partie@bertrix.example")
    with tenant_context(bertrix):
        EmailAddress.objects.filter(user=unverified).update(verified=False)
        # A new address, not verified yet: the verified one is no longer theirs to use.
        User.objects.filter(pk=changed.pk).update(email="nouvelle@bertrix.example")
        User.objects.filter(pk=inactive.pk).update(is_active=False)
    newsletter = make_newsletter(bertrix, agent)
    assert emails(bertrix, newsletter) == {"abonnee@bertrix.example"}


def test_another_communes_subscribers_are_never_included(bertrix, fleurus, agent, fleurus_agent,
                                                          django_capture_on_commit_callbacks, mailoutbox):
    subscriber(bertrix, "marie@bertrix.example")
    for number in range(3):
        subscriber(fleurus, f"lecteur{number}@fleurus.example")
    subscriber(fleurus, "marie@bertrix.example")  # the same address, an account of Fleurus
    newsletter = make_newsletter(bertrix, agent)
    assert emails(bertrix, newsletter) == {"marie@bertrix.example"}
    with django_capture_on_commit_callbacks(execute=True):
        start(bertrix, newsletter, agent)
    with tenant_context(bertrix):
        assert list(Delivery.objects.values_list("email", flat=True)) == ["marie@bertrix.example"]
    with tenant_context(fleurus):
        assert not Delivery.objects.exists()
    assert [m.to for m in mailoutbox] == [["marie@bertrix.example"]]
    assert mailoutbox[0].extra_headers["X-Civic-Commune"] == "bertrix"


def test_participants_of_a_budget_voted_or_took_part_in_its_projects(bertrix, agent):
    from budgets.models import Ballot

    budget, projects = make_budget(bertrix, agent)
    other, _projects = make_budget(bertrix, agent, title="Budget 2021")
    voter = subscriber(bertrix, "votante@bertrix.example")
    commenter = subscriber(bertrix, "commente@bertrix.example")
    supporter = subscriber(bertrix, "soutient@bertrix.example")
    author = subscriber(bertrix, "autrice@bertrix.example")
    elsewhere = subscriber(bertrix, "ailleurs@bertrix.example")
    not_subscribed = create_citizen(bertrix, "vote-sans-lettre@bertrix.example")
    subscriber(bertrix, "spectateur@bertrix.example")
    with tenant_context(bertrix):
        Ballot.objects.create(budget=budget, voter=voter, identity="a")
        Ballot.objects.create(budget=budget, voter=not_subscribed, identity="b")
        Ballot.objects.create(budget=other, voter=elsewhere, identity="c")
        Comment.objects.create(idea=projects[0], author=commenter, body="Oui !")
        Vote.objects.create(idea=projects[1], voter=supporter, value=1)
        idea(budget.call, author, Status.FINALIST)
    newsletter = make_newsletter(bertrix, agent, segment=Segment.BUDGET, segment_budget=budget)
    assert emails(bertrix, newsletter) == {"votante@bertrix.example", "commente@bertrix.example",
                                           "soutient@bertrix.example", "autrice@bertrix.example"}


def test_participants_of_a_call_wrote_voted_or_commented_there(bertrix, agent, calls):
    here, there = calls
    people = {name: subscriber(bertrix, f"{name}@bertrix.example")
              for name in ("auteur", "brouillon", "vote", "commente", "ailleurs", "personne")}
    with tenant_context(bertrix):
        idea(here, people["auteur"])
        idea(here, people["brouillon"], Status.DRAFT)
        target = idea(here, people["auteur"], title="Autre")
        Vote.objects.create(idea=target, voter=people["vote"], value=-1)
        Comment.objects.create(idea=target, author=people["commente"], body="Bof")
        idea(there, people["ailleurs"])
    newsletter = make_newsletter(bertrix, agent, segment=Segment.CALL, segment_call=here)
    assert emails(bertrix, newsletter) == {"auteur@bertrix.example", "vote@bertrix.example",
                                           "commente@bertrix.example"}


def test_authors_of_ideas_in_a_status_optionally_in_one_call(bertrix, agent, calls):
    here, there = calls
    selected_here = subscriber(bertrix, "retenue-ici@bertrix.example")
    selected_there = subscriber(bertrix, "retenue-la@bertrix.example")
    refused = subscriber(bertrix, "refusee@bertrix.example")
    with tenant_context(bertrix):
        idea(here, selected_here, Status.SELECTED)
        idea(there, selected_there, Status.SELECTED)
        idea(here, refused, Status.NOT_ADMISSIBLE)
    everywhere = make_newsletter(bertrix, agent, segment=Segment.IDEA_STATUS, segment_idea_status=Status.SELECTED)
    assert emails(bertrix, everywhere) == {"retenue-ici@bertrix.example", "retenue-la@bertrix.example"}
    one_call = make_newsletter(bertrix, agent, segment=Segment.IDEA_STATUS, segment_idea_status=Status.SELECTED,
                               segment_call=here)
    assert emails(bertrix, one_call) == {"retenue-ici@bertrix.example"}


def test_residents_of_a_neighbourhood(bertrix, agent):
    with tenant_context(bertrix):
        cugnon, jehonville = Neighbourhood.objects.get(name="Cugnon"), Neighbourhood.objects.get(name="Jehonville")
    subscriber(bertrix, "cugnon@bertrix.example", neighbourhood=cugnon)
    subscriber(bertrix, "jehonville@bertrix.example", neighbourhood=jehonville)
    subscriber(bertrix, "nulle-part@bertrix.example")
    newsletter = make_newsletter(bertrix, agent, segment=Segment.NEIGHBOURHOOD, segment_neighbourhood=cugnon)
    assert emails(bertrix, newsletter) == {"cugnon@bertrix.example"}


def test_an_age_bracket_from_the_year_of_birth_else_from_the_declared_bracket(bertrix, agent):
    year = timezone.localdate().year
    subscriber(bertrix, "a18@bertrix.example", birth_year=year - 18)
    subscriber(bertrix, "a24@bertrix.example", birth_year=year - 24)
    subscriber(bertrix, "a25@bertrix.example", birth_year=year - 25)
    subscriber(bertrix, "a17@bertrix.example", birth_year=year - 17)
    subscriber(bertrix, "declare@bertrix.example", age_bracket="18_24")
    # Declared 18–24 years ago, born long before: the year of birth is what counts.
    subscriber(bertrix, "perime@bertrix.example", age_bracket="18_24", birth_year=year - 40)
    newsletter = make_newsletter(bertrix, agent, segment=Segment.AGE_BRACKET, segment_age_bracket="18_24")
    assert emails(bertrix, newsletter) == {"a18@bertrix.example", "a24@bertrix.example", "declare@bertrix.example"}
    oldest = make_newsletter(bertrix, agent, segment=Segment.AGE_BRACKET, segment_age_bracket="65_plus")
    assert emails(bertrix, oldest) == set()
    subscriber(bertrix, "a90@bertrix.example", birth_year=year - 90)
    assert emails(bertrix, oldest) == {"a90@bertrix.example"}


def test_a_segment_without_its_parameter_is_refused_and_unused_parameters_are_cleared(bertrix, agent, calls):
    with tenant_context(bertrix):
        cugnon = Neighbourhood.objects.get(name="Cugnon")
    newsletter = make_newsletter(bertrix, agent, segment=Segment.CALL, segment_call=None)
    with tenant_context(bertrix):
        assert segments.errors(newsletter) == {"segment_call": segments.errors(newsletter)["segment_call"]}
        with pytest.raises(services.NewsletterError):
            services.newsletter_start(newsletter=newsletter, actor=agent)
        updated = services.newsletter_update(newsletter=newsletter, actor=agent, segment=Segment.NEIGHBOURHOOD,
                                             segment_neighbourhood=cugnon, segment_call=calls[0])
        assert updated.segment_call is None and updated.segment_neighbourhood == cugnon


def test_the_segment_is_resolved_when_sending_starts(bertrix, agent, django_capture_on_commit_callbacks):
    """Scheduled for tomorrow with one subscriber; by the time it leaves there are two."""
    subscriber(bertrix, "premiere@bertrix.example")
    newsletter = make_newsletter(bertrix, agent)
    with tenant_context(bertrix):
        services.newsletter_schedule(newsletter=newsletter, actor=agent, at=timezone.now() + timedelta(days=1))
    subscriber(bertrix, "seconde@bertrix.example")
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        assert services.newsletters_start_due(now=timezone.now() + timedelta(days=1, minutes=1)) == [newsletter.pk]
    with tenant_context(bertrix):
        newsletter.refresh_from_db()
        assert newsletter.status == Newsletter.Status.SENT and newsletter.recipient_count == 2
