"""Safety nets that send new content to review instead of publishing it: the commune's
pre-moderation, its list of words, and spam signals (many links, the same text again, a
filled honeypot field). Staff posts are not screened."""

import re
import unicodedata
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

LINKS_LIMIT = 3
# Posting faster than this (ideas and comments together) looks like a robot or a flood.
FAST_POSTS = 8
FAST_WINDOW = timedelta(minutes=10)
LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def review_reasons(*, author, text: str, honeypot: str = "", previous_texts=()) -> list[str]:
    """Why this text goes to review (empty: publish it). ``previous_texts``: the author's
    recent posts, to catch the same text posted again."""
    if getattr(author, "is_staff", False):
        return []
    commune = connection.tenant
    reasons = []
    if getattr(commune, "pre_moderation", False):
        reasons.append(_("pre-moderation"))
    folded = _fold(text)
    for word in (getattr(commune, "review_words", "") or "").splitlines():
        word = _fold(word.strip())
        if word and re.search(rf"\b{re.escape(word)}\b", folded):
            reasons.append(_("word “%(word)s”") % {"word": word})
            break
    if len(LINK.findall(text)) >= LINKS_LIMIT:
        reasons.append(_("many links"))
    if any(_fold(previous).strip() == folded.strip() for previous in previous_texts):
        reasons.append(_("the same text again"))
    if honeypot.strip():
        reasons.append(_("a field only robots fill in"))
    if getattr(author, "is_blocked", False):
        # Where a blocked person may still take part (a survey), nothing of theirs is shown.
        reasons.append(_("an author blocked by the moderation"))
    if author is not None and getattr(author, "pk", None) and posts_since(author, timezone.now() - FAST_WINDOW) >= FAST_POSTS:
        reasons.append(_("posting very fast"))
    return reasons


def posts_since(author, since) -> int:
    """Ideas and comments ``author`` published since ``since`` (one query)."""
    from ideas.models import Comment, Idea

    comments = Comment.objects.filter(author=author, created_at__gte=since).order_by().values("pk")
    ideas = Idea.objects.filter(author=author, published_at__gte=since).order_by().values("pk")
    return comments.union(ideas, all=True).count()


def recent_comments(author) -> list[str]:
    from ideas.models import Comment

    since = timezone.now() - timedelta(days=1)
    return list(Comment.objects.filter(author=author, created_at__gte=since).values_list("body", flat=True)[:20])


def send_to_review(*, content, reasons: list[str]) -> None:
    """Hide ``content`` with a note saying it waits for approval, and put it in the queue."""
    from django.contrib.contenttypes.models import ContentType

    from moderation.models import Report

    note = _("Waiting for the moderators' approval.")
    type(content).objects.filter(pk=content.pk).update(is_hidden=True, moderation_note=note)
    content.is_hidden, content.moderation_note = True, note
    Report.objects.create(content_type=ContentType.objects.get_for_model(content), object_id=content.pk,
                          reporter=None, reason=Report.Reason.REVIEW, comment="; ".join(reasons)[:1000])
