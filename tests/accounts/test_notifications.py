"""One place decides who is told what (accounts.notify.tell): each person's preferences,
topic by topic, on the site and by email; service messages always go through."""

from django.core import mail
from django_tenants.utils import tenant_context

from accounts.models import Notification, Topic, User
from accounts.notify import tell
from ideas import services as idea_services
from tests.conftest import create_citizen, log_in
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture


def test_the_preferences_page_switches_topics_and_channels(bertrix, citizen, bertrix_client):
    client = log_in(bertrix_client, bertrix, citizen)
    page = client.get("/compte/notifications/").content.decode()
    assert "Ce que je reçois" in page and "Toujours envoyés" in page
    # Everything on by default; keep the site, drop the emails of followed items and replies.
    response = client.post("/compte/notifications/", {
        "mine-site": "on", "mine-email": "on", "replies-site": "on", "followed-site": "on",
        "budget_steps-site": "on", "budget_steps-email": "on", "surveys-email": "on", "newsletter": "on"})
    assert response.status_code == 302
    with tenant_context(bertrix):
        user = User.objects.get(pk=citizen.pk)
        assert user.newsletter_opt_in
        assert user.notification_preferences["followed"] == {"site": True, "email": False}
        assert user.notification_preferences["surveys"] == {"site": False, "email": True}
        assert "service" not in user.notification_preferences
    page = client.get("/compte/notifications/").content.decode()
    assert 'name="followed-email" id="followed-email"  aria' in page or 'name="followed-email"' in page
    assert bertrix_client.get("/compte/notifications/").status_code == 200  # still logged in
    client.logout()
    assert bertrix_client.get("/compte/notifications/").status_code == 302


def test_tell_honours_each_persons_choice_and_service_messages_always_pass(bertrix, citizen):
    other = create_citizen(bertrix, "voisin@bertrix.example")
    with tenant_context(bertrix):
        User.objects.filter(pk=citizen.pk).update(notification_preferences={
            "followed": {"site": False, "email": False}})
        people = list(User.objects.filter(pk__in=[citizen.pk, other.pk]))
        sent = tell(users=people, topic=Topic.FOLLOWED, key="news:1", subject="Du neuf", lines=["Une ligne"],
                    path="/participer/")
        assert sent == 1 and [m.to for m in mail.outbox] == [[other.email]]
        assert list(Notification.objects.values_list("recipient", flat=True)) == [other.pk]
        assert "/compte/notifications/" in mail.outbox[0].body  # where to change it
        tell(users=people, topic=Topic.SERVICE, key="service:1", subject="Reçu", lines=["Votre reçu"])
        assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted([citizen.email, other.email])
        assert "/compte/notifications/" not in mail.outbox[1].body
        # Told once per key, whatever the retries.
        assert tell(users=people, topic=Topic.SERVICE, key="service:1", subject="Reçu", lines=["x"]) == 0


def test_comments_tell_the_idea_author_and_the_person_answered(bertrix, call, citizen,
                                                               django_capture_on_commit_callbacks):
    idea = make_idea(bertrix, call, citizen, title="Des nichoirs")
    first = create_citizen(bertrix, "paul@bertrix.example", display_name="Paul")
    second = create_citizen(bertrix, "lea@bertrix.example", display_name="Léa")
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        comment = idea_services.comment_add(idea=idea, author=first, body="Et des hôtels à insectes ?")
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert "Des nichoirs" in mail.outbox[0].subject and "Et des hôtels à insectes ?" in mail.outbox[0].body
    mail.outbox.clear()
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        idea_services.comment_add(idea=idea, author=second, body="Bonne idée Paul", parent=comment)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, citizen.email])
    mail.outbox.clear()
    # The author answering on their own idea tells the person answered, not themselves.
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        idea_services.comment_add(idea=idea, author=citizen, body="Merci à vous deux", parent=comment)
    assert [m.to for m in mail.outbox] == [[first.email]]
    with tenant_context(bertrix):
        assert Notification.objects.filter(recipient=first).count() == 2
        assert Notification.objects.filter(recipient=citizen).count() == 2


def test_a_comment_held_for_review_tells_nobody_until_approved(bertrix, call, citizen, agent,
                                                               django_capture_on_commit_callbacks):
    from moderation import services as moderation

    idea = make_idea(bertrix, call, citizen)
    bertrix.pre_moderation = True
    bertrix.save()
    other = create_citizen(bertrix, "paul@bertrix.example")
    mail.outbox.clear()
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        comment = idea_services.comment_add(idea=idea, author=other, body="Avis en attente")
    assert not [m for m in mail.outbox if m.to == [citizen.email]]
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        moderation.moderation_decide(content=comment, moderator=agent, action="restore", reason="Conforme.")
    assert [m for m in mail.outbox if m.to == [citizen.email] and "Avis en attente" in m.body]


def test_survey_invitations_skip_people_who_declined_them(bertrix, citizen):
    from surveys.services import invitation_recipients

    other = create_citizen(bertrix, "voisin@bertrix.example", newsletter_opt_in=True)
    with tenant_context(bertrix):
        User.objects.filter(pk=citizen.pk).update(newsletter_opt_in=True)
        assert set(invitation_recipients(audience="newsletter")) == {citizen, other}
        User.objects.filter(pk=citizen.pk).update(notification_preferences={"surveys": {"site": True, "email": False}})
        assert list(invitation_recipients(audience="newsletter")) == [other]
