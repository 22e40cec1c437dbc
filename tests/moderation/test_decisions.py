"""Reports and moderation decisions: automatic hiding after N reports, hide / restore /
dismiss / warn / block with a reason the author reads, blocked people refused where they
could post, the queue and the read-only log in the admin."""

import pytest
from django.core import mail
from django_tenants.utils import tenant_context

from accounts.models import Notification
from accounts.roles import Role
from ideas import services as idea_services
from ideas.models import Comment
from moderation import services
from moderation.models import Decision, Report
from tests.conftest import create_citizen, create_staff, log_in
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture


@pytest.fixture
def comment(bertrix, call, citizen):
    idea = make_idea(bertrix, call, citizen)
    with tenant_context(bertrix):
        return idea_services.comment_add(idea=idea, author=citizen, body="Un commentaire injurieux.")


def reporters(commune, count):
    return [create_citizen(commune, f"signale{i}@bertrix.example") for i in range(count)]


def test_three_reports_hide_pending_review_and_a_moderator_restores(bertrix, comment, citizen, bertrix_client,
                                                                    django_capture_on_commit_callbacks):
    moderator = create_staff(bertrix, "moderation@bertrix.example", Role.MODERATOR)
    people = reporters(bertrix, 3)
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        for person in people[:2]:
            services.report_create(content=comment, reporter=person, reason="abuse")
        services.report_create(content=comment, reporter=people[0], reason="abuse")  # twice: one report
        comment.refresh_from_db()
        assert not comment.is_hidden and Report.objects.count() == 2
        services.report_create(content=comment, reporter=people[2], reason="spam")
        comment.refresh_from_db()
        assert comment.is_hidden
        automatic = Decision.objects.get()
        assert automatic.moderator is None and automatic.action == "hide" and automatic.target_user == citizen
    page = bertrix_client.get(f"/participer/idees/{comment.idea_id}/").content.decode()
    assert "Masqué par la modération" in page and "Un commentaire injurieux." not in page
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(services.ModerationError):
            services.moderation_decide(content=comment, moderator=moderator, action="restore", reason=" ")
        services.moderation_decide(content=comment, moderator=moderator, action="restore",
                                   reason="Critique vive mais pas injurieuse.")
        comment.refresh_from_db()
        assert not comment.is_hidden
        assert not Report.objects.filter(handled_at__isnull=True).exists()
    with tenant_context(bertrix):  # the author is told on the site too
        assert Notification.objects.filter(recipient=citizen, message__contains="Critique vive").exists()
    subjects = [m.subject for m in mail.outbox if m.to == [citizen.email]]
    assert subjects == ["[Bertrix] Votre contribution est masquée par la modération",
                        "[Bertrix] Votre contribution est de nouveau visible"]
    assert "Un commentaire injurieux." in bertrix_client.get(f"/participer/idees/{comment.idea_id}/").content.decode()


def test_a_blocked_author_reads_but_cannot_post(bertrix, comment, citizen, agent, bertrix_client, call):
    with tenant_context(bertrix):
        services.moderation_decide(content=comment, moderator=agent, action="block", block_days=7,
                                   reason="Insultes répétées.")
        citizen.refresh_from_db()
        assert citizen.is_blocked
        assert Decision.objects.get().blocked_until == citizen.posting_blocked_until
    client = log_in(bertrix_client, bertrix, citizen)
    page = client.get(f"/participer/idees/{comment.idea_id}/").content.decode()
    assert "vous empêche de publier" in page and 'name="body"' not in page
    client.post(f"/participer/idees/{comment.idea_id}/commenter/", {"body": "Encore moi."})
    client.post(f"/participer/idees/{comment.idea_id}/voter/", {"value": "1"})
    assert client.get(f"/participer/appels/{call.slug}/proposer/").status_code in (302, 403)
    with tenant_context(bertrix):
        assert Comment.objects.count() == 1
        assert not comment.idea.votes.filter(voter=citizen).exists()


def test_staff_are_not_blocked_and_only_moderators_decide(bertrix, comment, citizen, agent):
    with tenant_context(bertrix):
        with pytest.raises(services.ModerationError):
            services.moderation_decide(content=comment, moderator=citizen, action="hide", reason="Non.")
        staff_comment = idea_services.comment_add(idea=comment.idea, author=agent, body="Réponse de la commune.")
        with pytest.raises(services.ModerationError):
            services.moderation_decide(content=staff_comment, moderator=agent, action="block", reason="x")
        services.moderation_decide(content=comment, moderator=agent, action="warn", reason="Restez courtois.")
        services.moderation_decide(content=comment, moderator=agent, action="dismiss", reason="Rien d'injurieux.")
        assert list(Decision.objects.order_by("id").values_list("action", flat=True)) == ["warn", "dismiss"]


def test_the_queue_and_the_read_only_log_in_the_admin(bertrix, comment, call, citizen, agent, bertrix_client):
    other = make_idea(bertrix, call, citizen, title="Une autre idée")
    people = reporters(bertrix, 2)
    with tenant_context(bertrix):
        services.report_create(content=other, reporter=people[0], reason="off_topic")
        for person in people:
            services.report_create(content=comment, reporter=person, reason="abuse", comment="Insulte")
    client = log_in(bertrix_client, bertrix, agent)
    page = client.get("/admin/moderation/report/file/").content.decode()
    assert page.index("Un commentaire injurieux.") < page.index("Une autre idée")  # most reported first
    with tenant_context(bertrix):
        from django.contrib.contenttypes.models import ContentType

        comment_type = ContentType.objects.get_for_model(Comment).pk
    response = client.post("/admin/moderation/report/file/", {
        "content_type": comment_type, "object_id": comment.pk, "action": "hide", "reason": "Propos injurieux."})
    assert response.status_code == 302
    with tenant_context(bertrix):
        comment.refresh_from_db()
        assert comment.is_hidden and comment.moderation_note == "Propos injurieux."
        decision = Decision.objects.get()
        assert decision.moderator == agent
    assert client.get(f"/admin/moderation/decision/{decision.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/admin/moderation/decision/{decision.pk}/delete/", {"post": "yes"}).status_code == 403
    assert log_in(bertrix_client, bertrix, citizen).get("/admin/moderation/report/file/").status_code == 302


def test_a_moderator_edits_a_comment_with_a_visible_note(bertrix, comment, citizen, agent, bertrix_client,
                                                         django_capture_on_commit_callbacks):
    with tenant_context(bertrix):
        with pytest.raises(services.ModerationError):
            services.moderation_decide(content=comment.idea, moderator=agent, action="edit", reason="x",
                                       new_text="y")
        with pytest.raises(services.ModerationError):
            services.moderation_decide(content=comment, moderator=agent, action="edit", reason="x", new_text=" ")
        with django_capture_on_commit_callbacks(execute=True):
            services.moderation_decide(content=comment, moderator=agent, action="edit",
                                       reason="Un numéro de téléphone a été retiré.",
                                       new_text="Un commentaire, sans le numéro.")
        decision = Decision.objects.get()
        assert decision.previous_text == "Un commentaire injurieux."
    page = bertrix_client.get(f"/participer/idees/{comment.idea_id}/").content.decode()
    assert "Un commentaire, sans le numéro." in page and "Modifié par la modération" in page
    assert "Un numéro de téléphone a été retiré." in page and "injurieux" not in page
    assert [m.subject for m in mail.outbox if m.to == [citizen.email]] == [
        "[Bertrix] Votre commentaire a été modifié par la modération"]
