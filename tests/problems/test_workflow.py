"""The workflow of a report: every allowed and every refused transition, the reason a
rejection needs, who may move reports, and the event each step writes."""

import itertools

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from problems import services
from problems.models import Problem, ProblemEvent, Status
from problems.workflow import TransitionError
from tests.conftest import create_staff
from tests.problems.conftest import make_problem

S = Status
# Written out here, not read from problems.workflow: the test says what the product allows.
ALLOWED = {
    (S.RECEIVED, S.IN_PROGRESS), (S.RECEIVED, S.RESOLVED), (S.RECEIVED, S.REJECTED),
    (S.IN_PROGRESS, S.RESOLVED), (S.IN_PROGRESS, S.REJECTED),
    (S.RESOLVED, S.IN_PROGRESS),  # reopened: the problem came back
    (S.REJECTED, S.IN_PROGRESS),  # reconsidered
}
EVERY_PAIR = list(itertools.product(S.values, S.values))


@pytest.mark.parametrize(("before", "after"), [pair for pair in EVERY_PAIR if pair in ALLOWED])
def test_allowed_transitions_move_the_report_and_write_an_event(bertrix, citizen, agent, category, before, after):
    problem = make_problem(bertrix, citizen, category, status=before)
    with tenant_context(bertrix):
        event = services.problem_change_status(problem=problem, to=after, message="  Une équipe passe mardi.  ",
                                               by=agent, notify=False)
        problem.refresh_from_db()
        assert problem.status == after
        assert (event.kind, event.from_status, event.to_status, event.actor, event.message) == (
            "status", before, after, agent, "Une équipe passe mardi.")
        assert event.created_at is not None


@pytest.mark.parametrize(("before", "after"), [pair for pair in EVERY_PAIR if pair not in ALLOWED])
def test_refused_transitions_change_nothing(bertrix, citizen, agent, category, before, after):
    problem = make_problem(bertrix, citizen, category, status=before)
    with tenant_context(bertrix):
        events = ProblemEvent.objects.count()
        with pytest.raises(TransitionError) as refused:
            services.problem_change_status(problem=problem, to=after, message="Raison.", by=agent)
        assert str(refused.value)  # a message for the agent
        problem.refresh_from_db()
        assert problem.status == before and ProblemEvent.objects.count() == events


def test_an_unknown_status_is_refused(bertrix, citizen, agent, category):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix), pytest.raises(TransitionError):
        services.problem_change_status(problem=problem, to="archived", message="", by=agent)


@pytest.mark.parametrize("message", ["", "   \n "])
def test_rejecting_needs_a_public_reason(bertrix, citizen, agent, category, message):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        with pytest.raises(TransitionError):
            services.problem_change_status(problem=problem, to=S.REJECTED, message=message, by=agent)
        assert Problem.objects.get(pk=problem.pk).status == S.RECEIVED
        services.problem_change_status(problem=problem, to=S.REJECTED, by=agent, notify=False,
                                       message="Ce terrain est privé : nous avons prévenu son propriétaire.")
        assert Problem.objects.get(pk=problem.pk).status == S.REJECTED


def test_the_other_statuses_take_an_optional_message(bertrix, citizen, agent, category):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        services.problem_change_status(problem=problem, to=S.IN_PROGRESS, message="", by=agent, notify=False)
        services.problem_change_status(problem=problem, to=S.RESOLVED, message="", by=agent, notify=False)
        assert list(problem.events.values_list("kind", "to_status")) == [
            ("created", S.RECEIVED), ("status", S.IN_PROGRESS), ("status", S.RESOLVED)]


def test_a_message_longer_than_the_limit_is_refused(bertrix, citizen, agent, category):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix), pytest.raises(TransitionError):
        services.problem_change_status(problem=problem, to=S.REJECTED, message="x" * 2001, by=agent)


@pytest.mark.parametrize("role", ["citizen", "reporter", "moderators", "analysts"])
def test_only_agents_move_reports(bertrix, citizen, neighbour, category, role):
    from accounts.roles import Role

    problem = make_problem(bertrix, citizen, category)
    who = {"citizen": neighbour, "reporter": citizen}.get(role) or create_staff(
        bertrix, f"{role}@bertrix.example", Role(role))
    with tenant_context(bertrix):
        with pytest.raises(TransitionError):
            services.problem_change_status(problem=problem, to=S.IN_PROGRESS, message="", by=who)
        assert Problem.objects.get(pk=problem.pk).status == S.RECEIVED


def test_a_superuser_may_move_reports(bertrix, citizen, category):
    from accounts.models import User

    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        boss = User.objects.create_superuser(email="admin@bertrix.example", password="x-long-password-1")
        services.problem_change_status(problem=problem, to=S.IN_PROGRESS, message="", by=boss, notify=False)
        assert Problem.objects.get(pk=problem.pk).status == S.IN_PROGRESS


def test_a_report_is_received_with_an_event_a_reference_and_its_reporter_following(bertrix, citizen, category):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        assert problem.status == S.RECEIVED and not problem.held_for_review
        created = problem.events.get()
        assert (created.kind, created.to_status, created.actor) == ("created", S.RECEIVED, citizen)
        assert problem.follows.get().follower == citizen
        year = timezone.localtime(problem.created_at).strftime("%Y")
        assert problem.reference == f"{year}-{problem.pk:05d}"
        assert Problem.id_from_reference(problem.reference) == problem.pk


def test_assigning_and_publishing_are_logged_but_not_on_the_timeline(bertrix, citizen, agent, category):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        Problem.objects.filter(pk=problem.pk).update(held_for_review=True)
        problem.refresh_from_db()
        services.problem_assign(problem=problem, agent=agent, by=agent)
        assert services.problem_assign(problem=problem, agent=agent, by=agent) is None  # no change, no row
        services.problem_publish(problem=problem, by=agent)
        assert services.problem_publish(problem=problem, by=agent) is None
        problem.refresh_from_db()
        assert problem.assigned_to == agent and not problem.held_for_review
        assert list(problem.events.values_list("kind", flat=True)) == ["created", "assigned", "published"]
        with pytest.raises(services.ProblemError):
            services.problem_assign(problem=problem, agent=citizen, by=agent)  # agents only
        with pytest.raises(services.ProblemError):
            services.problem_assign(problem=problem, agent=agent, by=citizen)
