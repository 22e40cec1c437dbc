"""Safety nets per commune: pre-moderation, a list of words, spam signals (many links, the
same text again, the honeypot field). Screened content waits hidden, in the queue, until a
moderator approves it; staff posts are not screened."""

from django_tenants.utils import tenant_context

from ideas import services as idea_services
from ideas.models import Comment
from moderation import services
from moderation.models import Report
from tests.conftest import log_in
from tests.ideas.conftest import call, make_idea  # noqa: F401 - the call fixture


def post(client, idea, body, **extra):
    return client.post(f"/participer/idees/{idea.pk}/commenter/", {"body": body, **extra}, follow=True)


def test_pre_moderation_holds_comments_and_ideas_until_approved(bertrix, call, citizen, agent, bertrix_client):
    bertrix.pre_moderation = True
    bertrix.save()
    idea = make_idea(bertrix, call, citizen)  # the idea itself waits
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.is_hidden and Report.objects.get(object_id=idea.pk).reporter is None
        services.moderation_decide(content=idea, moderator=agent, action="restore", reason="Idée conforme.")
    client = log_in(bertrix_client, bertrix, citizen)
    page = post(client, idea, "Une bonne idée, merci.").content.decode()
    assert "Votre commentaire apparaîtra dès qu" in page.replace("&#x27;", "'")
    with tenant_context(bertrix):
        comment = Comment.objects.get()
        assert comment.is_hidden and comment.moderation_note.startswith("En attente")
        assert Report.objects.filter(object_id=comment.pk, reason="review", reporter__isnull=True).exists()
        services.moderation_decide(content=comment, moderator=agent, action="restore", reason="Conforme.")
    assert "Une bonne idée, merci." in bertrix_client.get(f"/participer/idees/{idea.pk}/").content.decode()
    # Staff posts are not held.
    with tenant_context(bertrix):
        staff_comment = idea_services.comment_add(idea=idea, author=agent, body="Merci, la commune étudie.")
        assert not staff_comment.is_hidden


def test_words_links_repeats_and_the_honeypot_send_to_review(bertrix, call, citizen, bertrix_client):
    bertrix.review_words = "arnaque\nCasino"
    bertrix.save()
    idea = make_idea(bertrix, call, citizen)
    client = log_in(bertrix_client, bertrix, citizen)
    post(client, idea, "Le projet est très bien.")
    post(client, idea, "Venez jouer au CASINÔ en ligne")
    post(client, idea, "Voir https://a.example, https://b.example et www.c.example")
    post(client, idea, "Le projet est très bien.")  # the same text again
    post(client, idea, "Bonjour", website="http://spam.example")
    with tenant_context(bertrix):
        hidden = dict(Comment.objects.values_list("body", "is_hidden").order_by("id"))
        assert list(Comment.objects.order_by("id").values_list("is_hidden", flat=True)) == [
            False, True, True, True, True]
        reasons = list(Report.objects.order_by("id").values_list("comment", flat=True))
        assert reasons == ["mot « casino »", "nombreux liens", "le même texte à nouveau",
                           "un champ que seuls les robots remplissent"]
    page = bertrix_client.get(f"/participer/idees/{idea.pk}/").content.decode()
    assert "CASIN" not in page and "En attente de validation par la modération" in page
    assert len(hidden) >= 4


def test_posting_very_fast_sends_to_review(bertrix, call, citizen, bertrix_client):
    from moderation.screening import FAST_POSTS

    from django.utils import translation

    idea = make_idea(bertrix, call, citizen)  # one post already
    with tenant_context(bertrix), translation.override("fr"):
        for i in range(FAST_POSTS - 1):
            assert not idea_services.comment_add(idea=idea, author=citizen, body=f"Avis numéro {i}").is_hidden
        fast = idea_services.comment_add(idea=idea, author=citizen, body="Encore un avis")
        assert fast.is_hidden
        assert Report.objects.get(object_id=fast.pk, reason="review").comment == "publications très rapprochées"
        # An hour later the same person posts freely again.
        from datetime import timedelta

        from django.utils import timezone

        Comment.objects.update(created_at=timezone.now() - timedelta(hours=1))
        type(idea).objects.filter(pk=idea.pk).update(published_at=timezone.now() - timedelta(hours=1))
        assert not idea_services.comment_add(idea=idea, author=citizen, body="Avis posé").is_hidden
