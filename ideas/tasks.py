"""Notifications about ideas, sent by the worker in the commune's schema."""

from celery import shared_task
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Topic
from accounts.notify import tell
from tenants.models import site_url


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_status_change(self, *, event_id: int):
    """Tell the author and the followers of an idea that its status changed.
    One email per event and person, whatever the retries."""
    from accounts.models import User
    from ideas.models import IdeaEvent

    event = IdeaEvent.objects.select_related("idea", "actor").filter(pk=event_id).first()
    if event is None:
        return
    idea = event.idea
    commune = connection.tenant
    recipients = (
        User.objects.filter(is_active=True, idea_follows__idea=idea)
        .exclude(pk=event.actor_id)
        .distinct()
    )
    path = reverse("ideas:detail", args=[idea.pk])
    url = site_url(commune.primary_domain).rstrip("/") + path
    with translation.override(commune.default_language):
        for user in recipients:
            is_author = user.pk == idea.author_id
            context = {"idea": idea, "event": event, "commune": commune, "url": url, "user": user,
                       "is_author": is_author}
            tell(users=[user], topic=Topic.MINE if is_author else Topic.FOLLOWED, key=f"idea-status:{event_id}",
                 subject=render_to_string("ideas/email/status_changed_subject.txt", context).strip(),
                 body=render_to_string("ideas/email/status_changed_message.txt", context), path=path)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_comment(self, *, comment_id: int):
    """Tell the idea's author of a new comment, and the author of the comment it answers."""
    from ideas.models import Comment

    comment = (Comment.objects.select_related("idea__author", "parent__author", "author")
               .filter(pk=comment_id, is_hidden=False).first())
    if comment is None:
        return
    idea = comment.idea
    path = reverse("ideas:detail", args=[idea.pk]) + f"#comment-{comment.pk}"
    who = comment.author.display_name if comment.author and comment.author.display_name else None
    with translation.override(connection.tenant.default_language):
        told = {comment.author_id}
        parent_author = comment.parent.author if comment.parent_id else None
        if parent_author is not None and parent_author.pk not in told:
            told.add(parent_author.pk)
            subject = _("A reply to your comment on “%(title)s”") % {"title": idea.title}
            tell(users=[parent_author], topic=Topic.REPLIES, key=f"comment:{comment_id}", subject=subject,
                 lines=[(who or _("A participant")) + " :", comment.body], path=path)
        if idea.author is not None and idea.author_id not in told:
            subject = _("A new comment on your idea “%(title)s”") % {"title": idea.title}
            tell(users=[idea.author], topic=Topic.REPLIES, key=f"comment:{comment_id}", subject=subject,
                 lines=[(who or _("A participant")) + " :", comment.body], path=path)
