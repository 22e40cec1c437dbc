"""Each status change tells the reporter and the followers, on the site and by email,
once per event and person (a retried task sends nothing twice)."""

from django_tenants.utils import tenant_context

from accounts.models import Notification
from problems import services
from problems.models import Status
from problems.tasks import notify_status_change
from tests.conftest import create_citizen
from tests.problems.conftest import make_problem


def test_the_reporter_and_followers_are_told_once_per_change(bertrix, citizen, neighbour, agent, category,
                                                              django_capture_on_commit_callbacks, mailoutbox):
    problem = make_problem(bertrix, citizen, category, address="Rue de la Gare 12")
    stranger = create_citizen(bertrix, "passant@bertrix.example")
    with tenant_context(bertrix):
        services.problem_follow(problem=problem, follower=neighbour)
        services.problem_follow(problem=problem, follower=agent)  # the agent who acts is not told
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            event = services.problem_change_status(problem=problem, to=Status.IN_PROGRESS, by=agent,
                                                   message="Une équipe passe mardi.")
        assert len(callbacks) == 1
        assert sorted(message.to[0] for message in mailoutbox) == [citizen.email, neighbour.email]
        by_person = {message.to[0]: message for message in mailoutbox}
        for message in mailoutbox:
            assert message.subject.startswith("[Bertrix] ") and problem.reference in message.subject
            assert "Une équipe passe mardi." in message.body
            assert f"http://bertrix.localhost/signalements/{problem.pk}/" in message.body
            assert message.extra_headers["X-Civic-Commune"] == "bertrix"
        assert "Rue de la Gare 12" in by_person[citizen.email].body
        assert by_person[citizen.email].body != by_person[neighbour.email].body  # "you reported" / "you follow"
        notes = Notification.objects.filter(key=f"problem-status:{event.pk}")
        assert sorted(notes.values_list("recipient__email", flat=True)) == [citizen.email, neighbour.email]
        assert all(note.url == f"/signalements/{problem.pk}/" for note in notes)
        assert not Notification.objects.filter(recipient=stranger).exists()

        # The same task again (a retry, a second worker): nothing more.
        notify_status_change.apply(kwargs={"event_id": event.pk})
        assert len(mailoutbox) == 2 and notes.count() == 2

        # The next change is news again.
        with django_capture_on_commit_callbacks(execute=True):
            services.problem_change_status(problem=problem, to=Status.RESOLVED, by=agent, message="")
        assert len(mailoutbox) == 4
        assert Notification.objects.filter(recipient=citizen).count() == 2


def test_nothing_is_sent_when_the_change_is_refused_or_not_a_status(bertrix, citizen, agent, category,
                                                                    django_capture_on_commit_callbacks, mailoutbox):
    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        try:
            services.problem_change_status(problem=problem, to=Status.REJECTED, message="", by=agent)
        except services.TransitionError:
            pass
        services.problem_assign(problem=problem, agent=agent, by=agent)
        event = services.problem_publish(problem=problem, by=agent)
        assert event is None
        from problems.models import ProblemEvent

        assigned = ProblemEvent.objects.get(kind="assigned")
        notify_status_change.apply(kwargs={"event_id": assigned.pk})  # not a status change: ignored
    assert mailoutbox == []
    with tenant_context(bertrix):
        assert not Notification.objects.exists()


def test_someone_who_stopped_following_or_left_is_not_told(bertrix, citizen, neighbour, agent, category,
                                                           django_capture_on_commit_callbacks, mailoutbox):
    from accounts.models import User

    problem = make_problem(bertrix, citizen, category)
    with tenant_context(bertrix):
        services.problem_follow(problem=problem, follower=neighbour)
        services.problem_unfollow(problem=problem, follower=neighbour)
        User.objects.filter(pk=citizen.pk).update(is_active=False)  # the account was closed
        with django_capture_on_commit_callbacks(execute=True):
            services.problem_change_status(problem=problem, to=Status.RESOLVED, by=agent, message="")
    assert mailoutbox == []


def test_the_email_is_in_the_communes_language(fleurus, django_capture_on_commit_callbacks, mailoutbox):
    from accounts.roles import Role
    from tests.conftest import create_staff
    from tests.problems.conftest import make_category

    fleurus.default_language = "en"
    fleurus.save()
    reporter = create_citizen(fleurus, "citizen@fleurus.example")
    agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    problem = make_problem(fleurus, reporter, make_category(fleurus, "Drains"), address="Rue de Fleurus 31")
    with tenant_context(fleurus), django_capture_on_commit_callbacks(execute=True):
        services.problem_change_status(problem=problem, to=Status.IN_PROGRESS, by=agent, message="")
    [message] = mailoutbox
    assert message.subject == f"[Fleurus] Report {problem.reference} (Drains): In progress"
    assert "The problem you reported on" in message.body and "“In progress”" in message.body
