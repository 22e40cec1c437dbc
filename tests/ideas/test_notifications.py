"""Status changes are told to the author and followers by the worker, once each."""

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from ideas import services
from ideas.models import Status
from tests.conftest import create_citizen, create_staff
from tests.ideas.conftest import make_call, make_idea

pytestmark = pytest.mark.worker


def test_the_author_and_followers_get_one_email_each_from_the_worker(live_communes, celery_worker, mailoutbox):
    commune = live_communes("Paliseul")
    call = make_call(commune)
    author = create_citizen(commune, "auteur@paliseul.example")
    follower = create_citizen(commune, "voisine@paliseul.example")
    agent = create_staff(commune, "agent@paliseul.example", Role.AGENT)
    idea = make_idea(commune, call, author, title="Une oseraie communale")
    with tenant_context(commune):
        services.idea_follow(idea=idea, follower=follower)
        services.idea_follow(idea=idea, follower=agent)  # the agent who acts is not mailed
        services.idea_change_status(idea=idea, actor=agent, to_status=Status.NOT_ADMISSIBLE,
                                    public_message="Le terrain visé est privé.")

    to_author = celery_worker.wait_for("To: auteur@paliseul.example")
    to_follower = celery_worker.wait_for("To: voisine@paliseul.example")
    assert "[Paliseul]" in to_author and "Le terrain vis=C3=A9 est priv=C3=A9." in to_author or \
        "Le terrain visé est privé." in to_author
    assert "votre idée" in to_author and "que vous suivez" in to_follower
    assert f"http://{commune.primary_domain}" in to_author and f"/participer/idees/{idea.pk}/" in to_author
    assert celery_worker.count("To: agent@paliseul.example") == 0
    assert mailoutbox == []

    # The same event delivered again (a retry, a second worker) sends nothing more.
    from ideas.models import IdeaEvent
    from ideas.tasks import notify_status_change

    with tenant_context(commune):
        event = IdeaEvent.objects.get(idea=idea, kind="status")
        notify_status_change.apply(kwargs={"event_id": event.pk})
    assert mailoutbox == []
    assert celery_worker.count("To: auteur@paliseul.example") == 1
