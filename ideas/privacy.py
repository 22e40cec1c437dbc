"""A person's ideas, comments, votes and follows (see accounts/privacy.py). Ideas, comments
and votes stay when the account goes: they belong to the discussion and are shown without
a name; what only served the person (follows) is removed."""

from ideas.models import Comment, Follow, Idea, Vote


def export(user) -> dict:
    return {
        "ideas": [{"id": i.pk, "call": i.call.title, "title": i.title, "answers": i.answers, "status": i.status,
                   "address": i.address, "created_at": i.created_at.isoformat(),
                   "published_at": i.published_at.isoformat() if i.published_at else None}
                  for i in Idea.objects.filter(author=user).select_related("call").order_by("id")],
        "comments": [{"idea": c.idea_id, "text": c.body, "created_at": c.created_at.isoformat()}
                     for c in Comment.objects.filter(author=user).order_by("id")],
        "votes": [{"idea": v.idea_id, "value": v.value, "created_at": v.created_at.isoformat()}
                  for v in Vote.objects.filter(voter=user).order_by("id")],
        "follows": [{"idea": f.idea_id, "since": f.created_at.isoformat()}
                    for f in Follow.objects.filter(follower=user).order_by("id")],
    }


def forget(user) -> None:
    Follow.objects.filter(follower=user).delete()
